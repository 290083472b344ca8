-- Supply-demand features for the ML mart: one row per area x delivery date x delivery period.
-- Leakage rule: the row for delivery day D uses only actuals of D-2 and earlier (the auction
-- for D closes at 10:00 on D-1, before D-1 is over), never of D-1 or D.
with half_hourly as (
    select * from {{ ref('fct_area_demand_halfhourly') }}
),

daily as (
    select
        area_code,
        delivery_date,
        max(demand_mw) as peak_demand_mw,
        avg(demand_mw) as mean_demand_mw
    from half_hourly
    group by area_code, delivery_date
),

spine as (
    select distinct
        area_code,
        delivery_date + 2 as delivery_date,
        delivery_period
    from half_hourly
    union
    select distinct
        area_code,
        delivery_date + 7 as delivery_date,
        delivery_period
    from half_hourly
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
    day_2d.peak_demand_mw as peak_demand_lag_2d_mw,
    day_2d.mean_demand_mw as mean_demand_lag_2d_mw
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
