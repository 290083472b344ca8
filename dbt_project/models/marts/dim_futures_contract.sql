-- Futures contracts seen in the settlements: one row per exchange x product x delivery start/end.
-- Trade dates count daily settlements only (a final settlement's date is its final settlement
-- day, not a trading day); a contract known only by its final settlement has none.
with settlements as (
    select * from {{ ref('fct_futures_settlements') }}
),

latest as (
    select
        exchange,
        max(trade_date) as latest_trade_date
    from settlements
    where quote_type is distinct from 'final_settlement'
    group by exchange
),

contracts as (
    select
        exchange,
        product_code,
        tenor_type,
        delivery_start,
        delivery_end,
        max(last_trading_day) as last_trading_day,
        min(trade_date) filter (where quote_type is distinct from 'final_settlement') as first_trade_date,
        max(trade_date) filter (where quote_type is distinct from 'final_settlement') as last_trade_date,
        count(distinct source) as source_count
    from settlements
    group by exchange, product_code, tenor_type, delivery_start, delivery_end
)

select
    cast(
        contracts.exchange || ':' || contracts.product_code || ':'
        || strftime(contracts.delivery_start, '%Y%m%d') || '-' || strftime(contracts.delivery_end, '%Y%m%d')
        as varchar
    ) as contract_key,
    cast(contracts.exchange || ':' || contracts.product_code as varchar) as product_key,
    cast(contracts.exchange as varchar) as exchange,
    cast(contracts.product_code as varchar) as product_code,
    cast(contracts.tenor_type as varchar) as tenor_type,
    cast(contracts.delivery_start as date) as delivery_start,
    cast(contracts.delivery_end as date) as delivery_end,
    cast(contracts.delivery_end - contracts.delivery_start + 1 as integer) as delivery_days,
    cast(contracts.last_trading_day as date) as last_trading_day,
    cast(contracts.first_trade_date as date) as first_trade_date,
    cast(contracts.last_trade_date as date) as last_trade_date,
    cast(contracts.source_count as integer) as source_count,
    cast(contracts.last_trading_day < latest.latest_trade_date as boolean) as is_expired
from contracts
inner join latest on contracts.exchange = latest.exchange
