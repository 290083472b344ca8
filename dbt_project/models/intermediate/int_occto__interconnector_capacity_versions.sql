-- Every published version of an interconnector's capacity figures, as-of capable: a version is
-- what OCCTO showed from valid_from (its publication time) until valid_to (the next publication
-- of the same line and period by the same system, whatever its horizon; NULL = still current).
with kohyo as (
    select
        'kohyo' as source_system,
        horizon,
        line_name,
        delivery_date,
        delivery_period,
        delivery_start_jst,
        delivery_start_utc,
        published_at_jst,
        fwd_operating_capacity_mw,
        rev_operating_capacity_mw,
        fwd_margin_mw,
        rev_margin_mw,
        planned_flow_mw,
        fwd_free_capacity_mw,
        rev_free_capacity_mw,
        is_fwd_split or is_rev_split as is_split,
        is_blackout,
        source_file,
        fetched_at
    from {{ ref('stg_occto__kohyo_interconnectors') }}
),

occtonet as (
    select
        'occtonet' as source_system,
        horizon,
        line_name,
        delivery_date,
        delivery_period,
        delivery_start_jst,
        delivery_start_utc,
        published_at_jst,
        fwd_operating_capacity_mw,
        rev_operating_capacity_mw,
        fwd_margin_mw,
        rev_margin_mw,
        planned_flow_mw,
        fwd_free_capacity_mw,
        rev_free_capacity_mw,
        cast(null as boolean) as is_split,
        is_blackout,
        source_file,
        fetched_at
    from {{ ref('stg_occto__interconnector_capacity') }}
),

unioned as (
    select * from kohyo
    union all by name
    select * from occtonet
),

-- one row per publication (the same file version fetched twice, or 策定 and 更新後 rows with
-- the same stamp: the most recently fetched wins)
deduplicated as (
    select *
    from unioned
    qualify row_number() over (
        partition by source_system, horizon, line_name, delivery_date, delivery_period, published_at_jst
        order by fetched_at desc, source_file desc
    ) = 1
)

select
    *,
    published_at_jst as valid_from_jst,
    lead(published_at_jst) over (
        partition by source_system, line_name, delivery_date, delivery_period
        order by published_at_jst
    ) as valid_to_jst,
    row_number() over (
        partition by source_system, horizon, line_name, delivery_date, delivery_period
        order by published_at_jst desc
    ) = 1 as is_latest_in_horizon
from deduplicated
