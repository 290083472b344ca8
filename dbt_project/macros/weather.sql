{#-
  Every fetched version of every JMA hourly observation (int_weather_observations_unioned, and
  fct_weather_hourly reading only its window): obsdl versions, plus etrn versions (fallback) for
  station-hours obsdl has no version of. Grain: station_id x observed_start_jst x version.

  `since` (a SQL date literal, or none for the whole history): only the hours starting on or after
  that day. Both inputs are filtered before their version windows and the obsdl/etrn anti-join
  (all keyed by station and hour, which contain the day), so the rows of those days are exactly
  those of the whole history. The raw hour-end label is filtered too (an hour starts on or after
  `since` exactly when it ends at or after 01:00 of that day), which DuckDB pushes into the raw
  table scan.
-#}
{% macro weather_observations_unioned(since=none) -%}
with obsdl as (
    {%- if since is none %}
    select * from {{ ref('int_jma__hourly_obsdl_versions') }}
    {%- else %}
    {{ revision_versions(
        jma_hours_from(ref('base_jma__hourly_obsdl'), since), 'station_id', 'observed_start_jst', 'jma', 'hourly_obsdl',
        since=since
    ) | indent(4) }}
    {%- endif %}
),

etrn as (
    {%- if since is none %}
    select * from {{ ref('int_jma__hourly_etrn_versions') }}
    {%- else %}
    {{ revision_versions(
        jma_hours_from(ref('base_jma__hourly_etrn'), since), 'station_id', 'observed_start_jst', 'jma', 'hourly_etrn',
        since=since
    ) | indent(4) }}
    {%- endif %}
),

obsdl_keys as (
    select distinct
        station_id,
        observed_start_jst
    from obsdl
),

etrn_only as (
    select etrn.*
    from etrn
    left join obsdl_keys
        on
            etrn.station_id = obsdl_keys.station_id
            and etrn.observed_start_jst = obsdl_keys.observed_start_jst
    where obsdl_keys.station_id is null
)

select * from obsdl
union all by name
select * from etrn_only
{%- endmacro %}


{#-
  Area weather per hour (int_area_weather_hourly, and fct_area_weather_hourly reading only its
  window): per vintage ('latest': newest version of every station-hour; 'gate': the version known
  at the leakage gate) x area_code x observed_start_jst, the area_weight-weighted mean of the
  area's seed stations whose value JMA rates normal or quasi-normal (quality 8 or 5); stations
  outside seeds/weather_stations.csv are not weighted into any area. Means are rounded to 1e-6 so
  that the result does not depend on the order DuckDB adds stations in.
  `since` (a SQL date literal, or none): only the hours from that day on, read through
  weather_observations_unioned(since) (an area-hour's stations all lie on its day).
-#}
{% macro area_weather_hourly(since=none, vintages=['latest', 'gate']) -%}
{%- set elements = [
    ('temperature_degc', 'temperature_quality'),
    ('relative_humidity_pct', 'relative_humidity_quality'),
    ('precipitation_mm', 'precipitation_quality'),
    ('sunshine_h', 'sunshine_quality'),
    ('solar_radiation_mj_m2', 'solar_radiation_quality'),
    ('wind_speed_m_s', 'wind_speed_quality'),
] %}
with observations as (
    {%- if since is none %}
    select * from {{ ref('int_weather_observations_unioned') }}
    {%- else %}
    select * from (
        {{ weather_observations_unioned(since) | indent(8) }}
    ) as unioned
    {%- endif %}
),

stations as (
    select * from {{ ref('weather_stations') }}
),

vintages as (
    {%- for vintage in vintages %}
    select
        '{{ vintage }}' as vintage,
        *
    from observations
    where is_{{ vintage }}_version
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
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
{%- endmacro %}


{#- A JMA base relation's rows whose hour starts on `since` or later, as a subquery filtered on the
    hour's end (observed_end_jst, the raw label: a plain column, so the filter reaches the scan). -#}
{% macro jma_hours_from(relation, since) -%}
(select * from {{ relation }} where observed_end_jst >= cast({{ since }} as timestamp) + interval 1 hour)
{%- endmacro %}
