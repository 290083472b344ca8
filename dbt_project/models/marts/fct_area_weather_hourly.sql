-- Area weather: one row per area x hour start (JST), the area_weight-weighted mean of its seed
-- stations' values that JMA rates normal or quasi-normal (quality 8 or 5), newest versions.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='observed_date',
    on_schema_change='fail',
    post_hook="{{ incremental_commit() }}"
) }}
{%- set since = incremental_since('jma', none) %}

select
    cast(area_code || '-' || strftime(observed_start_jst, '%Y%m%d%H') as varchar) as area_weather_hour_key,
    cast(area_code as varchar) as area_code,
    cast(observed_start_jst as timestamp) as observed_start_jst,
    cast(observed_start_utc as timestamptz) as observed_start_utc,
    cast(observed_date as date) as observed_date,
    cast(temperature_degc as double) as temperature_degc,
    cast(relative_humidity_pct as double) as relative_humidity_pct,
    cast(precipitation_mm as double) as precipitation_mm,
    cast(sunshine_h as double) as sunshine_h,
    cast(solar_radiation_mj_m2 as double) as solar_radiation_mj_m2,
    cast(wind_speed_m_s as double) as wind_speed_m_s,
    cast(station_count as integer) as station_count
from (
    -- int_area_weather_hourly's SQL for the latest vintage, its observations read from `since` on
    {{ area_weather_hourly(since, ['latest']) | indent(4) }}
) as area_weather
where vintage = 'latest' and observed_date >= {{ since }}
