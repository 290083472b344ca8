-- Calendar days (one row per JST date) with Japanese fiscal year, weekday and public holidays.
with spine as (
    select cast(date_series.day_ts as date) as date_day
    from
        generate_series(
            cast('{{ var("dim_date_start") }}' as timestamp),
            cast('{{ var("dim_date_end") }}' as timestamp),
            interval 1 day
        ) as date_series (day_ts)
),

holidays as (
    select * from {{ ref('jp_holidays') }}
),

calendar as (
    select
        spine.date_day,
        cast(extract(year from spine.date_day) as integer) as calendar_year,
        cast(extract(month from spine.date_day) as integer) as calendar_month,
        cast(extract(day from spine.date_day) as integer) as day_of_month,
        cast({{ fiscal_year('spine.date_day') }} as integer) as fiscal_year,
        cast(((extract(month from spine.date_day) + 8) % 12) // 3 + 1 as integer) as fiscal_quarter,
        cast(isodow(spine.date_day) as integer) as iso_weekday,
        dayname(spine.date_day) as weekday_name,
        isodow(spine.date_day) >= 6 as is_weekend,
        holidays.holiday_date is not null as is_holiday,
        holidays.holiday_name_ja,
        (extract(month from spine.date_day) = 12 and extract(day from spine.date_day) >= 29)
        or (extract(month from spine.date_day) = 1 and extract(day from spine.date_day) <= 3)
            as is_year_end_break
    from spine
    left join holidays on spine.date_day = holidays.holiday_date
)

select
    date_day,
    calendar_year,
    calendar_month,
    day_of_month,
    fiscal_year,
    fiscal_quarter,
    iso_weekday,
    weekday_name,
    is_weekend,
    is_holiday,
    holiday_name_ja,
    is_year_end_break,
    not coalesce(is_weekend or is_holiday or is_year_end_break, false) as is_business_day
from calendar
