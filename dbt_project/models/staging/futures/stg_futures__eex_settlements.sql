-- EEX Japanese power settlements from the EEX website's JSON service (unofficial), one row per
-- trade date x price symbol; rows without a settlement (close) are dropped.
with source as (
    select * from {{ source('futures', 'eex_settlement') }}
)

select
    cast(trade_date as date) as trade_date,
    'EEX' as exchange,
    cast(product_code as varchar) as product_code,
    cast(tenor_type as varchar) as tenor_type,
    cast(delivery_start as date) as delivery_start,
    cast(delivery_end as date) as delivery_end,
    cast(expiration_date as date) as last_trading_day,
    cast(price_symbol as varchar) as contract_code,
    cast(settlement_price as double) as settlement_price,
    cast(price_unit as varchar) as price_unit,
    cast(coalesce(volume_exchange, 0) + coalesce(volume_trade_registration, 0) as double) as volume,
    cast(open_interest as double) as open_interest,
    cast(quote_type as varchar) as quote_type,
    cast(_fetched_at as timestamptz) as fetched_at
from source
where settlement_price is not null and delivery_start is not null
