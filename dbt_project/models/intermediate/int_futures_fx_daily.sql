-- FX rates per trade date from whatever FX futures are loaded (OSE USD/JPY from the JPX file,
-- CME 6J / EUR-JPY from imports; another FX source can be unioned here): JPY per USD and JPY
-- per EUR, from the nearest contract of the day. 6J quotes USD per JPY and is inverted.
with settlements as (
    select * from {{ ref('int_futures_settlements_unioned') }}
),

rates as (
    select
        trade_date,
        case
            when price_unit in ('JPY/USD', 'USD/JPY') then 'USD'
            when price_unit in ('JPY/EUR', 'EUR/JPY') then 'EUR'
        end as currency,
        case
            when price_unit in ('JPY/USD', 'JPY/EUR') then settlement_price
            when price_unit in ('USD/JPY', 'EUR/JPY') and settlement_price > 0 then 1 / settlement_price
        end as jpy_per_unit,
        source,
        exchange,
        product_code,
        delivery_start
    from settlements
    where
        price_unit in ('JPY/USD', 'USD/JPY', 'JPY/EUR', 'EUR/JPY')
        and quote_type is distinct from 'final_settlement'
)

select
    trade_date,
    currency,
    jpy_per_unit,
    source as fx_source,
    exchange || ':' || product_code || ':' || strftime(delivery_start, '%Y-%m') as fx_contract
from rates
where jpy_per_unit is not null
qualify row_number() over (
    partition by trade_date, currency
    order by delivery_start, source, exchange, product_code
) = 1
