-- ICE contract-data lists from ice.com (unofficial): the contracts listed for a product on each
-- fetch day, with ICE's end date and intraday last price (not a settlement).
with source as (
    select * from {{ source('futures', 'ice_contracts') }}
)

select
    cast(listed_on as date) as listed_on,
    cast(product_code as varchar) as product_code,
    cast(exchange as varchar) as exchange,
    cast(market_id as bigint) as market_id,
    cast(market_strip as varchar) as market_strip,
    cast(to_timestamp(end_date_epoch_ms / 1000.0) as timestamptz) as end_date_utc,
    cast(last_price as double) as last_price,
    cast(volume as double) as volume,
    cast(last_time_text as varchar) as last_time_text,
    cast(change as double) as price_change,
    cast(price_unit as varchar) as price_unit,
    cast(_fetched_at as timestamptz) as fetched_at
from source
