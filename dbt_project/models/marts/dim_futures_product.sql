-- Futures products (the futures_products seed): one row per exchange x product code.
with products as (
    select * from {{ ref('futures_products') }}
)

select
    cast(exchange || ':' || product_code as varchar) as product_key,
    cast(exchange as varchar) as exchange,
    cast(product_code as varchar) as product_code,
    cast(product_name as varchar) as product_name,
    cast(commodity as varchar) as commodity,
    cast(area_code as varchar) as area_code,
    cast(load_profile as varchar) as load_profile,
    cast(tenor_type as varchar) as tenor_type,
    cast(currency as varchar) as currency,
    cast(price_unit as varchar) as price_unit,
    cast(contract_size as double) as contract_size,
    cast(contract_size_unit as varchar) as contract_size_unit,
    cast(quote_convention as varchar) as quote_convention,
    cast(evidence as varchar) as evidence
from products
