-- The feature spine and the calendar facts of the delivery day itself. Grain: one row per JEPX
-- area x delivery date x delivery period, for every day from the first published auction to the
-- day after the last published auction (that day's rows are the scoring rows: label unknown).
-- Leakage: calendar facts of D (weekday, holiday, fiscal year, period of day) are known years
-- ahead; nothing here depends on market or weather data except the spine's date bounds.
{{ config(post_hook="{{ incremental_commit() }}", **incremental_by_date('delivery_date')) }}
{%- set since = feature_since(['jepx']) %}

with bounds as (
    select
        min(delivery_date) as first_date,
        max(delivery_date) + 1 as last_date
    from {{ ref('fct_jepx_spot_area_prices') }}
),

dates as (
    select dim_date.*
    from {{ ref('dim_date') }} as dim_date
    inner join bounds on dim_date.date_day between bounds.first_date and bounds.last_date
    where dim_date.date_day >= {{ since }}
),

areas as (
    select * from {{ ref('dim_area') }}
    where is_jepx_area
),

periods as (
    select * from {{ ref('dim_delivery_period') }}
)

select
    cast(
        strftime(dates.date_day, '%Y%m%d') || '-' || lpad(cast(periods.delivery_period as varchar), 2, '0')
        || '-' || areas.area_code as varchar
    ) as feature_key,
    areas.area_code,
    dates.date_day as delivery_date,
    periods.delivery_period,
    {{ period_start_jst('dates.date_day', 'periods.delivery_period') }} as delivery_start_jst,
    {{ jst_to_utc(period_start_jst('dates.date_day', 'periods.delivery_period')) }} as delivery_start_utc,
    cast(dates.calendar_year as integer) as delivery_year,
    dates.calendar_month,
    dates.iso_weekday,
    dates.fiscal_year,
    dates.is_weekend,
    dates.is_holiday,
    dates.is_year_end_break,
    dates.is_business_day,
    periods.hour_of_day,
    periods.is_peak_period,
    areas.frequency_hz
from dates
cross join areas
cross join periods
