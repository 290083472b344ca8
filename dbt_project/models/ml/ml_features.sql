-- The ML feature table: one row per JEPX area x delivery date x delivery period, from the first
-- published auction to the day after the last one (scoring rows: label NULL, is_label_known
-- false). A thin join of the feat_* models, each of which states and tests its own leakage rule:
-- a row for delivery day D holds only what was published before 10:00 JST on D-1.
-- Written to Parquet by the exports model (exports/ml_features/delivery_year=YYYY/).
with calendar as (
    select * from {{ ref('feat_calendar') }}
),

prices as (
    select * from {{ ref('feat_prices') }}
),

supply_demand as (
    select * from {{ ref('feat_supply_demand') }}
),

weather as (
    select * from {{ ref('feat_weather') }}
)

select
    calendar.feature_key,
    calendar.area_code,
    calendar.delivery_date,
    calendar.delivery_period,
    calendar.delivery_start_jst,
    calendar.delivery_start_utc,
    calendar.delivery_year,
    prices.target_area_price_jpy_kwh,
    prices.is_label_known,
    prices.is_target_area_market_suspended,
    prices.price_lag_1d_jpy_kwh,
    prices.system_price_lag_1d_jpy_kwh,
    prices.is_area_market_suspended_lag_1d,
    prices.price_lag_7d_jpy_kwh,
    prices.price_days_7d_same_period,
    prices.price_mean_7d_same_period_jpy_kwh,
    prices.price_max_7d_same_period_jpy_kwh,
    prices.price_min_7d_same_period_jpy_kwh,
    prices.intraday_avg_price_lag_2d_jpy_kwh,
    supply_demand.demand_lag_2d_mw,
    supply_demand.demand_lag_7d_mw,
    supply_demand.solar_lag_2d_mw,
    supply_demand.wind_lag_2d_mw,
    supply_demand.residual_load_lag_2d_mw,
    supply_demand.residual_load_lag_7d_mw,
    supply_demand.demand_periods_lag_2d,
    supply_demand.peak_demand_lag_2d_mw,
    supply_demand.mean_demand_lag_2d_mw,
    weather.temperature_lag_2d_degc,
    weather.relative_humidity_lag_2d_pct,
    weather.precipitation_lag_2d_mm,
    weather.sunshine_lag_2d_h,
    weather.solar_radiation_lag_2d_mj_m2,
    weather.wind_speed_lag_2d_m_s,
    weather.temperature_hours_lag_2d,
    weather.temperature_mean_lag_2d_degc,
    weather.temperature_max_lag_2d_degc,
    weather.temperature_min_lag_2d_degc,
    weather.heating_degree_hours_lag_2d_degc_h,
    weather.cooling_degree_hours_lag_2d_degc_h,
    calendar.calendar_month,
    calendar.iso_weekday,
    calendar.fiscal_year,
    calendar.is_weekend,
    calendar.is_holiday,
    calendar.is_year_end_break,
    calendar.is_business_day,
    calendar.hour_of_day,
    calendar.is_peak_period,
    calendar.frequency_hz
from calendar
left join prices
    on
        calendar.area_code = prices.area_code
        and calendar.delivery_date = prices.delivery_date
        and calendar.delivery_period = prices.delivery_period
left join supply_demand
    on
        calendar.area_code = supply_demand.area_code
        and calendar.delivery_date = supply_demand.delivery_date
        and calendar.delivery_period = supply_demand.delivery_period
left join weather
    on
        calendar.area_code = weather.area_code
        and calendar.delivery_date = weather.delivery_date
        and calendar.delivery_period = weather.delivery_period
