-- JPX volume and open interest of the seed's products, one row per trade date x contract
-- (English and Japanese workbooks of one day are the same numbers: English kept first).
with source as (
    select * from {{ source('futures', 'jpx_open_interest') }}
    where product_code is not null
),

renamed as (
    select
        cast(trade_date as date) as trade_date,
        cast(product_code as varchar) as product_code,
        cast(tenor_type as varchar) as tenor_type,
        cast(delivery_start as date) as delivery_start,
        cast(delivery_end as date) as delivery_end,
        cast(product_name as varchar) as product_name,
        cast(contract_label as varchar) as contract_label,
        cast(trading_volume as bigint) as trading_volume,
        cast(open_interest as bigint) as open_interest,
        cast(open_interest_change as bigint) as open_interest_change,
        cast(previous_open_interest as bigint) as previous_open_interest,
        cast(file_language as varchar) as file_language,
        cast(_fetched_at as timestamptz) as fetched_at
    from source
)

select * from renamed
qualify row_number() over (
    partition by trade_date, product_code, delivery_start, delivery_end
    order by file_language asc, fetched_at desc
) = 1
