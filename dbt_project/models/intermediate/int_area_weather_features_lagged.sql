-- Weather features for the ML mart: one row per area x delivery date x delivery period.
-- Leakage rule: the row for delivery day D uses only observations of D-2 and earlier (JMA's
-- obsdl serves complete days up to yesterday, so D-1 is not known before the 10:00 auction on
-- D-1). Hourly values map to both half-hour periods of their hour (periods 2h+1 and 2h+2).
-- Degree hours: heating base 18 degC, cooling base 24 degC, over the 24 hours of D-2; when JMA
-- is missing some hours the sum is scaled to 24 hours (temperature_hours_lag_2d says how many).
with weather as (
    select * from {{ ref('fct_area_weather_hourly') }}
),

periods as (
    select * from {{ ref('dim_delivery_period') }}
),

daily as (
    select
        area_code,
        observed_date,
        avg(temperature_degc) as temperature_mean_degc,
        max(temperature_degc) as temperature_max_degc,
        min(temperature_degc) as temperature_min_degc,
        count(temperature_degc) as temperature_hours,
        sum(greatest(18 - temperature_degc, 0)) * 24 / nullif(count(temperature_degc), 0)
            as heating_degree_hours_degc_h,
        sum(greatest(temperature_degc - 24, 0)) * 24 / nullif(count(temperature_degc), 0)
            as cooling_degree_hours_degc_h
    from weather
    group by area_code, observed_date
),

spine as (
    select
        weather.area_code,
        weather.observed_date + 2 as delivery_date,
        periods.delivery_period,
        weather.temperature_degc,
        weather.relative_humidity_pct,
        weather.precipitation_mm,
        weather.sunshine_h,
        weather.solar_radiation_mj_m2,
        weather.wind_speed_m_s
    from weather
    inner join periods on extract(hour from weather.observed_start_jst) = periods.hour_of_day
)

select
    spine.area_code,
    spine.delivery_date,
    spine.delivery_period,
    spine.temperature_degc as temperature_lag_2d_degc,
    spine.relative_humidity_pct as relative_humidity_lag_2d_pct,
    spine.precipitation_mm as precipitation_lag_2d_mm,
    spine.sunshine_h as sunshine_lag_2d_h,
    spine.solar_radiation_mj_m2 as solar_radiation_lag_2d_mj_m2,
    spine.wind_speed_m_s as wind_speed_lag_2d_m_s,
    daily.temperature_mean_degc as temperature_mean_lag_2d_degc,
    daily.temperature_max_degc as temperature_max_lag_2d_degc,
    daily.temperature_min_degc as temperature_min_lag_2d_degc,
    daily.temperature_hours as temperature_hours_lag_2d,
    daily.heating_degree_hours_degc_h as heating_degree_hours_lag_2d_degc_h,
    daily.cooling_degree_hours_degc_h as cooling_degree_hours_lag_2d_degc_h
from spine
left join daily
    on
        spine.area_code = daily.area_code
        and daily.observed_date = spine.delivery_date - 2
