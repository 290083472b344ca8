-- Data quality: an expired monthly or weekly power contract's final settlement against the JEPX
-- day-ahead average of its area price over its delivery period (East = Tokyo, West = Kansai,
-- Chubu = Chubu; monthly = the calendar month, weekly = Saturday-Friday for JPX; peak =
-- periods 17-40, 08:00-20:00, on Monday-Friday). The compared number is the PUBLISHED final
-- settlement when one is loaded (JPX's final settlement page or an imported
-- quote_type = final_settlement), else the daily settlement of the last trading day, which
-- still misses the last one or two delivery days; settlement_basis says which. Only contracts
-- whose delivery period JEPX covers completely. Grain: one row per exchange x product x
-- delivery period.
with settlements as (
    select * from {{ ref('fct_futures_settlements') }}
    where commodity = 'power' and tenor_type in ('month', 'week') and area_code is not null
),

finals as (
    select
        *,
        case
            when quote_type = 'final_settlement' then 'published_final_settlement'
            else 'last_trading_day_settlement'
        end as settlement_basis
    from settlements
    where quote_type = 'final_settlement' or trade_date = last_trading_day
    qualify row_number() over (
        partition by exchange, product_code, delivery_start, delivery_end
        order by quote_type = 'final_settlement' desc, is_unofficial asc, trade_date desc, source asc
    ) = 1
),

spot as (
    select * from {{ ref('fct_jepx_spot_area_prices') }}
),

averages as (
    select
        finals.settlement_key,
        count(spot.area_price_jpy_kwh) as periods,
        avg(spot.area_price_jpy_kwh) as base_average,
        avg(spot.area_price_jpy_kwh) filter (
            where isodow(spot.delivery_date) <= 5 and spot.delivery_period between 17 and 40
        ) as peak_average
    from finals
    inner join spot
        on
            finals.area_code = spot.area_code
            and spot.delivery_date between finals.delivery_start and finals.delivery_end
    group by finals.settlement_key
),

compared as (
    select
        finals.settlement_key,
        finals.source,
        finals.exchange,
        finals.product_code,
        finals.area_code,
        finals.load_profile,
        finals.tenor_type,
        finals.delivery_start,
        finals.delivery_end,
        finals.trade_date,
        finals.quote_type,
        finals.settlement_basis,
        finals.settlement_price,
        round(case when finals.load_profile = 'peak' then averages.peak_average else averages.base_average end, 2)
            as jepx_average_jpy_kwh
    from finals
    inner join averages
        on finals.settlement_key = averages.settlement_key
    where averages.periods = 48 * (finals.delivery_end - finals.delivery_start + 1)
)

select
    cast(settlement_key as varchar) as settlement_key,
    cast(source as varchar) as source,  -- noqa: RF04
    cast(exchange as varchar) as exchange,
    cast(product_code as varchar) as product_code,
    cast(area_code as varchar) as area_code,
    cast(load_profile as varchar) as load_profile,
    cast(tenor_type as varchar) as tenor_type,
    cast(delivery_start as date) as delivery_start,
    cast(delivery_end as date) as delivery_end,
    cast(trade_date as date) as trade_date,
    cast(quote_type as varchar) as quote_type,
    cast(settlement_basis as varchar) as settlement_basis,
    cast(settlement_price as double) as settlement_price,
    cast(jepx_average_jpy_kwh as double) as jepx_average_jpy_kwh,
    cast(round(settlement_price - jepx_average_jpy_kwh, 4) as double) as difference_jpy_kwh,
    cast(abs(settlement_price - jepx_average_jpy_kwh) < 0.005 as boolean) as is_within_a_cent
from compared
