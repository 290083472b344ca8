-- Forward curves per trade date, with prices converted to JPY using the FX rate of the SAME
-- trade date (int_futures_fx_daily); NULL when no rate was loaded for that date, never a guess.
-- Final settlements of expired contracts (quote_type final_settlement) are no curve points.
-- Power in JPY/kWh; gas and LNG in JPY/MMBtu (TTF: EUR/MWh / 3.412142 MMBtu per MWh); coal in
-- JPY/t; crude in JPY/bbl and JPY/kl (158.987294928 l per bbl).
with settlements as (
    select * from {{ ref('fct_futures_settlements') }}
    where commodity is distinct from 'fx' and quote_type is distinct from 'final_settlement'
),

fx as (
    select * from {{ ref('int_futures_fx_daily') }}
),

joined as (
    select
        settlements.*,
        fx.jpy_per_unit as fx_jpy_per_unit,
        fx.fx_source,
        fx.fx_contract,
        case
            when settlements.currency = 'JPY' then settlements.settlement_price
            else settlements.settlement_price * fx.jpy_per_unit
        end as price_in_jpy
    from settlements
    left join fx
        on settlements.trade_date = fx.trade_date and settlements.currency = fx.currency
)

select
    cast(settlement_key as varchar) as curve_point_key,
    cast(trade_date as date) as trade_date,
    cast(source as varchar) as source,  -- noqa: RF04
    cast(exchange as varchar) as exchange,
    cast(product_code as varchar) as product_code,
    cast(commodity as varchar) as commodity,
    cast(area_code as varchar) as area_code,
    cast(load_profile as varchar) as load_profile,
    cast(tenor_type as varchar) as tenor_type,
    cast(delivery_start as date) as delivery_start,
    cast(delivery_end as date) as delivery_end,
    cast(row_number() over (
        partition by trade_date, source, exchange, product_code order by delivery_start
    ) as integer) as curve_position,
    cast(delivery_start - trade_date as integer) as days_to_delivery_start,
    cast(settlement_price as double) as settlement_price,
    cast(currency as varchar) as currency,
    cast(price_unit as varchar) as price_unit,
    cast(quote_type as varchar) as quote_type,
    cast(is_unofficial as boolean) as is_unofficial,
    cast(case when currency <> 'JPY' then fx_jpy_per_unit end as double) as fx_jpy_per_unit,
    cast(case when currency <> 'JPY' then fx_contract end as varchar) as fx_contract,
    cast(round(case
        when price_unit = 'JPY/kWh' then settlement_price
        when price_unit = 'JPY/MWh' then settlement_price / 1000
    end, 6) as double) as price_jpy_kwh,
    cast(round(case
        when price_unit in ('JPY/MMBtu', 'USD/MMBtu') then price_in_jpy
        when price_unit = 'EUR/MWh' and commodity = 'gas' then price_in_jpy / 3.412142
    end, 6) as double) as price_jpy_mmbtu,
    cast(round(case when price_unit in ('USD/t', 'JPY/t') then price_in_jpy end, 6) as double) as price_jpy_t,
    cast(round(case
        when price_unit in ('USD/bbl', 'JPY/bbl') then price_in_jpy
        when price_unit = 'JPY/kl' then price_in_jpy * 0.158987294928
    end, 6) as double) as price_jpy_bbl,
    cast(round(case
        when price_unit = 'JPY/kl' then price_in_jpy
        when price_unit in ('USD/bbl', 'JPY/bbl') then price_in_jpy / 0.158987294928
    end, 6) as double) as price_jpy_kl,
    cast(published_at as timestamptz) as published_at
from joined
