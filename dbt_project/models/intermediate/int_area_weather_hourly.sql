-- Area weather per hour in two vintages: 'latest' (newest version of every station-hour;
-- fct_area_weather_hourly) and 'gate' (the version known at the leakage gate; ML features).
-- Grain: vintage x area_code x observed_start_jst. Each value is the area_weight-weighted mean of
-- the area's seed stations whose value JMA rates normal or quasi-normal (quality 8 or 5);
-- stations outside seeds/weather_stations.csv are not weighted into any area. Means are rounded
-- to 1e-6 so that the result does not depend on the order DuckDB adds stations in.
{%- set elements = [
    ('temperature_degc', 'temperature_quality'),
    ('relative_humidity_pct', 'relative_humidity_quality'),
    ('precipitation_mm', 'precipitation_quality'),
    ('sunshine_h', 'sunshine_quality'),
    ('solar_radiation_mj_m2', 'solar_radiation_quality'),
    ('wind_speed_m_s', 'wind_speed_quality'),
] %}
with observations as (
    select * from {{ ref('int_weather_observations_unioned') }}
),

stations as (
    select * from {{ ref('weather_stations') }}
),

vintages as (
    select
        'latest' as vintage,
        *
    from observations
    where is_latest_version
    union all
    select
        'gate' as vintage,
        *
    from observations
    where is_gate_version
),

weighted as (
    select
        vintages.vintage,
        stations.area_code,
        vintages.observed_start_jst,
        vintages.observed_start_utc,
        {%- for value, quality in elements %}
            case when vintages.{{ quality }} in (5, 8) then vintages.{{ value }} end as {{ value }},
        {%- endfor %}
        vintages.station_id,
        stations.area_weight
    from vintages
    inner join stations on vintages.station_id = stations.station_id
)

select
    vintage,
    area_code,
    observed_start_jst,
    observed_start_utc,
    cast(observed_start_jst as date) as observed_date,
    {%- for value, quality in elements %}
        round(
            sum({{ value }} * area_weight) / nullif(sum(case when {{ value }} is not null then area_weight end), 0),
            6
        ) as {{ value }},
    {%- endfor %}
    cast(count(distinct station_id) as integer) as station_count
from weighted
group by vintage, area_code, observed_start_jst, observed_start_utc
