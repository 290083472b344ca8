-- Supply-side features. Grain: one row per JEPX area x delivery date x delivery period (the
-- feat_calendar spine). Leakage: a row for D holds only what was public by the gate, 10:00 JST on
-- D-1:
--   * bid curves (system curve, the row's period): from the latest delivery day whose curves are
--     public at the gate by the calendar (spot_bid_curves: delivery day d at 12:30 on d-1, so D-1's
--     auction, run on D-2) - supply-curve slope around the clearing price, sell volume offered at
--     <= 0.01 JPY/kWh, buy volume at the price cap; bid_curve_age_days = D - that day (1 normally);
--   * HJKS outages (daily mean MW offline in the row's area on D, planned / unplanned / derating):
--     as known from the last HJKS snapshot fetched before the gate (archive fetch time, not the
--     fetch date); outage_snapshot_age_h = gate - fetch time. NULL when no snapshot was fetched
--     before the gate; 0 when the snapshot lists nothing offline in the area on D;
--   * OCCTO unit generation by fuel type (the row's area and period): from the latest day public at
--     the gate by the calendar (unit_generation: day d at d+1 16:00, so d <= D-3), in the version
--     known at that day's first gate (int_unitgen__area_fuel_gate_halfhourly); unitgen_age_days.
{{ config(post_hook="{{ incremental_commit() }}", **incremental_by_date('delivery_date')) }}
{%- set since = feature_since(['jepx', 'unitgen', ('hjks', true)]) %}
{%- set bid_curves_from = feature_context_start(
    since, ref('fct_jepx_bid_curve_summary'), 'delivery_date', where='is_system_curve'
) %}
{%- set generation_from = feature_context_start(
    since, ref('int_unitgen__area_fuel_gate_halfhourly'), 'delivery_date', 'area_code'
) %}

with spine as (
    select
        area_code,
        delivery_date,
        delivery_period
    from {{ ref('feat_calendar') }}
    where delivery_date >= {{ since }}
),

bid_curves as (
    select * from {{ ref('fct_jepx_bid_curve_summary') }}
    where is_system_curve and delivery_date >= {{ bid_curves_from }}
),

bid_day as (
    {{ latest_available_day('spine', 'jepx', 'spot_bid_curves', 'bid_curves', 'delivery_date') }}
),

snapshots as (
    select distinct snapshot_at_jst
    from {{ ref('int_hjks__area_outage_snapshots') }}
),

days as (
    select distinct delivery_date from spine
),

snapshot_at_gate as (
    select
        days.delivery_date,
        snapshots.snapshot_at_jst
    from days
    asof inner join snapshots
        on {{ feature_gate_jst('days.delivery_date') }} >= snapshots.snapshot_at_jst
),

outages as (
    select * from {{ ref('int_hjks__area_outage_snapshots') }}
    where outage_date >= {{ since }}
),

generation as (
    select * from {{ ref('int_unitgen__area_fuel_gate_halfhourly') }}
    where delivery_date >= {{ generation_from }}
),

generation_day as (
    {{ latest_available_day(
        'spine', 'unitgen', 'unit_generation', 'generation', 'delivery_date', 'area_code'
    ) }}
),

generation_wide as (
    select
        area_code,
        delivery_date,
        delivery_period,
        sum(generation_mw) filter (where fuel_type = 'nuclear') as nuclear_mw,
        sum(generation_mw) filter (where fuel_type = 'coal') as coal_mw,
        sum(generation_mw) filter (where fuel_type = 'gas') as gas_mw,
        sum(generation_mw) filter (where fuel_type = 'oil') as oil_mw,
        sum(generation_mw) filter (where fuel_type = 'hydro') as hydro_mw,
        sum(generation_mw) filter (where fuel_type = 'solar') as solar_mw,
        sum(generation_mw) filter (where fuel_type = 'wind') as wind_mw,
        sum(generation_mw) filter (
            where fuel_type not in ('nuclear', 'coal', 'gas', 'oil', 'hydro', 'solar', 'wind')
        ) as other_mw,
        sum(generation_mw) as total_mw
    from generation
    group by area_code, delivery_date, delivery_period
)

select
    spine.area_code,
    spine.delivery_date,
    spine.delivery_period,
    bid_curves.sell_slope_mw_per_jpy_kwh as bid_sell_slope_mw_per_jpy_kwh,
    bid_curves.sell_volume_at_floor_mw as bid_sell_volume_at_floor_mw,
    bid_curves.buy_volume_at_cap_mw as bid_buy_volume_at_cap_mw,
    bid_day.age_days as bid_curve_age_days,
    case when snapshot_at_gate.snapshot_at_jst is not null then coalesce(outages.planned_offline_mw, 0) end
        as outage_planned_offline_mw,
    case when snapshot_at_gate.snapshot_at_jst is not null then coalesce(outages.unplanned_offline_mw, 0) end
        as outage_unplanned_offline_mw,
    case when snapshot_at_gate.snapshot_at_jst is not null then coalesce(outages.derating_mw, 0) end
        as outage_derating_mw,
    snapshot_at_gate.snapshot_at_jst as outage_snapshot_at_jst,
    round(epoch(
        {{ feature_gate_jst('spine.delivery_date') }} - snapshot_at_gate.snapshot_at_jst
    ) / 3600.0, 3) as outage_snapshot_age_h,
    round(generation_wide.nuclear_mw, 3) as unitgen_nuclear_mw,
    round(generation_wide.coal_mw, 3) as unitgen_coal_mw,
    round(generation_wide.gas_mw, 3) as unitgen_gas_mw,
    round(generation_wide.oil_mw, 3) as unitgen_oil_mw,
    round(generation_wide.hydro_mw, 3) as unitgen_hydro_mw,
    round(generation_wide.solar_mw, 3) as unitgen_solar_mw,
    round(generation_wide.wind_mw, 3) as unitgen_wind_mw,
    round(generation_wide.other_mw, 3) as unitgen_other_mw,
    round(generation_wide.total_mw, 3) as unitgen_total_mw,
    generation_day.age_days as unitgen_age_days
from spine
left join bid_day
    on
        spine.area_code = bid_day.area_code
        and spine.delivery_date = bid_day.delivery_date
left join bid_curves
    on
        bid_day.available_date = bid_curves.delivery_date
        and spine.delivery_period = bid_curves.delivery_period
left join snapshot_at_gate on spine.delivery_date = snapshot_at_gate.delivery_date
left join outages
    on
        snapshot_at_gate.snapshot_at_jst = outages.snapshot_at_jst
        and spine.area_code = outages.area_code
        and spine.delivery_date = outages.outage_date
left join generation_day
    on
        spine.area_code = generation_day.area_code
        and spine.delivery_date = generation_day.delivery_date
left join generation_wide
    on
        spine.area_code = generation_wide.area_code
        and generation_day.available_date = generation_wide.delivery_date
        and spine.delivery_period = generation_wide.delivery_period
