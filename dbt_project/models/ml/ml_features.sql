-- The ML feature table: one row per JEPX area x delivery date x delivery period, from the first
-- published auction to the day after the last one (scoring rows: label NULL, is_label_known
-- false). A thin join of the feat_* models, each of which states and tests its own leakage rule:
-- a row for delivery day D holds only what the publication calendar makes public by 10:00 JST on
-- D-1 (per source and area the latest public day, with its age in days).
-- Written to Parquet by the exports model (exports/ml_features/delivery_year_YYYY.parquet).
-- Incremental by delivery date: rebuilds the delivery days any source feeding a feat_* model
-- changed (macros/incremental.sql, feature_since).
-- The seven inputs share one grain and are joined on one BIGINT, join_key, computed from
-- (delivery_date, delivery_period, area_code): at 20 years six hash tables of 3M rows each do not
-- fit DuckDB's memory_limit and spill; one integer instead of a VARCHAR, a DATE and an INTEGER
-- per build row (the inputs' own key columns are not carried) spills a fifth less. The key is
-- injective: days since 1900 x 10,000 + period (1..48) x 100 + the two-digit JEPX area code
-- (dim_area: 01..09, its accepted_values test; a code that is not a number fails the cast).
{{ config(post_hook="{{ incremental_commit() }}", **incremental_by_date('delivery_date')) }}
{%- set since = feature_since(
    ['jepx', 'tso', 'jma', 'occto', 'futures', 'unitgen', ('hjks', true)]
) %}
{%- set join_key -%}
    ((delivery_date - date '1900-01-01') * 100 + delivery_period) * 100 + cast(area_code as integer)
{%- endset %}
with calendar as (
    select
        *,
        {{ join_key }} as join_key
    from {{ ref('feat_calendar') }}
    where delivery_date >= {{ since }}
),

prices as (
    select
        * exclude (area_code, delivery_date, delivery_period),
        {{ join_key }} as join_key
    from {{ ref('feat_prices') }}
    where delivery_date >= {{ since }}
),

supply_demand as (
    select
        * exclude (area_code, delivery_date, delivery_period),
        {{ join_key }} as join_key
    from {{ ref('feat_supply_demand') }}
    where delivery_date >= {{ since }}
),

weather as (
    select
        * exclude (area_code, delivery_date, delivery_period),
        {{ join_key }} as join_key
    from {{ ref('feat_weather') }}
    where delivery_date >= {{ since }}
),

-- OCCTO, futures and supply-side features (feat_occto, feat_futures, feat_supply)
occto as (
    select
        * exclude (area_code, delivery_date, delivery_period),
        {{ join_key }} as join_key
    from {{ ref('feat_occto') }}
    where delivery_date >= {{ since }}
),

futures as (
    select
        * exclude (area_code, delivery_date, delivery_period),
        {{ join_key }} as join_key
    from {{ ref('feat_futures') }}
    where delivery_date >= {{ since }}
),

supply as (
    select
        * exclude (area_code, delivery_date, delivery_period),
        {{ join_key }} as join_key
    from {{ ref('feat_supply') }}
    where delivery_date >= {{ since }}
)

select
    calendar.feature_key,
    calendar.area_code,
    calendar.delivery_date,
    calendar.delivery_period,
    calendar.delivery_start_jst,
    calendar.delivery_start_utc,
    calendar.delivery_year,
    prices.target_area_price_jpy_kwh,
    prices.is_label_known,
    prices.is_target_area_market_suspended,
    prices.price_latest_jpy_kwh,
    prices.system_price_latest_jpy_kwh,
    prices.is_area_market_suspended_latest,
    prices.price_age_days,
    prices.price_week_ago_jpy_kwh,
    prices.price_days_7d_same_period,
    prices.price_mean_7d_same_period_jpy_kwh,
    prices.price_max_7d_same_period_jpy_kwh,
    prices.price_min_7d_same_period_jpy_kwh,
    prices.intraday_avg_price_latest_jpy_kwh,
    prices.intraday_age_days,
    supply_demand.demand_latest_mw,
    supply_demand.solar_latest_mw,
    supply_demand.wind_latest_mw,
    supply_demand.residual_load_latest_mw,
    supply_demand.supply_demand_age_days,
    supply_demand.demand_periods_latest,
    supply_demand.peak_demand_latest_mw,
    supply_demand.mean_demand_latest_mw,
    supply_demand.demand_week_ago_mw,
    supply_demand.residual_load_week_ago_mw,
    weather.temperature_latest_degc,
    weather.relative_humidity_latest_pct,
    weather.precipitation_latest_mm,
    weather.sunshine_latest_h,
    weather.solar_radiation_latest_mj_m2,
    weather.wind_speed_latest_m_s,
    weather.weather_age_days,
    weather.temperature_hours_latest,
    weather.temperature_mean_latest_degc,
    weather.temperature_max_latest_degc,
    weather.temperature_min_latest_degc,
    weather.heating_degree_hours_latest_degc_h,
    weather.cooling_degree_hours_latest_degc_h,
    occto.reserve_margin_at_gate_pct,
    occto.reserve_block_no_at_gate,
    occto.reserve_area_demand_at_gate_mw,
    occto.reserve_margin_horizon,
    occto.reserve_margin_published_at_jst,
    occto.reserve_margin_age_h,
    occto.interconnector_import_capacity_mw,
    occto.interconnector_export_capacity_mw,
    occto.interconnector_capacity_lines,
    occto.interconnector_capacity_published_at_jst,
    occto.demand_forecast_max_mw,
    occto.demand_forecast_min_mw,
    occto.demand_forecast_reserve_margin_pct,
    occto.demand_forecast_horizon,
    occto.demand_forecast_formulation_date,
    occto.net_import_actual_mw,
    occto.net_import_flow_date,
    occto.net_import_age_days,
    futures.futures_reference_area_code,
    futures.futures_base_month_jpy_kwh,
    futures.futures_peak_month_jpy_kwh,
    futures.futures_month_age_days,
    futures.futures_base_week_jpy_kwh,
    futures.futures_peak_week_jpy_kwh,
    futures.futures_week_age_days,
    futures.jkm_front_month_jpy_mmbtu,
    futures.jkm_age_days,
    futures.ttf_front_month_jpy_mmbtu,
    futures.ttf_age_days,
    futures.coal_front_month_jpy_t,
    futures.coal_age_days,
    futures.dubai_front_month_jpy_bbl,
    futures.dubai_age_days,
    futures.usdjpy_jpy_per_usd,
    futures.usdjpy_age_days,
    supply.bid_sell_slope_mw_per_jpy_kwh,
    supply.bid_sell_volume_at_floor_mw,
    supply.bid_buy_volume_at_cap_mw,
    supply.bid_curve_age_days,
    supply.outage_planned_offline_mw,
    supply.outage_unplanned_offline_mw,
    supply.outage_derating_mw,
    supply.outage_snapshot_at_jst,
    supply.outage_snapshot_age_h,
    supply.unitgen_nuclear_mw,
    supply.unitgen_coal_mw,
    supply.unitgen_gas_mw,
    supply.unitgen_oil_mw,
    supply.unitgen_hydro_mw,
    supply.unitgen_solar_mw,
    supply.unitgen_wind_mw,
    supply.unitgen_other_mw,
    supply.unitgen_total_mw,
    supply.unitgen_age_days,
    calendar.calendar_month,
    calendar.iso_weekday,
    calendar.fiscal_year,
    calendar.is_weekend,
    calendar.is_holiday,
    calendar.is_year_end_break,
    calendar.is_business_day,
    calendar.hour_of_day,
    calendar.is_peak_period,
    calendar.frequency_hz
from calendar
left join prices
    on calendar.join_key = prices.join_key
left join supply_demand
    on calendar.join_key = supply_demand.join_key
left join weather
    on calendar.join_key = weather.join_key
left join occto
    on calendar.join_key = occto.join_key
left join futures
    on calendar.join_key = futures.join_key
left join supply
    on calendar.join_key = supply.join_key
