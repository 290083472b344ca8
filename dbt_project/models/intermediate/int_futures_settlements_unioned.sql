-- Every futures settlement source in one shape: JPX (with the workbook's volume and open
-- interest), JPX final settlements (special quotations, quote_type final_settlement), EEX and
-- ICE website values, imported files. One row per source x exchange x product x delivery
-- start/end x trade date. published_at is when the value is public: the file's own timestamp
-- for imports when given, else the exchange's usual publication time (JPX ~17:30 JST on the
-- trade date; a JPX final settlement 15:15 JST on its final settlement day when the page states
-- that day, else when the first page showing it was fetched; EEX ~21:00 JST; ICE and CME after
-- the European / US close, UTC 19:30).
with jpx as (
    select * from {{ ref('stg_futures__jpx_settlements') }}
),

jpx_oi as (
    select * from {{ ref('stg_futures__jpx_open_interest') }}
),

-- a final settlement's trade date is its final settlement day as the page states it, else the
-- first page that showed it (the page shows each product's latest final settlement only)
sq as (
    select * from {{ ref('stg_futures__special_quotation') }}
    qualify row_number() over (
        partition by exchange, product_code, delivery_start, delivery_end
        order by page_date asc, fetched_at asc
    ) = 1
),

eex as (
    select * from {{ ref('stg_futures__eex_settlements') }}
),

ice as (
    select * from {{ ref('stg_futures__ice_settlements') }}
),

imported as (
    select * from {{ ref('stg_futures__imported_settlements') }}
),

products as (
    select * from {{ ref('futures_products') }}
),

unioned as (
    select
        'jpx' as source,  -- noqa: RF04
        jpx.exchange,
        jpx.product_code,
        jpx.tenor_type,
        jpx.delivery_start,
        jpx.delivery_end,
        jpx.last_trading_day,
        jpx.trade_date,
        jpx.contract_code,
        jpx.settlement_price,
        products.currency,
        products.price_unit,
        cast(jpx_oi.trading_volume as double) as volume,
        cast(jpx_oi.open_interest as double) as open_interest,
        false as oi_is_prior_day,
        'settlement' as quote_type,
        cast(cast(jpx.trade_date as varchar) || ' 17:30:00+09' as timestamptz) as published_at,
        jpx.fetched_at
    from jpx
    inner join products
        on jpx.exchange = products.exchange and jpx.product_code = products.product_code
    left join jpx_oi
        on
            jpx.trade_date = jpx_oi.trade_date
            and jpx.product_code = jpx_oi.product_code
            and jpx.delivery_start = jpx_oi.delivery_start
            and jpx.delivery_end = jpx_oi.delivery_end

    union all

    select
        'jpx' as source,  -- noqa: RF04
        sq.exchange,
        sq.product_code,
        sq.tenor_type,
        sq.delivery_start,
        sq.delivery_end,
        sq.last_trading_day,
        coalesce(sq.final_settlement_day, sq.page_date) as trade_date,
        sq.contract_code,
        sq.final_settlement_price as settlement_price,
        products.currency,
        products.price_unit,
        cast(null as double) as volume,
        cast(null as double) as open_interest,
        cast(null as boolean) as oi_is_prior_day,
        'final_settlement' as quote_type,
        coalesce(
            cast(cast(sq.final_settlement_day as varchar) || ' 15:15:00+09' as timestamptz),
            sq.fetched_at
        ) as published_at,
        sq.fetched_at
    from sq
    inner join products
        on sq.exchange = products.exchange and sq.product_code = products.product_code
    -- an expired contract is no longer in the settlement CSV; should JPX list it on its final
    -- settlement day, the daily settlement keeps the grain and the final one is left out
    where
        not exists (
            select 1 from jpx
            where
                jpx.exchange = sq.exchange
                and jpx.product_code = sq.product_code
                and jpx.delivery_start = sq.delivery_start
                and jpx.delivery_end = sq.delivery_end
                and jpx.trade_date = coalesce(sq.final_settlement_day, sq.page_date)
        )

    union all

    select
        'eex_web' as source,  -- noqa: RF04
        eex.exchange,
        eex.product_code,
        eex.tenor_type,
        eex.delivery_start,
        eex.delivery_end,
        eex.last_trading_day,
        eex.trade_date,
        eex.contract_code,
        eex.settlement_price,
        'JPY' as currency,
        eex.price_unit,
        eex.volume,
        eex.open_interest,
        false as oi_is_prior_day,
        eex.quote_type,
        cast(cast(eex.trade_date as varchar) || ' 21:00:00+09' as timestamptz) as published_at,
        eex.fetched_at
    from eex

    union all

    select
        'ice_web' as source,  -- noqa: RF04
        ice.exchange,
        ice.product_code,
        ice.tenor_type,
        ice.delivery_start,
        ice.delivery_end,
        cast(null as date) as last_trading_day,
        ice.trade_date,
        ice.contract_code,
        ice.settlement_price,
        products.currency,
        ice.price_unit,
        cast(null as double) as volume,
        cast(null as double) as open_interest,
        cast(null as boolean) as oi_is_prior_day,
        ice.quote_type,
        cast(cast(ice.trade_date as varchar) || ' 19:30:00+00' as timestamptz) as published_at,
        ice.fetched_at
    from ice
    left join products
        on ice.exchange = products.exchange and ice.product_code = products.product_code

    union all

    select
        imported.source,
        imported.exchange,
        imported.product_code,
        imported.tenor_type,
        imported.delivery_start,
        imported.delivery_end,
        cast(null as date) as last_trading_day,
        imported.trade_date,
        imported.contract_code,
        imported.settlement_price,
        imported.currency,
        imported.price_unit,
        imported.volume,
        imported.open_interest,
        imported.oi_is_prior_day,
        imported.quote_type,
        coalesce(
            imported.published_at,
            cast(
                cast(imported.trade_date as varchar)
                || case
                    when imported.exchange in ('TOCOM', 'OSE') then ' 17:30:00+09'
                    when imported.exchange = 'EEX' then ' 21:00:00+09'
                    else ' 19:30:00+00'
                end as timestamptz
            )
        ) as published_at,
        imported.fetched_at
    from imported
)

select * from unioned
