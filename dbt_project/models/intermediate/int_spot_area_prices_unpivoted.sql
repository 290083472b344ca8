-- One row per delivery date x period x JEPX area: the wide area columns turned into rows.
with combined as (
    select * from {{ ref('int_spot_prices_combined') }}
),

areas as (
    select * from {{ ref('areas') }}
),

unpivoted as (
    {% for area in jepx_area_slugs() -%}
        select
            delivery_date,
            delivery_period,
            delivery_start_jst,
            delivery_start_utc,
            '{{ area }}' as area_slug,
            area_price_{{ area }}_jpy_kwh as area_price_jpy_kwh,
            system_price_jpy_kwh,
            avoidable_cost_{{ area }}_jpy_kwh as avoidable_cost_jpy_kwh,
            fip_reference_price_{{ area }}_jpy_kwh as fip_reference_price_jpy_kwh,
            contract_volume_kwh,
            price_source_dataset,
            fetched_at
        from combined
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    areas.area_code,
    unpivoted.*
from unpivoted
inner join areas on unpivoted.area_slug = areas.area_slug
