{#-
  One JMA hourly raw table (obsdl CSV or etrn HTML: the parsers give both the same columns),
  renamed and typed, one row per raw row (every fetched version once the raw table keeps revision
  history). JMA labels an hour by its END (hour 24 = next day 00:00); every row gets the hour's
  start, JST and UTC.
-#}
{% macro jma_hourly_rows(relation) -%}
with source as (
    select * from {{ relation }}
),

renamed as (
    select
        cast(station_id as varchar) as station_id,
        nullif(trim(cast(station_name as varchar)), '') as station_name,
        cast(observed_label_jst as timestamp) - interval 1 hour as observed_start_jst,
        {{ jst_to_utc('observed_start_jst') }} as observed_start_utc,
        cast(observed_label_jst as timestamp) as observed_end_jst,
        cast(temperature_degc as double) as temperature_degc,
        cast(temperature_quality as integer) as temperature_quality,
        cast(temperature_homogeneity as integer) as temperature_homogeneity,
        cast(relative_humidity_pct as double) as relative_humidity_pct,
        cast(relative_humidity_quality as integer) as relative_humidity_quality,
        cast(relative_humidity_homogeneity as integer) as relative_humidity_homogeneity,
        cast(precipitation_mm as double) as precipitation_mm,
        cast(precipitation_quality as integer) as precipitation_quality,
        cast(precipitation_no_phenomenon as boolean) as precipitation_no_phenomenon,
        cast(precipitation_homogeneity as integer) as precipitation_homogeneity,
        cast(sunshine_h as double) as sunshine_h,
        cast(sunshine_quality as integer) as sunshine_quality,
        cast(sunshine_no_phenomenon as boolean) as sunshine_no_phenomenon,
        cast(sunshine_homogeneity as integer) as sunshine_homogeneity,
        cast(solar_radiation_mj_m2 as double) as solar_radiation_mj_m2,
        cast(solar_radiation_quality as integer) as solar_radiation_quality,
        cast(solar_radiation_homogeneity as integer) as solar_radiation_homogeneity,
        cast(wind_speed_m_s as double) as wind_speed_m_s,
        cast(wind_speed_quality as integer) as wind_speed_quality,
        cast(wind_speed_homogeneity as integer) as wind_speed_homogeneity,
        cast(wind_direction as varchar) as wind_direction,
        cast(wind_direction_quality as integer) as wind_direction_quality,
        cast(interface as varchar) as interface,
        {{ lineage_columns() }}
    from source
)

select * from renamed
{%- endmacro %}
