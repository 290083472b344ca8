-- JEPX intraday (continuous) market: one row per delivery date x delivery period, whole market.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='delivery_date',
    on_schema_change='fail',
    post_hook="{{ incremental_commit() }}"
) }}
{%- set since = incremental_since('jepx', ['intraday']) %}

select
    cast(
        strftime(delivery_date, '%Y%m%d') || '-' || lpad(cast(delivery_period as varchar), 2, '0') as varchar
    ) as intraday_price_key,
    cast(delivery_date as date) as delivery_date,
    cast(delivery_period as integer) as delivery_period,
    cast(delivery_start_jst as timestamp) as delivery_start_jst,
    cast(delivery_start_utc as timestamptz) as delivery_start_utc,
    cast(open_price_jpy_kwh as double) as open_price_jpy_kwh,
    cast(high_price_jpy_kwh as double) as high_price_jpy_kwh,
    cast(low_price_jpy_kwh as double) as low_price_jpy_kwh,
    cast(close_price_jpy_kwh as double) as close_price_jpy_kwh,
    cast(average_price_jpy_kwh as double) as average_price_jpy_kwh,
    cast(contract_volume_kwh as bigint) as contract_volume_kwh,
    cast(trade_count as integer) as trade_count,
    cast(trade_count = 0 as boolean) as is_untraded,
    cast(fetched_at as timestamptz) as fetched_at
from {{ ref('stg_jepx__intraday_prices') }}
where delivery_date >= {{ since }}
