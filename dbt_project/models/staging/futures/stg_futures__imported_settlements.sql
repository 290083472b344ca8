-- Licensed / hand-downloaded settlements (canonical CSV or a vendor profile), as published.
with source as (
    select * from {{ source('futures', 'imported_settlement') }}
)

select
    cast(trade_date as date) as trade_date,
    cast(source as varchar) as source,  -- noqa: RF04
    cast(exchange as varchar) as exchange,
    cast(product_code as varchar) as product_code,
    cast(tenor_type as varchar) as tenor_type,
    cast(delivery_start as date) as delivery_start,
    cast(delivery_end as date) as delivery_end,
    cast(contract_code as varchar) as contract_code,
    cast(settlement_price as double) as settlement_price,
    cast(currency as varchar) as currency,
    cast(price_unit as varchar) as price_unit,
    cast(volume as double) as volume,
    cast(open_interest as double) as open_interest,
    cast(oi_is_prior_day as boolean) as oi_is_prior_day,
    cast(quote_type as varchar) as quote_type,
    cast(published_at as timestamptz) as published_at,
    cast(import_format as varchar) as import_format,
    cast(layout_assumed as boolean) as layout_assumed,
    cast(_fetched_at as timestamptz) as fetched_at
from source
