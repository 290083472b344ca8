-- Area weather: one row per area x hour start (JST), the area_weight-weighted mean of its
-- stations' values that JMA rates normal or quasi-normal (quality 8 or 5).
{%- set elements = [
    ('temperature_degc', 'temperature_quality'),
    ('relative_humidity_pct', 'relative_humidity_quality'),
    ('precipitation_mm', 'precipitation_quality'),
    ('sunshine_h', 'sunshine_quality'),
    ('solar_radiation_mj_m2', 'solar_radiation_quality'),
    ('wind_speed_m_s', 'wind_speed_quality'),
] %}
with hourly as (
    select * from {{ ref('fct_weather_hourly') }}
),

stations as (
    select * from {{ ref('weather_stations') }}
),

weighted as (
    select
        hourly.area_code,
        hourly.observed_start_jst,
        hourly.observed_start_utc,
        {%- for value, quality in elements %}
            case when hourly.{{ quality }} in (5, 8) then hourly.{{ value }} end as {{ value }},
        {%- endfor %}
        hourly.station_id,
        stations.area_weight
    from hourly
    inner join stations on hourly.station_id = stations.station_id
)

select
    cast(area_code || '-' || strftime(observed_start_jst, '%Y%m%d%H') as varchar) as area_weather_hour_key,
    cast(area_code as varchar) as area_code,
    cast(observed_start_jst as timestamp) as observed_start_jst,
    cast(observed_start_utc as timestamp) as observed_start_utc,
    cast(observed_start_jst as date) as observed_date,
    {%- for value, quality in elements %}
        cast(
            sum({{ value }} * area_weight) / nullif(sum(case when {{ value }} is not null then area_weight end), 0)
            as double
        ) as {{ value }},
    {%- endfor %}
    cast(count(distinct station_id) as integer) as station_count
from weighted
group by area_code, observed_start_jst, observed_start_utc
