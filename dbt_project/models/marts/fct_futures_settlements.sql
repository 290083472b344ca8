-- Futures settlements from every source: one row per source x exchange x product x delivery
-- start/end x trade date. quote_type says what the number is (settlement; website_settlement and
-- chart_daily_value are unofficial website values).
with settlements as (
    select * from {{ ref('int_futures_settlements_unioned') }}
),

products as (
    select * from {{ ref('futures_products') }}
)

select
    cast(
        settlements.source || ':' || settlements.exchange || ':' || settlements.product_code || ':'
        || strftime(settlements.delivery_start, '%Y%m%d') || '-'
        || strftime(settlements.delivery_end, '%Y%m%d') || ':'
        || strftime(settlements.trade_date, '%Y%m%d') as varchar
    ) as settlement_key,
    cast(settlements.source as varchar) as source,  -- noqa: RF04
    cast(settlements.exchange as varchar) as exchange,
    cast(settlements.product_code as varchar) as product_code,
    cast(settlements.exchange || ':' || settlements.product_code as varchar) as product_key,
    cast(products.commodity as varchar) as commodity,
    cast(products.area_code as varchar) as area_code,
    cast(products.load_profile as varchar) as load_profile,
    cast(settlements.tenor_type as varchar) as tenor_type,
    cast(settlements.delivery_start as date) as delivery_start,
    cast(settlements.delivery_end as date) as delivery_end,
    cast(settlements.delivery_end - settlements.delivery_start + 1 as integer) as delivery_days,
    cast(settlements.last_trading_day as date) as last_trading_day,
    cast(settlements.trade_date as date) as trade_date,
    cast(settlements.contract_code as varchar) as contract_code,
    cast(settlements.settlement_price as double) as settlement_price,
    cast(settlements.currency as varchar) as currency,
    cast(settlements.price_unit as varchar) as price_unit,
    cast(settlements.volume as double) as volume,
    cast(settlements.open_interest as double) as open_interest,
    cast(settlements.oi_is_prior_day as boolean) as oi_is_prior_day,
    cast(settlements.quote_type as varchar) as quote_type,
    cast(settlements.source in ('eex_web', 'ice_web') as boolean) as is_unofficial,
    cast(settlements.published_at as timestamptz) as published_at,
    cast(settlements.fetched_at as timestamptz) as fetched_at
from settlements
left join products
    on settlements.exchange = products.exchange and settlements.product_code = products.product_code
