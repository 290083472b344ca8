-- Data quality: an expired monthly power contract's last settlement (its final settlement when
-- an import says quote_type = final_settlement, else the settlement of its last trading day)
-- against the JEPX day-ahead monthly average of its area price (East = Tokyo, West = Kansai,
-- Chubu = Chubu; peak = 08:00-20:00 on Monday-Friday). Only months JEPX covers completely.
with settlements as (
    select * from {{ ref('fct_futures_settlements') }}
    where commodity = 'power' and tenor_type = 'month' and area_code is not null
),

finals as (
    select *
    from settlements
    where quote_type = 'final_settlement' or trade_date = last_trading_day
    qualify row_number() over (
        partition by source, exchange, product_code, delivery_start
        order by quote_type = 'final_settlement' desc, trade_date desc
    ) = 1
),

spot as (
    select * from {{ ref('fct_jepx_spot_area_prices') }}
),

monthly as (
    select
        area_code,
        cast(date_trunc('month', delivery_date) as date) as month_start,
        count(*) as periods,
        avg(area_price_jpy_kwh) as base_average,
        avg(area_price_jpy_kwh) filter (
            where isodow(delivery_date) <= 5 and delivery_period between 17 and 40
        ) as peak_average
    from spot
    group by area_code, cast(date_trunc('month', delivery_date) as date)
),

compared as (
    select
        finals.settlement_key,
        finals.source,
        finals.exchange,
        finals.product_code,
        finals.area_code,
        finals.load_profile,
        finals.delivery_start,
        finals.delivery_end,
        finals.trade_date,
        finals.quote_type,
        finals.settlement_price,
        round(case when finals.load_profile = 'peak' then monthly.peak_average else monthly.base_average end, 2)
            as jepx_average_jpy_kwh
    from finals
    inner join monthly
        on
            finals.area_code = monthly.area_code
            and finals.delivery_start = monthly.month_start
            and monthly.periods = 48 * (finals.delivery_end - finals.delivery_start + 1)
)

select
    cast(settlement_key as varchar) as settlement_key,
    cast(source as varchar) as source,  -- noqa: RF04
    cast(exchange as varchar) as exchange,
    cast(product_code as varchar) as product_code,
    cast(area_code as varchar) as area_code,
    cast(load_profile as varchar) as load_profile,
    cast(delivery_start as date) as delivery_start,
    cast(delivery_end as date) as delivery_end,
    cast(trade_date as date) as trade_date,
    cast(quote_type as varchar) as quote_type,
    cast(settlement_price as double) as settlement_price,
    cast(jepx_average_jpy_kwh as double) as jepx_average_jpy_kwh,
    cast(round(settlement_price - jepx_average_jpy_kwh, 4) as double) as difference_jpy_kwh,
    cast(abs(settlement_price - jepx_average_jpy_kwh) < 0.005 as boolean) as is_within_a_cent
from compared
