-- Every published version of an area's reserve-margin figures, as-of capable: valid from its
-- publication time until the next publication of the same area and period (any horizon).
with versions as (
    select *
    from {{ ref('stg_occto__kohyo_reserve_margin') }}
    qualify row_number() over (
        partition by horizon, area_code, delivery_date, delivery_period, published_at_jst
        order by fetched_at desc, source_file desc
    ) = 1
)

select
    *,
    published_at_jst as valid_from_jst,
    lead(published_at_jst) over (
        partition by area_code, delivery_date, delivery_period
        order by published_at_jst
    ) as valid_to_jst,
    row_number() over (
        partition by horizon, area_code, delivery_date, delivery_period
        order by published_at_jst desc
    ) = 1 as is_latest_in_horizon
from versions
