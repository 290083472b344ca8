{{
    config(
        materialized='external',
        options={'partition_by': 'delivery_year', 'overwrite_or_ignore': true},
        parquet_read_options={'hive_partitioning': true, 'union_by_name': true},
    )
}}
-- The ML feature table: one row per JEPX area x delivery date x delivery period.
-- Leakage rule: a row for delivery day D holds only what is known on D-1 before the 10:00 JST
-- day-ahead auction: spot prices of D-1 and earlier (published D-2), intraday results of D-2
-- and earlier (D-1's intraday is still trading), TSO supply-demand actuals and JMA
-- weather observations of D-2 and earlier, calendar facts of D itself.
-- The label is target_area_price_jpy_kwh (the price of the row's own period).
with prices as (
    select * from {{ ref('fct_jepx_spot_area_prices') }}
),

dates as (
    select * from {{ ref('dim_date') }}
),

intraday as (
    select * from {{ ref('fct_jepx_intraday_prices') }}
),

periods as (
    select * from {{ ref('dim_delivery_period') }}
),

areas as (
    select * from {{ ref('dim_area') }}
),

supply_demand as (
    select * from {{ ref('int_area_supply_demand_features_lagged') }}
),

weather as (
    select * from {{ ref('int_area_weather_features_lagged') }}
),

history as (
    -- same-period statistics over the 7 previous days (D-7 .. D-1)
    select
        target_day.area_code,
        target_day.delivery_date,
        target_day.delivery_period,
        avg(past.area_price_jpy_kwh) as price_mean_7d_same_period_jpy_kwh,
        max(past.area_price_jpy_kwh) as price_max_7d_same_period_jpy_kwh,
        min(past.area_price_jpy_kwh) as price_min_7d_same_period_jpy_kwh
    from prices as target_day
    inner join prices as past
        on
            target_day.area_code = past.area_code
            and target_day.delivery_period = past.delivery_period
            and past.delivery_date between target_day.delivery_date - 7 and target_day.delivery_date - 1
    group by target_day.area_code, target_day.delivery_date, target_day.delivery_period
)

select
    prices.spot_area_price_key as feature_key,
    prices.area_code,
    prices.delivery_date,
    prices.delivery_period,
    prices.delivery_start_jst,
    prices.delivery_start_utc,
    cast(extract(year from prices.delivery_date) as integer) as delivery_year,
    prices.area_price_jpy_kwh as target_area_price_jpy_kwh,
    lag_1d.area_price_jpy_kwh as price_lag_1d_jpy_kwh,
    lag_7d.area_price_jpy_kwh as price_lag_7d_jpy_kwh,
    lag_1d.system_price_jpy_kwh as system_price_lag_1d_jpy_kwh,
    history.price_mean_7d_same_period_jpy_kwh,
    history.price_max_7d_same_period_jpy_kwh,
    history.price_min_7d_same_period_jpy_kwh,
    intraday_lag_2d.average_price_jpy_kwh as intraday_avg_price_lag_2d_jpy_kwh,
    supply_demand.demand_lag_2d_mw,
    supply_demand.demand_lag_7d_mw,
    supply_demand.solar_lag_2d_mw,
    supply_demand.wind_lag_2d_mw,
    supply_demand.residual_load_lag_2d_mw,
    supply_demand.residual_load_lag_7d_mw,
    supply_demand.peak_demand_lag_2d_mw,
    supply_demand.mean_demand_lag_2d_mw,
    weather.temperature_lag_2d_degc,
    weather.relative_humidity_lag_2d_pct,
    weather.precipitation_lag_2d_mm,
    weather.sunshine_lag_2d_h,
    weather.solar_radiation_lag_2d_mj_m2,
    weather.wind_speed_lag_2d_m_s,
    weather.temperature_mean_lag_2d_degc,
    weather.temperature_max_lag_2d_degc,
    weather.temperature_min_lag_2d_degc,
    weather.heating_degree_hours_lag_2d_degc_h,
    weather.cooling_degree_hours_lag_2d_degc_h,
    dates.calendar_month,
    dates.iso_weekday,
    dates.fiscal_year,
    dates.is_weekend,
    dates.is_holiday,
    dates.is_year_end_break,
    dates.is_business_day,
    periods.hour_of_day,
    periods.is_peak_period,
    areas.frequency_hz
from prices
left join prices as lag_1d
    on
        prices.area_code = lag_1d.area_code
        and prices.delivery_period = lag_1d.delivery_period
        and lag_1d.delivery_date = prices.delivery_date - 1
left join prices as lag_7d
    on
        prices.area_code = lag_7d.area_code
        and prices.delivery_period = lag_7d.delivery_period
        and lag_7d.delivery_date = prices.delivery_date - 7
left join history
    on
        prices.area_code = history.area_code
        and prices.delivery_date = history.delivery_date
        and prices.delivery_period = history.delivery_period
left join intraday as intraday_lag_2d
    on
        prices.delivery_period = intraday_lag_2d.delivery_period
        and intraday_lag_2d.delivery_date = prices.delivery_date - 2
left join dates on prices.delivery_date = dates.date_day
left join periods on prices.delivery_period = periods.delivery_period
left join areas on prices.area_code = areas.area_code
left join supply_demand
    on
        prices.area_code = supply_demand.area_code
        and prices.delivery_date = supply_demand.delivery_date
        and prices.delivery_period = supply_demand.delivery_period
left join weather
    on
        prices.area_code = weather.area_code
        and prices.delivery_date = weather.delivery_date
        and prices.delivery_period = weather.delivery_period
