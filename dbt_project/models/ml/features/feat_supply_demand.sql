-- Supply-demand features. Grain: one row per JEPX area x delivery date x delivery period (the
-- feat_calendar spine). Leakage: the row for delivery day D uses TSO actuals of D-2 and earlier
-- (same period on D-2 and D-7, D-2's daily peak and mean demand); D-1 is still running when the
-- auction closes at 10:00 on D-1. Revised rows (Tohoku's realtime files) use the version fetched
-- before 10:00 JST on the day after the interval (the first gate that may use it), else the
-- first version fetched (int_tso__area_supply_demand_realtime_versions). Daily aggregates carry
-- the number of observed periods and are NULL below 44 of 48. Note: TSOs' monthly files are
-- published days to weeks after the fact; a live forecaster needs the near-real-time feeds.
with spine as (
    select
        area_code,
        delivery_date,
        delivery_period
    from {{ ref('feat_calendar') }}
),

half_hourly as (
    select * from {{ ref('int_area_supply_demand_halfhourly') }}
    where vintage = 'gate'
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
)

select
    spine.area_code,
    spine.delivery_date,
    spine.delivery_period,
    lag_2d.demand_mw as demand_lag_2d_mw,
    lag_7d.demand_mw as demand_lag_7d_mw,
    lag_2d.solar_mw as solar_lag_2d_mw,
    lag_2d.wind_mw as wind_lag_2d_mw,
    lag_2d.residual_load_mw as residual_load_lag_2d_mw,
    lag_7d.residual_load_mw as residual_load_lag_7d_mw,
    cast(coalesce(day_2d.demand_periods, 0) as integer) as demand_periods_lag_2d,
    case when day_2d.demand_periods >= 44 then day_2d.peak_demand_mw end as peak_demand_lag_2d_mw,
    case when day_2d.demand_periods >= 44 then day_2d.mean_demand_mw end as mean_demand_lag_2d_mw
from spine
left join half_hourly as lag_2d
    on
        spine.area_code = lag_2d.area_code
        and spine.delivery_period = lag_2d.delivery_period
        and lag_2d.delivery_date = spine.delivery_date - 2
left join half_hourly as lag_7d
    on
        spine.area_code = lag_7d.area_code
        and spine.delivery_period = lag_7d.delivery_period
        and lag_7d.delivery_date = spine.delivery_date - 7
left join daily as day_2d
    on
        spine.area_code = day_2d.area_code
        and day_2d.delivery_date = spine.delivery_date - 2
