-- Price features and the label. Grain: one row per JEPX area x delivery date x delivery period
-- (the feat_calendar spine). Leakage: every feature is read from the latest data day that the
-- publication calendar makes public by the gate of D, 10:00 JST on D-1 (latest_available_day):
-- spot results of day d are public at 12:30 on d-1 (so normally d = D-1), intraday results of d
-- at 12:00 on d+1 (normally d = D-3); each group carries its age in days. The week-ago price is
-- the day D-7 (the same weekday as D), or the latest public day when that is older. The 7-day
-- statistics are RANGE windows over (area, period) of the 7 days ending at the latest public day
-- (linear in history), so a missing day stays missing; each carries its observation count and is
-- NULL below 5 of 7 days. Means are rounded to 1e-6 JPY/kWh (inputs have 2 decimals). The label
-- is the spot result of D itself.
{{ config(post_hook="{{ incremental_commit() }}", **incremental_by_date('delivery_date')) }}
{%- set since = feature_since(['jepx']) %}
{%- set prices_from = feature_context_start(since, ref('fct_jepx_spot_area_prices'), 'delivery_date', 'area_code') %}
{%- set intraday_from = feature_context_start(since, ref('fct_jepx_intraday_prices'), 'delivery_date') %}

with spine as (
    select
        area_code,
        delivery_date,
        delivery_period
    from {{ ref('feat_calendar') }}
    where delivery_date >= {{ since }}
),

prices as (
    select * from {{ ref('fct_jepx_spot_area_prices') }}
    where delivery_date >= {{ prices_from }}
),

intraday as (
    select * from {{ ref('fct_jepx_intraday_prices') }}
    where delivery_date >= {{ intraday_from }}
),

spot_day as (
    {{ latest_available_day('spine', 'jepx', 'spot_summary', 'prices', 'delivery_date', 'area_code') }}
),

intraday_day as (
    {{ latest_available_day('spine', 'jepx', 'intraday', 'intraday', 'delivery_date') }}
),

price_days as (
    select
        area_code,
        delivery_date,
        delivery_period,
        area_price_jpy_kwh,
        system_price_jpy_kwh,
        is_area_market_suspended,
        avg(area_price_jpy_kwh) over last_7d as price_mean_7d,
        max(area_price_jpy_kwh) over last_7d as price_max_7d,
        min(area_price_jpy_kwh) over last_7d as price_min_7d,
        count(area_price_jpy_kwh) over last_7d as price_days_7d
    from prices
    window
        last_7d as (
            partition by area_code, delivery_period order by delivery_date
            range between interval 6 day preceding and current row
        )
)

select
    spine.area_code,
    spine.delivery_date,
    spine.delivery_period,
    own_result.area_price_jpy_kwh as target_area_price_jpy_kwh,
    own_result.delivery_date is not null as is_label_known,
    coalesce(own_result.is_area_market_suspended, false) as is_target_area_market_suspended,
    latest.area_price_jpy_kwh as price_latest_jpy_kwh,
    latest.system_price_jpy_kwh as system_price_latest_jpy_kwh,
    coalesce(latest.is_area_market_suspended, false) as is_area_market_suspended_latest,
    spot_day.age_days as price_age_days,
    week_ago.area_price_jpy_kwh as price_week_ago_jpy_kwh,
    cast(coalesce(latest.price_days_7d, 0) as integer) as price_days_7d_same_period,
    case when latest.price_days_7d >= 5 then round(latest.price_mean_7d, 6) end
        as price_mean_7d_same_period_jpy_kwh,
    case when latest.price_days_7d >= 5 then latest.price_max_7d end as price_max_7d_same_period_jpy_kwh,
    case when latest.price_days_7d >= 5 then latest.price_min_7d end as price_min_7d_same_period_jpy_kwh,
    intraday_latest.average_price_jpy_kwh as intraday_avg_price_latest_jpy_kwh,
    intraday_day.age_days as intraday_age_days
from spine
left join prices as own_result
    on
        spine.area_code = own_result.area_code
        and spine.delivery_date = own_result.delivery_date
        and spine.delivery_period = own_result.delivery_period
left join spot_day
    on
        spine.area_code = spot_day.area_code
        and spine.delivery_date = spot_day.delivery_date
left join price_days as latest
    on
        spine.area_code = latest.area_code
        and spine.delivery_period = latest.delivery_period
        and spot_day.available_date = latest.delivery_date
left join price_days as week_ago
    on
        spine.area_code = week_ago.area_code
        and spine.delivery_period = week_ago.delivery_period
        and least(spot_day.available_date, spine.delivery_date - 7) = week_ago.delivery_date
left join intraday_day
    on
        spine.area_code = intraday_day.area_code
        and spine.delivery_date = intraday_day.delivery_date
left join intraday as intraday_latest
    on
        spine.delivery_period = intraday_latest.delivery_period
        and intraday_day.available_date = intraday_latest.delivery_date
