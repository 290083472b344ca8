-- ICE TTF / JKM / Newcastle daily chart values from ice.com (unofficial, delayed; ICE calls them
-- "settlement not guaranteed"), one row per product x contract month x trade date.
with source as (
    select * from {{ source('futures', 'ice_settlement') }}
)

select
    cast(trade_date as date) as trade_date,
    cast(exchange as varchar) as exchange,
    cast(product_code as varchar) as product_code,
    'month' as tenor_type,
    cast(delivery_start as date) as delivery_start,
    cast(delivery_end as date) as delivery_end,
    cast(market_strip as varchar) as contract_code,
    cast(settlement_price as double) as settlement_price,
    cast(price_unit as varchar) as price_unit,
    cast(quote_type as varchar) as quote_type,
    cast(_fetched_at as timestamptz) as fetched_at
from source
