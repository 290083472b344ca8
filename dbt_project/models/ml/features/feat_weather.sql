-- Weather features. Grain: one row per JEPX area x delivery date x delivery period (the
-- feat_calendar spine). Leakage: the row for delivery day D uses JMA observations of D-2 only
-- (the same hour, mapped to both half-hour periods of that hour) and D-2's daily statistics; D-1
-- is not complete when the auction closes at 10:00 on D-1 (obsdl serves whole days up to
-- yesterday). Revised rows use the version fetched before 10:00 JST on D-1 (the day after the
-- observation), else the first version fetched (int_jma__hourly_*_versions). Daily statistics
-- carry the number of observed hours and are NULL below 20 of 24. Heating degree hours use an
-- 18 degC base, cooling degree hours 24 degC, scaled to 24 hours when some hours are missing.
with spine as (
    select
        area_code,
        delivery_date,
        delivery_period
    from {{ ref('feat_calendar') }}
),

periods as (
    select * from {{ ref('dim_delivery_period') }}
),

weather as (
    select * from {{ ref('int_area_weather_hourly') }}
    where vintage = 'gate'
),

daily as (
    select
        area_code,
        observed_date,
        round(avg(temperature_degc), 6) as temperature_mean_degc,
        max(temperature_degc) as temperature_max_degc,
        min(temperature_degc) as temperature_min_degc,
        count(temperature_degc) as temperature_hours,
        round(sum(greatest(18 - temperature_degc, 0)) * 24 / nullif(count(temperature_degc), 0), 6)
            as heating_degree_hours_degc_h,
        round(sum(greatest(temperature_degc - 24, 0)) * 24 / nullif(count(temperature_degc), 0), 6)
            as cooling_degree_hours_degc_h
    from weather
    group by area_code, observed_date
)

select
    spine.area_code,
    spine.delivery_date,
    spine.delivery_period,
    hour_2d.temperature_degc as temperature_lag_2d_degc,
    hour_2d.relative_humidity_pct as relative_humidity_lag_2d_pct,
    hour_2d.precipitation_mm as precipitation_lag_2d_mm,
    hour_2d.sunshine_h as sunshine_lag_2d_h,
    hour_2d.solar_radiation_mj_m2 as solar_radiation_lag_2d_mj_m2,
    hour_2d.wind_speed_m_s as wind_speed_lag_2d_m_s,
    cast(coalesce(day_2d.temperature_hours, 0) as integer) as temperature_hours_lag_2d,
    case when day_2d.temperature_hours >= 20 then day_2d.temperature_mean_degc end as temperature_mean_lag_2d_degc,
    case when day_2d.temperature_hours >= 20 then day_2d.temperature_max_degc end as temperature_max_lag_2d_degc,
    case when day_2d.temperature_hours >= 20 then day_2d.temperature_min_degc end as temperature_min_lag_2d_degc,
    case when day_2d.temperature_hours >= 20 then day_2d.heating_degree_hours_degc_h end
        as heating_degree_hours_lag_2d_degc_h,
    case when day_2d.temperature_hours >= 20 then day_2d.cooling_degree_hours_degc_h end
        as cooling_degree_hours_lag_2d_degc_h
from spine
inner join periods on spine.delivery_period = periods.delivery_period
left join weather as hour_2d
    on
        spine.area_code = hour_2d.area_code
        and hour_2d.observed_start_jst = cast(spine.delivery_date - 2 as timestamp) + to_hours(periods.hour_of_day)
left join daily as day_2d
    on
        spine.area_code = day_2d.area_code
        and day_2d.observed_date = spine.delivery_date - 2
