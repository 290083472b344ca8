-- The system curve's recomputed clearing point against the published spot results
-- (publisher consistency, warn): the system price must lie within the crossing step's price
-- bracket and the contract volume (kWh / 500 = MW) within one volume step of the recomputed
-- volume. JEPX's published volume can differ by more (block bids are not in the curve files).
{{ config(severity='warn', store_failures=true) }}

with curves as (
    select * from {{ ref('fct_jepx_bid_curve_summary') }}
    where is_system_curve
),

-- the published results of the curves' days only (bid curves are published from 2022-06-01, the
-- spot results from 2005)
spot as (
    select
        delivery_date,
        delivery_period,
        any_value(system_price_jpy_kwh) as system_price_jpy_kwh,
        any_value(system_contract_volume_kwh) as system_contract_volume_kwh
    from {{ ref('fct_jepx_spot_area_prices') }}
    where delivery_date in (select curves.delivery_date from curves)
    group by delivery_date, delivery_period
)

select
    curves.bid_curve_key,
    curves.clearing_price_low_jpy_kwh,
    curves.clearing_price_high_jpy_kwh,
    spot.system_price_jpy_kwh,
    curves.clearing_volume_mw,
    curves.clearing_volume_step_mw,
    spot.system_contract_volume_kwh / 500.0 as published_volume_mw
from curves
inner join spot
    on
        curves.delivery_date = spot.delivery_date
        and curves.delivery_period = spot.delivery_period
where
    curves.clearing_price_low_jpy_kwh is null
    or spot.system_price_jpy_kwh < curves.clearing_price_low_jpy_kwh - 0.005
    or spot.system_price_jpy_kwh > curves.clearing_price_high_jpy_kwh + 0.005
    or abs(spot.system_contract_volume_kwh / 500.0 - curves.clearing_volume_mw)
    > curves.clearing_volume_step_mw + 0.1
