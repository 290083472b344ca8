-- JPX final settlement prices (special quotations) of the futures_products seed's products, one
-- row per page date x contract: each daily page shows the latest final settlement of each
-- product, so one contract appears on every page until its successor settles. The page layout
-- is ASSUMED (extract/sources/futures/special_quotation.py); layout_assumed says so per row.
with source as (
    select * from {{ source('futures', 'special_quotation') }}
),

products as (
    select * from {{ ref('futures_products') }}
),

renamed as (
    select
        cast(source.page_date as date) as page_date,
        cast(products.exchange as varchar) as exchange,
        cast(source.product_code as varchar) as product_code,
        cast(source.tenor_type as varchar) as tenor_type,
        cast(source.delivery_start as date) as delivery_start,
        cast(source.delivery_end as date) as delivery_end,
        cast(source.last_trading_day as date) as last_trading_day,
        cast(source.final_settlement_day as date) as final_settlement_day,
        cast(source.final_settlement_price as double) as final_settlement_price,
        cast(coalesce(source.issue_name, source.product_name || ' ' || source.contract_label) as varchar)
            as contract_code,
        cast(source.layout_assumed as boolean) as layout_assumed,
        cast(source._fetched_at as timestamptz) as fetched_at
    from source
    inner join products
        on source.product_code = products.product_code
    where source.final_settlement_price is not null and source.delivery_start is not null
)

-- a product listed twice on one page (two tables): keep the first
select * from renamed
qualify row_number() over (
    partition by page_date, exchange, product_code, delivery_start, delivery_end
    order by fetched_at desc
) = 1
