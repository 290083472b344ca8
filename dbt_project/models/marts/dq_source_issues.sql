-- Publisher facts that are not contract breaks: one row per issue (source, check, area/station,
-- interval or date, source file, detail). The warn-level data tests (tests/dq_*.sql, stored
-- failures) read this model, so `dbt build` reports them without failing.
--   tso_generation_adds_up_to_total: the published total differs from the sum of the generation
--     columns by more than 3 MW (30 MW for legacy values converted from 10 MW units).
--   tso_day_incomplete: a closed day (not the area's latest) without 48 common-format intervals.
--   jepx_intraday_day_incomplete: a closed day (not the latest, still-open one) without 48 periods.
--   jma_station_not_in_seed: observations of a station missing from seeds/weather_stations.csv
--     (kept in fct_weather_hourly with area_code NULL, not weighted into any area).
--   coverage_gap: a month inside an entity's history with missing intervals (dq_coverage).
-- fct_area_supply_demand is read by each check on its own (DuckDB then scans only the columns
-- each needs, instead of materialising the whole table once for three readers).
with generation_totals as (
    select
        *,
        coalesce(nuclear_mw, 0) + coalesce(thermal_total_mw, 0) + coalesce(hydro_mw, 0)
        + coalesce(geothermal_mw, 0) + coalesce(biomass_mw, 0) + coalesce(solar_mw, 0)
        + coalesce(wind_mw, 0) + coalesce(pumped_storage_mw, 0) + coalesce(battery_mw, 0)
        + coalesce(interconnection_mw, 0) + coalesce(other_mw, 0) as generation_mw
    from {{ ref('fct_area_supply_demand') }}
    where total_mw is not null
),

generation_mismatch as (
    select
        'tso' as source_name,
        'tso_generation_adds_up_to_total' as check_name,
        area_code,
        cast(null as varchar) as station_id,
        delivery_date as issue_date,
        interval_start_jst,
        source_file,
        'total_mw ' || total_mw || ' vs generation sum ' || round(generation_mw, 3)
        || ' (off by ' || round(total_mw - generation_mw, 3) || ' MW)' as detail
    from generation_totals
    where abs(total_mw - generation_mw) > case when source_unit like '万%' then 30 else 3 end
),

tso_last_day as (
    select
        area_code,
        max(delivery_date) as last_date
    from {{ ref('fct_area_supply_demand') }}
    where resolution_minutes = 30
    group by area_code
),

tso_day_incomplete as (
    select
        'tso' as source_name,
        'tso_day_incomplete' as check_name,
        supply_demand.area_code,
        cast(null as varchar) as station_id,
        supply_demand.delivery_date as issue_date,
        cast(null as timestamp) as interval_start_jst,
        min(supply_demand.source_file) as source_file,
        count(*) || ' of 48 half-hour intervals published' as detail
    from {{ ref('fct_area_supply_demand') }} as supply_demand
    inner join tso_last_day on supply_demand.area_code = tso_last_day.area_code
    where supply_demand.resolution_minutes = 30 and supply_demand.delivery_date < tso_last_day.last_date
    group by supply_demand.area_code, supply_demand.delivery_date
    having count(*) != 48
),

intraday as (
    select * from {{ ref('fct_jepx_intraday_prices') }}
),

last_intraday_day as (
    select max(delivery_date) as last_date
    from intraday
),

intraday_day_incomplete as (
    select
        'jepx_intraday' as source_name,
        'jepx_intraday_day_incomplete' as check_name,
        cast(null as varchar) as area_code,
        cast(null as varchar) as station_id,
        intraday.delivery_date as issue_date,
        cast(null as timestamp) as interval_start_jst,
        cast(null as varchar) as source_file,
        count(*) || ' of 48 periods published' as detail
    from intraday
    inner join last_intraday_day on intraday.delivery_date < last_intraday_day.last_date
    group by intraday.delivery_date
    having count(*) != 48
),

unknown_stations as (
    select
        'jma' as source_name,
        'jma_station_not_in_seed' as check_name,
        cast(null as varchar) as area_code,
        station_id,
        min(observed_date) as issue_date,
        cast(null as timestamp) as interval_start_jst,
        min(source_file) as source_file,
        'station ' || coalesce(max(station_name), '(no name)')
        || ' is not in seeds/weather_stations.csv: ' || count(*) || ' hours '
        || min(observed_start_jst) || ' .. ' || max(observed_start_jst)
        || ' kept with area_code NULL' as detail
    from {{ ref('fct_weather_hourly') }}
    where area_code is null
    group by station_id
),

coverage_gaps as (
    select
        source_name,
        'coverage_gap' as check_name,
        area_code,
        station_id,
        coverage_month as issue_date,
        cast(null as timestamp) as interval_start_jst,
        cast(null as varchar) as source_file,
        missing_intervals || ' of ' || expected_intervals || ' intervals missing in '
        || strftime(coverage_month, '%Y-%m') as detail
    from {{ ref('dq_coverage') }}
    where missing_intervals > 0
),

issues as (
    select * from generation_mismatch
    union all
    select * from tso_day_incomplete
    union all
    select * from intraday_day_incomplete
    union all
    select * from unknown_stations
    union all
    select * from coverage_gaps
)

select
    cast(
        check_name || '|' || source_name || '|' || coalesce(area_code, '') || '|' || coalesce(station_id, '')
        || '|' || strftime(issue_date, '%Y%m%d') || '|' || coalesce(strftime(interval_start_jst, '%H%M'), '')
        as varchar
    ) as issue_key,
    cast(source_name as varchar) as source_name,
    cast(check_name as varchar) as check_name,
    cast('warn' as varchar) as severity,
    cast(area_code as varchar) as area_code,
    cast(station_id as varchar) as station_id,
    cast(issue_date as date) as issue_date,
    cast(interval_start_jst as timestamp) as interval_start_jst,
    cast(source_file as varchar) as source_file,
    cast(detail as varchar) as detail
from issues
