-- Futures features. Grain: one row per JEPX area x delivery date x delivery period (the
-- feat_calendar spine); every value is daily (the same in all 48 periods of D). Leakage: a row
-- for D uses settlements public by the gate, 10:00 JST on D-1, by the publication calendar of
-- each settlement's source (futures_publication_rules: JPX trade date t at 17:30 JST on t, EEX
-- t+1 03:00, ICE t+1 06:00, imported files t+1 06:00, or the file's own later published_at):
-- in practice the latest trade date <= D-2, so a Monday's row uses Friday's settlement
-- (Thursday's when Friday was a holiday) and never D-1's. Power: the JPX (TOCOM) contract
-- delivering D, monthly and weekly, base and peak, of the row's reference area - the area
-- itself where JPX lists it (03 East = Tokyo, 04 Chubu, 06 West = Kansai), else East for the
-- other 50 Hz areas and West for the other 60 Hz areas (futures_reference_area_code). Fuels and
-- USD/JPY (all areas): the front (nearest) month of the latest trade date that has a JPY price,
-- converted with the FX rate of that same trade date (fct_futures_curve_daily); official
-- exchange settlements before website values on the same trade date. Ages in days (D - trade
-- date).
{{ config(post_hook="{{ incremental_commit() }}", **incremental_by_date('delivery_date')) }}
{%- set since = feature_since(['jepx', 'futures']) %}

with spine as (
    select
        spine.area_code,
        spine.delivery_date,
        spine.delivery_period,
        case
            when spine.area_code in ('03', '04', '06') then spine.area_code
            when areas.frequency_hz = 50 then '03'
            else '06'
        end as futures_reference_area_code
    from {{ ref('feat_calendar') }} as spine
    inner join {{ ref('dim_area') }} as areas on spine.area_code = areas.area_code
    where spine.delivery_date >= {{ since }}
),

spine_days as (
    select distinct
        delivery_date,
        futures_reference_area_code
    from spine
),

rules as (
    select * from {{ ref('futures_publication_rules') }}
    where area_code = '*'
),

curve as (
    select
        *,
        case source
            when 'jpx' then 'jpx_settlement'
            when 'eex_web' then 'eex_settlement'
            when 'ice_web' then 'ice_settlement'
            else 'imported_settlement'
        end as rule_dataset
    from {{ ref('fct_futures_curve_daily') }}
),

curve_available as (
    select
        curve.*,
        greatest(
            {{ publication_available_at_jst('rules', 'curve.trade_date') }},
            coalesce({{ utc_to_jst('curve.published_at') }}, timestamp '0001-01-01')
        ) as available_at_jst
    from curve
    inner join rules on curve.rule_dataset = rules.dataset
),

-- power: the settlement of the contract delivering D from the latest trade date public at the gate
power_at_gate as (
    select
        spine_days.delivery_date,
        spine_days.futures_reference_area_code,
        power.load_profile,
        power.tenor_type,
        power.price_jpy_kwh,
        power.trade_date
    from spine_days
    inner join curve_available as power
        on
            spine_days.futures_reference_area_code = power.area_code
            and spine_days.delivery_date between power.delivery_start and power.delivery_end
            and power.available_at_jst <= {{ feature_gate_jst('spine_days.delivery_date') }}
    where
        power.commodity = 'power'
        and power.exchange = 'TOCOM'
        and power.tenor_type in ('month', 'week')
        and power.price_jpy_kwh is not null
    qualify row_number() over (
        partition by
            spine_days.delivery_date, spine_days.futures_reference_area_code, power.load_profile, power.tenor_type
        order by power.trade_date desc, power.source = 'jpx' desc, power.source asc
    ) = 1
),

power_wide as (
    select
        delivery_date,
        futures_reference_area_code,
        max(price_jpy_kwh) filter (where load_profile = 'base' and tenor_type = 'month')
            as base_month_jpy_kwh,
        max(price_jpy_kwh) filter (where load_profile = 'peak' and tenor_type = 'month')
            as peak_month_jpy_kwh,
        max(trade_date) filter (where tenor_type = 'month') as month_trade_date,
        max(price_jpy_kwh) filter (where load_profile = 'base' and tenor_type = 'week')
            as base_week_jpy_kwh,
        max(price_jpy_kwh) filter (where load_profile = 'peak' and tenor_type = 'week')
            as peak_week_jpy_kwh,
        max(trade_date) filter (where tenor_type = 'week') as week_trade_date
    from power_at_gate
    group by delivery_date, futures_reference_area_code
),

-- fuels: the front month of each product and trade date, in JPY
fuel_front as (
    select
        commodity,
        product_code,
        trade_date,
        available_at_jst,
        is_unofficial,
        case
            when commodity in ('lng', 'gas') then price_jpy_mmbtu
            when commodity = 'coal' then price_jpy_t
            when commodity = 'crude' then price_jpy_bbl
        end as price_jpy
    from curve_available
    where commodity in ('lng', 'gas', 'coal', 'crude') and tenor_type = 'month'
    qualify row_number() over (
        partition by source, exchange, product_code, trade_date order by delivery_start
    ) = 1
),

fuel_available as (
    select * from fuel_front
    where price_jpy is not null
),

days as (
    select distinct delivery_date from spine_days
),

fuel_products as (
    select distinct
        commodity,
        product_code
    from fuel_available
),

fuel_at_gate as (
    select
        by_product.delivery_date,
        by_product.commodity,
        by_product.price_jpy,
        by_product.trade_date
    from (
        select
            days.delivery_date,
            fuel_products.commodity,
            fuel_available.price_jpy,
            fuel_available.trade_date,
            fuel_available.is_unofficial,
            fuel_products.product_code
        from days
        cross join fuel_products
        asof inner join fuel_available
            on
                fuel_products.product_code = fuel_available.product_code
                and {{ feature_gate_jst('days.delivery_date') }} >= fuel_available.available_at_jst
    ) as by_product
    qualify row_number() over (
        partition by by_product.delivery_date, by_product.commodity
        order by by_product.trade_date desc, by_product.is_unofficial asc, by_product.product_code asc
    ) = 1
),

fuel_wide as (
    select
        delivery_date,
        max(price_jpy) filter (where commodity = 'lng') as jkm_jpy_mmbtu,
        max(trade_date) filter (where commodity = 'lng') as jkm_trade_date,
        max(price_jpy) filter (where commodity = 'gas') as ttf_jpy_mmbtu,
        max(trade_date) filter (where commodity = 'gas') as ttf_trade_date,
        max(price_jpy) filter (where commodity = 'coal') as coal_jpy_t,
        max(trade_date) filter (where commodity = 'coal') as coal_trade_date,
        max(price_jpy) filter (where commodity = 'crude') as dubai_jpy_bbl,
        max(trade_date) filter (where commodity = 'crude') as dubai_trade_date
    from fuel_at_gate
    group by delivery_date
),

fx_available as (
    select
        fx.trade_date,
        fx.jpy_per_unit,
        {{ publication_available_at_jst('rules', 'fx.trade_date') }} as available_at_jst
    from {{ ref('int_futures_fx_daily') }} as fx
    inner join rules
        on rules.dataset = case fx.fx_source when 'jpx' then 'jpx_settlement' else 'imported_settlement' end
    where fx.currency = 'USD'
),

fx_at_gate as (
    select
        days.delivery_date,
        fx_available.jpy_per_unit,
        fx_available.trade_date
    from days
    asof inner join fx_available
        on {{ feature_gate_jst('days.delivery_date') }} >= fx_available.available_at_jst
)

select
    spine.area_code,
    spine.delivery_date,
    spine.delivery_period,
    spine.futures_reference_area_code,
    power_wide.base_month_jpy_kwh as futures_base_month_jpy_kwh,
    power_wide.peak_month_jpy_kwh as futures_peak_month_jpy_kwh,
    cast(spine.delivery_date - power_wide.month_trade_date as integer) as futures_month_age_days,
    power_wide.base_week_jpy_kwh as futures_base_week_jpy_kwh,
    power_wide.peak_week_jpy_kwh as futures_peak_week_jpy_kwh,
    cast(spine.delivery_date - power_wide.week_trade_date as integer) as futures_week_age_days,
    fuel_wide.jkm_jpy_mmbtu as jkm_front_month_jpy_mmbtu,
    cast(spine.delivery_date - fuel_wide.jkm_trade_date as integer) as jkm_age_days,
    fuel_wide.ttf_jpy_mmbtu as ttf_front_month_jpy_mmbtu,
    cast(spine.delivery_date - fuel_wide.ttf_trade_date as integer) as ttf_age_days,
    fuel_wide.coal_jpy_t as coal_front_month_jpy_t,
    cast(spine.delivery_date - fuel_wide.coal_trade_date as integer) as coal_age_days,
    fuel_wide.dubai_jpy_bbl as dubai_front_month_jpy_bbl,
    cast(spine.delivery_date - fuel_wide.dubai_trade_date as integer) as dubai_age_days,
    fx_at_gate.jpy_per_unit as usdjpy_jpy_per_usd,
    cast(spine.delivery_date - fx_at_gate.trade_date as integer) as usdjpy_age_days
from spine
left join power_wide
    on
        spine.delivery_date = power_wide.delivery_date
        and spine.futures_reference_area_code = power_wide.futures_reference_area_code
left join fuel_wide on spine.delivery_date = fuel_wide.delivery_date
left join fx_at_gate on spine.delivery_date = fx_at_gate.delivery_date
