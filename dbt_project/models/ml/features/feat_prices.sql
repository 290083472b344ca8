-- Price features and the label. Grain: one row per JEPX area x delivery date x delivery period
-- (the feat_calendar spine). Leakage: the row for delivery day D uses spot results of D-1 and
-- earlier (D-1's auction closed at 10:00 on D-2) and intraday results of D-2 and earlier (D-1 is
-- still trading at 10:00 on D-1); the label is the spot result of D itself. Rolling statistics are
-- window functions over (area, period) ordered by date with a RANGE frame of 7..1 days before D,
-- so a missing day is missing, not replaced by an older one; each carries its observation count
-- and is NULL below 5 of 7 days. Means are rounded to 1e-6 JPY/kWh (inputs have 2 decimals).
with spine as (
    select
        area_code,
        delivery_date,
        delivery_period
    from {{ ref('feat_calendar') }}
),

prices as (
    select * from {{ ref('fct_jepx_spot_area_prices') }}
),

intraday as (
    select * from {{ ref('fct_jepx_intraday_prices') }}
),

daily_prices as (
    select
        spine.area_code,
        spine.delivery_date,
        spine.delivery_period,
        prices.area_price_jpy_kwh,
        prices.system_price_jpy_kwh,
        prices.is_area_market_suspended,
        prices.delivery_date is not null as is_result_published
    from spine
    left join prices
        on
            spine.area_code = prices.area_code
            and spine.delivery_date = prices.delivery_date
            and spine.delivery_period = prices.delivery_period
),

windowed as (
    select
        area_code,
        delivery_date,
        delivery_period,
        area_price_jpy_kwh,
        is_result_published,
        is_area_market_suspended,
        max(area_price_jpy_kwh) over lag_1d as price_lag_1d_jpy_kwh,
        max(system_price_jpy_kwh) over lag_1d as system_price_lag_1d_jpy_kwh,
        bool_or(is_area_market_suspended) over lag_1d as is_area_market_suspended_lag_1d,
        max(area_price_jpy_kwh) over lag_7d as price_lag_7d_jpy_kwh,
        avg(area_price_jpy_kwh) over last_7d as price_mean_7d,
        max(area_price_jpy_kwh) over last_7d as price_max_7d,
        min(area_price_jpy_kwh) over last_7d as price_min_7d,
        count(area_price_jpy_kwh) over last_7d as price_days_7d
    from daily_prices
    window
        lag_1d as (
            partition by area_code, delivery_period order by delivery_date
            range between interval 1 day preceding and interval 1 day preceding
        ),
        lag_7d as (
            partition by area_code, delivery_period order by delivery_date
            range between interval 7 day preceding and interval 7 day preceding
        ),
        last_7d as (
            partition by area_code, delivery_period order by delivery_date
            range between interval 7 day preceding and interval 1 day preceding
        )
)

select
    windowed.area_code,
    windowed.delivery_date,
    windowed.delivery_period,
    windowed.area_price_jpy_kwh as target_area_price_jpy_kwh,
    windowed.is_result_published as is_label_known,
    coalesce(windowed.is_area_market_suspended, false) as is_target_area_market_suspended,
    windowed.price_lag_1d_jpy_kwh,
    windowed.system_price_lag_1d_jpy_kwh,
    coalesce(windowed.is_area_market_suspended_lag_1d, false) as is_area_market_suspended_lag_1d,
    windowed.price_lag_7d_jpy_kwh,
    cast(windowed.price_days_7d as integer) as price_days_7d_same_period,
    case when windowed.price_days_7d >= 5 then round(windowed.price_mean_7d, 6) end
        as price_mean_7d_same_period_jpy_kwh,
    case when windowed.price_days_7d >= 5 then windowed.price_max_7d end as price_max_7d_same_period_jpy_kwh,
    case when windowed.price_days_7d >= 5 then windowed.price_min_7d end as price_min_7d_same_period_jpy_kwh,
    intraday_lag_2d.average_price_jpy_kwh as intraday_avg_price_lag_2d_jpy_kwh
from windowed
left join intraday as intraday_lag_2d
    on
        windowed.delivery_period = intraday_lag_2d.delivery_period
        and intraday_lag_2d.delivery_date = windowed.delivery_date - 2
