-- OCCTONET3 5-minute actual interconnector flows: period-end labels (00:05 .. 24:00) to interval
-- starts; reverse-direction capacities made positive; '***' to NULL with a flag.
with source as (
    select
        *,
        cast(split_part(time_label, ':', 1) as integer) * 60
        + cast(split_part(time_label, ':', 2) as integer) as end_minute
    from {{ source('occto', 'occtonet_interconnector_flows') }}
)

select
    line_name,
    target_date as delivery_date,
    cast(target_date as timestamp) + to_minutes(end_minute - 5) as interval_start_jst,
    cast(target_date as timestamp) + to_minutes(end_minute - 5) - interval 9 hour as interval_start_utc,
    cast(floor((end_minute - 1) / 30) + 1 as integer) as delivery_period,
    time_label,
    try_cast(nullif(actual_flow_mw, '***') as double) as actual_flow_mw,
    try_cast(nullif(fwd_planned_flow_mw, '***') as double) as planned_flow_mw,
    try_cast(nullif(fwd_operating_capacity_mw, '***') as double) as fwd_operating_capacity_mw,
    -try_cast(nullif(rev_operating_capacity_mw, '***') as double) as rev_operating_capacity_mw,
    try_cast(nullif(fwd_margin_mw, '***') as double) as fwd_margin_mw,
    -try_cast(nullif(rev_margin_mw, '***') as double) as rev_margin_mw,
    try_cast(nullif(fwd_free_capacity_mw, '***') as double) as fwd_free_capacity_mw,
    -try_cast(nullif(rev_free_capacity_mw, '***') as double) as rev_free_capacity_mw,
    coalesce(actual_flow_mw = '***', false) as is_blackout,
    _source_file as source_file,
    _fetched_at as fetched_at
from source
