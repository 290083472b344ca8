-- JMA hourly weather per station: one row per station x hour start (JST), the newest fetched
-- version. Stations missing from seeds/weather_stations.csv (e.g. Haneda in an obsdl file) stay,
-- with area_code NULL, and are not weighted into any area (dq_source_issues lists them). An
-- incremental run reads only the days from `since` on.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='observed_date',
    on_schema_change='fail',
    post_hook="{{ incremental_commit() }}"
) }}
{%- set since = incremental_since('jma', none) %}

with unioned as (
    -- int_weather_observations_unioned's SQL, both inputs filtered to the window before their
    -- version windows (the whole view would rank every version of the history)
    {{ weather_observations_unioned(since) | indent(4) }}
),

observations as (
    select * from unioned
    where is_latest_version and cast(observed_start_jst as date) >= {{ since }}
),

stations as (
    select * from {{ ref('weather_stations') }}
)

select
    cast(observations.station_id || '-' || strftime(observations.observed_start_jst, '%Y%m%d%H') as varchar)
        as weather_hour_key,
    cast(observations.station_id as varchar) as station_id,
    cast(coalesce(observations.station_name, stations.station_name_ja) as varchar) as station_name,
    cast(stations.area_code as varchar) as area_code,
    cast(observations.observed_start_jst as timestamp) as observed_start_jst,
    cast(observations.observed_start_utc as timestamptz) as observed_start_utc,
    cast(observations.observed_start_jst as date) as observed_date,
    cast(observations.temperature_degc as double) as temperature_degc,
    cast(observations.temperature_quality as integer) as temperature_quality,
    cast(observations.temperature_homogeneity as integer) as temperature_homogeneity,
    cast(observations.relative_humidity_pct as double) as relative_humidity_pct,
    cast(observations.relative_humidity_quality as integer) as relative_humidity_quality,
    cast(observations.relative_humidity_homogeneity as integer) as relative_humidity_homogeneity,
    cast(observations.precipitation_mm as double) as precipitation_mm,
    cast(observations.precipitation_quality as integer) as precipitation_quality,
    cast(observations.precipitation_no_phenomenon as boolean) as precipitation_no_phenomenon,
    cast(observations.precipitation_homogeneity as integer) as precipitation_homogeneity,
    cast(observations.sunshine_h as double) as sunshine_h,
    cast(observations.sunshine_quality as integer) as sunshine_quality,
    cast(observations.sunshine_no_phenomenon as boolean) as sunshine_no_phenomenon,
    cast(observations.sunshine_homogeneity as integer) as sunshine_homogeneity,
    cast(observations.solar_radiation_mj_m2 as double) as solar_radiation_mj_m2,
    cast(observations.solar_radiation_quality as integer) as solar_radiation_quality,
    cast(observations.solar_radiation_homogeneity as integer) as solar_radiation_homogeneity,
    cast(observations.wind_speed_m_s as double) as wind_speed_m_s,
    cast(observations.wind_speed_quality as integer) as wind_speed_quality,
    cast(observations.wind_speed_homogeneity as integer) as wind_speed_homogeneity,
    cast(observations.wind_direction as varchar) as wind_direction,
    cast(observations.wind_direction_quality as integer) as wind_direction_quality,
    cast(observations.interface as varchar) as interface,
    cast(observations.source_file as varchar) as source_file,
    cast(observations.fetched_at as timestamptz) as fetched_at
from observations
left join stations on observations.station_id = stations.station_id
