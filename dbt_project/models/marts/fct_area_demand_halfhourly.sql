-- Area demand and variable renewables per JEPX delivery period: one row per area x delivery
-- date x delivery period (1..48), the newest version of every source row. Hourly legacy values
-- (an hourly mean) stand for both half-hours of their hour; 30-minute rows map one to one.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='delivery_date',
    on_schema_change='fail',
    post_hook="{{ incremental_commit() }}"
) }}
{%- set since = incremental_since('tso', none) %}

select
    cast(
        strftime(delivery_date, '%Y%m%d') || '-'
        || lpad(cast(delivery_period as varchar), 2, '0') || '-' || area_code
        as varchar
    ) as area_demand_key,
    cast(area_code as varchar) as area_code,
    cast(delivery_date as date) as delivery_date,
    cast(delivery_period as integer) as delivery_period,
    cast(delivery_start_jst as timestamp) as delivery_start_jst,
    cast(delivery_start_utc as timestamptz) as delivery_start_utc,
    cast(demand_mw as double) as demand_mw,
    cast(solar_mw as double) as solar_mw,
    cast(wind_mw as double) as wind_mw,
    cast(residual_load_mw as double) as residual_load_mw,
    cast(nuclear_mw as double) as nuclear_mw,
    cast(thermal_total_mw as double) as thermal_total_mw,
    cast(hydro_mw as double) as hydro_mw,
    cast(pumped_storage_mw as double) as pumped_storage_mw,
    cast(interconnection_mw as double) as interconnection_mw,
    cast(solar_curtailment_mw as double) as solar_curtailment_mw,
    cast(wind_curtailment_mw as double) as wind_curtailment_mw,
    cast(source_resolution_minutes as integer) as source_resolution_minutes,
    cast(source_format as varchar) as source_format
from (
    -- int_area_supply_demand_halfhourly's SQL for the latest vintage, its rows read from `since` on
    {{ area_supply_demand_halfhourly(since, ['latest']) | indent(4) }}
) as half_hourly
where vintage = 'latest' and delivery_date >= {{ since }}
