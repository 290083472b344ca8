-- Coverage of every source's history: one row per source x entity (JEPX area, the whole
-- intraday market, TSO area, JMA station) x calendar month between the entity's first and last
-- observation. expected_intervals counts the slots (30-minute periods; hours for JMA) between the
-- entity's first and last observation that fall in the month; present_intervals those present.
with observations as (
    select
        'jepx_spot' as source_name,
        area_code as entity_id,
        area_code,
        cast(null as varchar) as station_id,
        delivery_start_jst as interval_start_jst,
        30 as step_minutes
    from {{ ref('fct_jepx_spot_area_prices') }}
    union all
    select
        'jepx_intraday' as source_name,
        'market' as entity_id,
        cast(null as varchar) as area_code,
        cast(null as varchar) as station_id,
        delivery_start_jst as interval_start_jst,
        30 as step_minutes
    from {{ ref('fct_jepx_intraday_prices') }}
    union all
    select
        'tso' as source_name,
        area_code as entity_id,
        area_code,
        cast(null as varchar) as station_id,
        delivery_start_jst as interval_start_jst,
        30 as step_minutes
    from {{ ref('fct_area_demand_halfhourly') }}
    union all
    select
        'jma' as source_name,
        station_id as entity_id,
        area_code,
        station_id,
        observed_start_jst as interval_start_jst,
        60 as step_minutes
    from {{ ref('fct_weather_hourly') }}
),

-- one pass over the observations: every (source, entity, month); the entities' spans below are
-- taken from these rows (the observations are read once, not materialised for several readers).
-- Every source mart has one row per entity x interval (their unique key tests), so count(*) is
-- the number of distinct intervals.
present as (
    select
        source_name,
        entity_id,
        cast(date_trunc('month', interval_start_jst) as date) as coverage_month,
        max(area_code) as area_code,
        max(station_id) as station_id,
        max(step_minutes) as step_minutes,
        count(*) as present_intervals,
        min(interval_start_jst) as first_interval_start_jst,
        max(interval_start_jst) as last_interval_start_jst
    from observations
    group by source_name, entity_id, cast(date_trunc('month', interval_start_jst) as date)
),

entities as (
    select
        source_name,
        entity_id,
        max(area_code) as area_code,
        max(station_id) as station_id,
        max(step_minutes) as step_minutes,
        min(first_interval_start_jst) as first_interval_start_jst,
        max(last_interval_start_jst) as last_interval_start_jst
    from present
    group by source_name, entity_id
),

months as (
    select
        entities.*,
        cast(month_series.month_start as date) as coverage_month
    from entities
    cross join
        generate_series(
            date_trunc('month', entities.first_interval_start_jst),
            date_trunc('month', entities.last_interval_start_jst),
            interval 1 month
        ) as month_series (month_start)
),

expected as (
    select
        *,
        greatest(cast(coverage_month as timestamp), first_interval_start_jst) as window_start_jst,
        least(
            cast(coverage_month as timestamp) + interval 1 month - to_minutes(step_minutes),
            last_interval_start_jst
        ) as window_end_jst
    from months
)

select
    cast(
        expected.source_name || '-' || expected.entity_id || '-' || strftime(expected.coverage_month, '%Y%m')
        as varchar
    ) as coverage_key,
    cast(expected.source_name as varchar) as source_name,
    cast(expected.entity_id as varchar) as entity_id,
    cast(expected.area_code as varchar) as area_code,
    cast(expected.station_id as varchar) as station_id,
    cast(expected.coverage_month as date) as coverage_month,
    cast(expected.step_minutes as integer) as interval_minutes,
    cast(
        (epoch(expected.window_end_jst) - epoch(expected.window_start_jst)) / (60 * expected.step_minutes) + 1
        as bigint
    ) as expected_intervals,
    cast(coalesce(present.present_intervals, 0) as bigint) as present_intervals,
    cast(
        (epoch(expected.window_end_jst) - epoch(expected.window_start_jst)) / (60 * expected.step_minutes) + 1
        - coalesce(present.present_intervals, 0)
        as bigint
    ) as missing_intervals,
    cast(present.first_interval_start_jst as timestamp) as first_interval_start_jst,
    cast(present.last_interval_start_jst as timestamp) as last_interval_start_jst
from expected
left join present
    on
        expected.source_name = present.source_name
        and expected.entity_id = present.entity_id
        and expected.coverage_month = present.coverage_month
