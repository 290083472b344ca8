-- Actual interconnector flows per delivery period: the mean of the period's 5-minute values
-- (labels 00:05 .. 00:30 belong to period 1). Positive = the seed's forward direction.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='delivery_date',
    on_schema_change='fail',
    post_hook="{{ incremental_commit() }}"
) }}
{%- set since = incremental_since('occto', ['occtonet_interconnector_flows']) %}
with flows as (
    select * from {{ ref('fct_interconnector_flows_5min') }}
    where delivery_date >= {{ since }}
),

periods as (
    select
        line_name,
        any_value(line_id) as line_id,
        any_value(from_area_code) as from_area_code,
        any_value(to_area_code) as to_area_code,
        delivery_date,
        delivery_period,
        avg(actual_flow_mw) as actual_flow_mw,
        min(actual_flow_mw) as min_actual_flow_mw,
        max(actual_flow_mw) as max_actual_flow_mw,
        count(actual_flow_mw) as n_intervals
    from flows
    group by line_name, delivery_date, delivery_period
)

select
    cast(
        strftime(delivery_date, '%Y%m%d') || '-' || lpad(cast(delivery_period as varchar), 2, '0')
        || '-' || line_name as varchar
    ) as flow_key,
    cast(line_name as varchar) as line_name,
    cast(line_id as varchar) as line_id,
    cast(from_area_code as varchar) as from_area_code,
    cast(to_area_code as varchar) as to_area_code,
    cast(delivery_date as date) as delivery_date,
    cast(delivery_period as integer) as delivery_period,
    cast({{ period_start_jst('delivery_date', 'delivery_period') }} as timestamp) as delivery_start_jst,
    cast({{ jst_to_utc(period_start_jst('delivery_date', 'delivery_period')) }} as timestamp)
        as delivery_start_utc,
    cast(round(actual_flow_mw, 3) as double) as actual_flow_mw,
    cast(min_actual_flow_mw as double) as min_actual_flow_mw,
    cast(max_actual_flow_mw as double) as max_actual_flow_mw,
    cast(n_intervals as integer) as n_intervals
from periods
