-- Area demand and variable renewables per JEPX delivery period, in two vintages: 'latest' (the
-- newest version of every row; fct_area_demand_halfhourly) and 'gate' (the version known at the
-- leakage gate; ML features). Grain: vintage x area_code x delivery_date x delivery_period.
-- Hourly legacy values (an hourly mean) stand for both half-hours of their hour. Residual load is
-- NULL when demand, solar or wind is missing (never computed with a missing term as 0).
with unioned as (
    select * from {{ ref('int_area_supply_demand_unioned') }}
),

vintages as (
    select
        'latest' as vintage,
        *
    from unioned
    where is_latest_version
    union all
    select
        'gate' as vintage,
        *
    from unioned
    where is_gate_version
),

half_hour_shifts as (
    select unnest([0, 30]) as shift_minutes
),

half_hours as (
    select
        vintages.*,
        vintages.interval_start_jst + to_minutes(half_hour_shifts.shift_minutes) as delivery_start_jst
    from vintages
    inner join half_hour_shifts
        on vintages.resolution_minutes > half_hour_shifts.shift_minutes
)

select
    vintage,
    area_code,
    cast(delivery_start_jst as date) as delivery_date,
    {{ period_of('delivery_start_jst') }} as delivery_period,
    delivery_start_jst,
    {{ jst_to_utc('delivery_start_jst') }} as delivery_start_utc,
    demand_mw,
    solar_mw,
    wind_mw,
    demand_mw - solar_mw - wind_mw as residual_load_mw,
    nuclear_mw,
    thermal_total_mw,
    hydro_mw,
    pumped_storage_mw,
    interconnection_mw,
    solar_curtailment_mw,
    wind_curtailment_mw,
    resolution_minutes as source_resolution_minutes,
    source_format,
    source_file,
    fetched_at
from half_hours
