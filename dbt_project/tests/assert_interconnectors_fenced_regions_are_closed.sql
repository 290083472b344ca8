-- Seed interconnectors.fenced_region is the fence rule of feat_occto, so it must be closed: the
-- areas a region's fences touch are the region's areas; an ordinary line of a region has both ends
-- among them, and an ordinary line with both ends among them belongs to the region (else a
-- published fence would be added on top of the line it replaces). Fences have a region.
with lines as (
    select * from {{ ref('interconnectors') }}
),

region_areas as (
    select distinct
        fenced_region,
        unnest([from_area_code, to_area_code]) as area_code
    from lines
    where line_kind = 'fence' and fenced_region is not null
),

ordinary as (
    select
        lines.line_name,
        lines.fenced_region,
        from_side.fenced_region as from_region,
        to_side.fenced_region as to_region
    from lines
    left join region_areas as from_side on lines.from_area_code = from_side.area_code
    left join region_areas as to_side
        on
            lines.to_area_code = to_side.area_code
            and from_side.fenced_region = to_side.fenced_region
    where lines.line_kind <> 'fence'
)

select
    line_name,
    fenced_region,
    'ordinary line: region and the areas of its ends disagree' as problem
from ordinary
where
    (
        fenced_region is not null
        and (from_region is distinct from fenced_region or to_region is distinct from fenced_region)
    )
    or (fenced_region is null and to_region is not null)
union all
select
    line_name,
    fenced_region,
    'fence without a fenced_region' as problem
from lines
where line_kind = 'fence' and fenced_region is null
