-- Weather features. Grain: one row per JEPX area x delivery date x delivery period (the
-- feat_calendar spine). Leakage: every feature is read from the latest observation day that the
-- publication calendar makes public by the gate of D (10:00 JST on D-1): JMA's day d is public at
-- 12:00 on d+1 (obsdl and etrn share the rule), so normally d = D-3; weather_age_days says how
-- old. Hourly values are the same hour of that day (each hour fills both of its half-hour
-- periods), daily statistics that day's. Revised rows use the version fetched before the first
-- gate that may use the day by the calendar (10:00 JST on d+2), else the first version fetched
-- (int_jma__hourly_*_versions). Daily statistics carry the number of observed hours and are NULL
-- below 20 of 24. Heating degree hours use an 18 degC base, cooling degree hours 24 degC, scaled
-- to 24 hours when some hours are missing.
{{ config(post_hook="{{ incremental_commit() }}", **incremental_by_date('delivery_date')) }}
{%- set since = feature_since(['jepx', 'jma']) %}
{#- the context's first day from the latest-vintage mart, a table: every area-hour has exactly
    one gate and one latest version (revisions.sql), so both vintages hold the same area-days,
    and scanning the view's whole history for them cost seconds -#}
{%- set weather_from = feature_context_start(
    since, ref('fct_area_weather_hourly'), 'observed_date', 'area_code'
) %}
{#- an incremental run reads the gate vintage from weather_from on through the macro that
    int_area_weather_hourly renders whole, filtered on the raw hour label before the version
    windows (a filter on the view reaches no scan: its hour start is computed); a whole build
    (and a unit test) reads the view. The macro's inputs: -#}
-- depends_on: {{ ref('base_jma__hourly_obsdl') }}, {{ ref('base_jma__hourly_etrn') }}, {{ ref('weather_stations') }}
{%- set whole = since == "date '1900-01-01'" %}

with spine as (
    select
        area_code,
        delivery_date,
        delivery_period
    from {{ ref('feat_calendar') }}
    where delivery_date >= {{ since }}
),

periods as (
    select * from {{ ref('dim_delivery_period') }}
),

weather as (
    {%- if whole %}
        select * from {{ ref('int_area_weather_hourly') }}
        where vintage = 'gate'
    {%- else %}
        select * from (
            {{ area_weather_hourly(weather_from, ['gate']) | indent(12) }}
        ) as area_weather
        where vintage = 'gate' and observed_date >= {{ weather_from }}
    {%- endif %}
),

latest_day as (
    {{ latest_available_day('spine', 'jma', 'hourly_obsdl', 'weather', 'observed_date', 'area_code') }}
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
    latest_hour.temperature_degc as temperature_latest_degc,
    latest_hour.relative_humidity_pct as relative_humidity_latest_pct,
    latest_hour.precipitation_mm as precipitation_latest_mm,
    latest_hour.sunshine_h as sunshine_latest_h,
    latest_hour.solar_radiation_mj_m2 as solar_radiation_latest_mj_m2,
    latest_hour.wind_speed_m_s as wind_speed_latest_m_s,
    latest_day.age_days as weather_age_days,
    cast(coalesce(latest_daily.temperature_hours, 0) as integer) as temperature_hours_latest,
    case when latest_daily.temperature_hours >= 20 then latest_daily.temperature_mean_degc end
        as temperature_mean_latest_degc,
    case when latest_daily.temperature_hours >= 20 then latest_daily.temperature_max_degc end
        as temperature_max_latest_degc,
    case when latest_daily.temperature_hours >= 20 then latest_daily.temperature_min_degc end
        as temperature_min_latest_degc,
    case when latest_daily.temperature_hours >= 20 then latest_daily.heating_degree_hours_degc_h end
        as heating_degree_hours_latest_degc_h,
    case when latest_daily.temperature_hours >= 20 then latest_daily.cooling_degree_hours_degc_h end
        as cooling_degree_hours_latest_degc_h
from spine
inner join periods on spine.delivery_period = periods.delivery_period
left join latest_day
    on
        spine.area_code = latest_day.area_code
        and spine.delivery_date = latest_day.delivery_date
left join weather as latest_hour
    on
        spine.area_code = latest_hour.area_code
        and latest_hour.observed_start_jst
        = cast(latest_day.available_date as timestamp) + to_hours(periods.hour_of_day)
left join daily as latest_daily
    on
        spine.area_code = latest_daily.area_code
        and latest_day.available_date = latest_daily.observed_date
