-- Every area's supply-demand history in one table. Grain: area_code x interval_start_jst x
-- fetched version (only Tohoku's realtime rows have several versions; see
-- int_tso__area_supply_demand_realtime_versions). is_latest_version / is_gate_version pick one row
-- per area-interval. Precedence where sources overlap: the monthly common-format file, then
-- Tohoku's realtime file (recent days the monthly file does not have yet), then the legacy
-- hourly files (only before the area's first common-format interval, so 60- and 30-minute rows
-- never overlap).
with monthly as (
    select
        *,
        fetched_at as valid_from,
        cast(null as timestamptz) as valid_to,
        true as is_latest_version,
        true as is_gate_version
    from {{ ref('stg_tso__area_supply_demand') }}
),

realtime as (
    select * exclude (gate_jst) from {{ ref('int_tso__area_supply_demand_realtime_versions') }}
),

legacy as (
    select
        *,
        fetched_at as valid_from,
        cast(null as timestamptz) as valid_to,
        true as is_latest_version,
        true as is_gate_version
    from {{ ref('stg_tso__area_supply_demand_legacy') }}
),

realtime_only as (
    select realtime.*
    from realtime
    left join monthly
        on
            realtime.area_code = monthly.area_code
            and realtime.interval_start_jst = monthly.interval_start_jst
    where monthly.area_code is null
),

thirty_minute as (
    select
        *,
        'common' as source_format
    from monthly
    union all by name
    select
        *,
        'realtime' as source_format
    from realtime_only
),

first_common as (
    select
        area_code,
        min(interval_start_jst) as first_interval_start_jst
    from thirty_minute
    group by area_code
),

legacy_before_common as (
    select legacy.*
    from legacy
    left join first_common on legacy.area_code = first_common.area_code
    where
        first_common.first_interval_start_jst is null
        or legacy.interval_start_jst < first_common.first_interval_start_jst
)

select * from thirty_minute
union all by name
select
    *,
    'legacy' as source_format
from legacy_before_common
