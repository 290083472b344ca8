-- JPX futures settlements of the products in the futures_products seed (TOCOM power, LNG,
-- Dubai; OSE USD/JPY), one row per trade date x contract. Options and other products stay in raw.
with source as (
    select * from {{ source('futures', 'jpx_settlement') }}
),

products as (
    select * from {{ ref('futures_products') }}
),

renamed as (
    select
        cast(source.trade_date as date) as trade_date,
        cast(products.exchange as varchar) as exchange,
        cast(source.product_code as varchar) as product_code,
        cast(source.tenor_type as varchar) as tenor_type,
        cast(source.delivery_start as date) as delivery_start,
        cast(source.delivery_end as date) as delivery_end,
        cast(source.last_trading_day as date) as last_trading_day,
        cast(source.issue_code as varchar) as issue_code,
        cast(source.issue_name as varchar) as contract_code,
        cast(source.contract_month as varchar) as contract_month,
        cast(source.settlement_price as double) as settlement_price,
        cast(source.days_until_maturity as integer) as days_until_maturity,
        cast(source.underlying_name as varchar) as underlying_name,
        cast(source.file_language as varchar) as file_language,
        cast(source._fetched_at as timestamptz) as fetched_at
    from source
    inner join products
        on source.product_code = products.product_code
    where source.instrument = 'FUT' and source.settlement_price is not null
)

-- the English and the Japanese file of one day carry the same issue codes: keep one
select * from renamed
qualify row_number() over (
    partition by trade_date, exchange, product_code, delivery_start, delivery_end
    order by file_language asc, fetched_at desc
) = 1
