-- Actual interconnector flows, 5 minutes: one row per line x interval start. Positive = the
-- line's forward direction in the interconnectors seed (from_area_code -> to_area_code).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='delivery_date',
    on_schema_change='fail',
    post_hook="{{ incremental_commit() }}"
) }}
{%- set since = incremental_since('occto', ['occtonet_interconnector_flows']) %}
with flows as (
    select * from {{ ref('stg_occto__interconnector_flows_5min') }}
    where delivery_date >= {{ since }}
),

lines as (
    select * from {{ ref('interconnectors') }}
)

select
    cast(flows.line_name || '-' || strftime(flows.interval_start_jst, '%Y%m%d%H%M') as varchar)
        as flow_5min_key,
    cast(flows.line_name as varchar) as line_name,
    cast(lines.line_id as varchar) as line_id,
    cast(lines.from_area_code as varchar) as from_area_code,
    cast(lines.to_area_code as varchar) as to_area_code,
    cast(flows.interval_start_jst as timestamp) as interval_start_jst,
    cast(flows.interval_start_utc as timestamp) as interval_start_utc,
    cast(flows.delivery_date as date) as delivery_date,
    cast(flows.delivery_period as integer) as delivery_period,
    cast(flows.actual_flow_mw as double) as actual_flow_mw,
    cast(flows.planned_flow_mw as double) as planned_flow_mw,
    cast(flows.fwd_operating_capacity_mw as double) as fwd_operating_capacity_mw,
    cast(flows.rev_operating_capacity_mw as double) as rev_operating_capacity_mw,
    cast(flows.is_blackout as boolean) as is_blackout,
    cast(flows.source_file as varchar) as source_file
from flows
left join lines on flows.line_name = lines.line_name
