-- The jepx_area_slugs() macro (used to render the wide JEPX columns) lists exactly the JEPX
-- areas of seeds/areas.csv, in JEPX's column order. Returns every position where they differ.
with macro_list as (
    {% for area in jepx_area_slugs() -%}
        select
            {{ loop.index }} as jepx_area_order,
            '{{ area }}' as area_slug
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

seed_list as (
    select
        cast(jepx_area_order as integer) as jepx_area_order,
        area_slug
    from {{ ref('areas') }}
    where is_jepx_area
)

select
    coalesce(macro_list.jepx_area_order, seed_list.jepx_area_order) as jepx_area_order,
    macro_list.area_slug as macro_slug,
    seed_list.area_slug as seed_slug
from macro_list
full outer join seed_list on macro_list.jepx_area_order = seed_list.jepx_area_order
where macro_list.area_slug is distinct from seed_list.area_slug
