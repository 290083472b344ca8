-- Supply-demand features. Grain: one row per JEPX area x delivery date x delivery period (the
-- feat_calendar spine). Leakage: every feature is read from the latest data day that the
-- publication calendar makes public by the gate of D (10:00 JST on D-1), per area and per
-- dataset of each row (common monthly file, Tohoku's realtime file, legacy files): TEPCO's day d
-- is public at 01:00 on d+1 (d = D-2), Hokkaido's on d+4, the monthly-only areas' on the 28th of
-- the next month (values weeks old). supply_demand_age_days says how old; a day is public when
-- the last of its rows is. The week-ago values are those of D-7, or of the latest public day when
-- that is older; NULL when that day was not public at the gate. Revised rows (Tohoku's realtime
-- files) use the version fetched before the first gate that may use the day by the calendar,
-- else the first version fetched (int_tso__area_supply_demand_realtime_versions). Where the
-- monthly file later replaces realtime rows, the monthly row and its later date count
-- (conservative). Daily aggregates carry the number of observed periods and are NULL below 44.
{{ config(post_hook="{{ incremental_commit() }}", **incremental_by_date('delivery_date')) }}
{%- set since = feature_since(['jepx', 'tso']) %}
{#- the slowest calendar row: a fiscal year's legacy file, public 30 days after the year ends.
    The context's first day from the latest-vintage mart, a table: every area-interval has
    exactly one gate and one latest version (revisions.sql; monthly and legacy rows are both),
    so both vintages hold the same area-days, and the view computed its whole history -#}
{%- set half_hourly_from = feature_context_start(
    since, ref('fct_area_demand_halfhourly'), 'delivery_date', 'area_code', horizon_days=400
) %}

with spine as (
    select
        area_code,
        delivery_date,
        delivery_period
    from {{ ref('feat_calendar') }}
    where delivery_date >= {{ since }}
),

half_hourly as (
    select
        *,
        case source_format
            when 'common' then 'area_supply_demand'
            when 'realtime' then 'area_supply_demand_realtime'
            else 'area_supply_demand_legacy'
        end as dataset_name
    from {{ ref('int_area_supply_demand_halfhourly') }}
    where vintage = 'gate' and delivery_date >= {{ half_hourly_from }}
),

latest_day as (
    {{ latest_available_day(
        'spine', 'tso', none, 'half_hourly', 'delivery_date', 'area_code', dataset_column='dataset_name'
    ) }}
),

day_availability as (
    {{ publication_availability(
        'tso', none, 'half_hourly', 'delivery_date', 'area_code', dataset_column='dataset_name'
    ) }}
),

daily as (
    select
        area_code,
        delivery_date,
        max(demand_mw) as peak_demand_mw,
        round(avg(demand_mw), 6) as mean_demand_mw,
        count(demand_mw) as demand_periods
    from half_hourly
    group by area_code, delivery_date
),

days as (
    select
        latest_day.area_code,
        latest_day.delivery_date,
        latest_day.available_date,
        latest_day.age_days,
        case
            when week_ago_day.available_at_jst <= {{ feature_gate_jst('latest_day.delivery_date') }}
                then week_ago_day.data_date
        end as week_ago_date
    from latest_day
    left join day_availability as week_ago_day
        on
            latest_day.area_code = week_ago_day.area_code
            and least(latest_day.available_date, latest_day.delivery_date - 7) = week_ago_day.data_date
)

select
    spine.area_code,
    spine.delivery_date,
    spine.delivery_period,
    latest.demand_mw as demand_latest_mw,
    latest.solar_mw as solar_latest_mw,
    latest.wind_mw as wind_latest_mw,
    latest.residual_load_mw as residual_load_latest_mw,
    days.age_days as supply_demand_age_days,
    cast(coalesce(latest_daily.demand_periods, 0) as integer) as demand_periods_latest,
    case when latest_daily.demand_periods >= 44 then latest_daily.peak_demand_mw end as peak_demand_latest_mw,
    case when latest_daily.demand_periods >= 44 then latest_daily.mean_demand_mw end as mean_demand_latest_mw,
    week_ago.demand_mw as demand_week_ago_mw,
    week_ago.residual_load_mw as residual_load_week_ago_mw
from spine
left join days
    on
        spine.area_code = days.area_code
        and spine.delivery_date = days.delivery_date
left join half_hourly as latest
    on
        spine.area_code = latest.area_code
        and spine.delivery_period = latest.delivery_period
        and days.available_date = latest.delivery_date
left join half_hourly as week_ago
    on
        spine.area_code = week_ago.area_code
        and spine.delivery_period = week_ago.delivery_period
        and days.week_ago_date = week_ago.delivery_date
left join daily as latest_daily
    on
        spine.area_code = latest_daily.area_code
        and days.available_date = latest_daily.delivery_date
