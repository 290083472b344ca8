-- JEPX aggregate bid curves, one row per delivery date x period x curve x step.
-- Incremental by delivery date (macros/incremental.sql): a run rebuilds the delivery dates of the
-- curve files loaded since its last build (the extractor's ledger), so a daily run touches a few days.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='delivery_date',
    on_schema_change='append_new_columns',
    post_hook="{{ incremental_commit() }}"
) }}
{%- set since = incremental_since('jepx', ['spot_bid_curves']) %}

with steps as (
    select * from {{ ref('stg_jepx__spot_bid_curves') }}
    where delivery_date >= {{ since }}
)

select
    cast(delivery_date as date) as delivery_date,
    cast(delivery_period as integer) as delivery_period,
    cast(curve_key as varchar) as curve_key,
    cast(step_no as integer) as step_no,
    cast(split_area_seq as integer) as split_area_seq,
    cast(is_system_curve as boolean) as is_system_curve,
    cast(delivery_start_jst as timestamp) as delivery_start_jst,
    cast(delivery_start_utc as timestamp) as delivery_start_utc,
    cast(bid_price_jpy_kwh as double) as bid_price_jpy_kwh,
    cast(sell_cumulative_mw as double) as sell_cumulative_mw,
    cast(buy_cumulative_mw as double) as buy_cumulative_mw,
    cast(fetched_at as timestamptz) as fetched_at
from steps
