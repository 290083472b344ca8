-- JEPX day-ahead area prices: one row per delivery date x delivery period x JEPX area.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='delivery_date',
    on_schema_change='fail',
    post_hook="{{ incremental_commit() }}"
) }}
{%- set since = incremental_since('jepx', ['spot_summary', 'spot_market_excel']) %}

with unpivoted as (
    select * from {{ ref('int_spot_area_prices_unpivoted') }}
    where delivery_date >= {{ since }}
)

select
    cast(
        strftime(delivery_date, '%Y%m%d') || '-' || lpad(cast(delivery_period as varchar), 2, '0')
        || '-' || area_code as varchar
    ) as spot_area_price_key,
    cast(delivery_date as date) as delivery_date,
    cast(delivery_period as integer) as delivery_period,
    cast(area_code as varchar) as area_code,
    cast(delivery_start_jst as timestamp) as delivery_start_jst,
    cast(delivery_start_utc as timestamptz) as delivery_start_utc,
    cast(area_price_jpy_kwh as double) as area_price_jpy_kwh,
    cast(system_price_jpy_kwh as double) as system_price_jpy_kwh,
    cast(round(area_price_jpy_kwh - system_price_jpy_kwh, 2) as double) as area_system_spread_jpy_kwh,
    cast(area_price_jpy_kwh <> system_price_jpy_kwh as boolean) as is_split_from_system,
    cast(area_price_jpy_kwh is null as boolean) as is_area_market_suspended,
    cast(avoidable_cost_jpy_kwh as double) as avoidable_cost_jpy_kwh,
    cast(fip_reference_price_jpy_kwh as double) as fip_reference_price_jpy_kwh,
    cast(contract_volume_kwh as bigint) as system_contract_volume_kwh,
    cast(price_source_dataset as varchar) as price_source_dataset,
    cast(fetched_at as timestamptz) as fetched_at
from unpivoted
