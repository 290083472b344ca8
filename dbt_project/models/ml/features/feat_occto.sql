-- OCCTO features. Grain: one row per JEPX area x delivery date x delivery period (the
-- feat_calendar spine). Leakage: a row for delivery day D holds only what OCCTO had published by
-- the gate, 10:00 JST on D-1:
--   * wide-area reserve margin and block (and the area demand plan of the same file): the latest
--     version of (area, D, period) whose own published_at_jst <= the gate - normally the
--     two-days-ahead publication of D-2 evening (the day-ahead one appears ~17:40 on D-1);
--   * interconnector operating capacity: the latest version of each line's (D, period) published
--     by the gate (kohyo before OCCTONET3 on equal stamps), summed per area: import capacity =
--     forward capacity of lines entering the area + reverse capacity of lines leaving it, export
--     capacity the other way round. 関西-中国（東）/（西） are a breakdown and never added; a fence
--     touching a central area (中部/北陸/関西) replaces that area's lines inside the central region
--     in the periods where the fence is published (seed interconnectors.fenced_region, macro
--     occto_fence_kept: the same rule for the flows below);
--   * the OCCTONET3 daily demand forecast for D: the latest formulation whose day (策定日) ended
--     by the gate (formulation day + 1 at 00:00 JST - conservative: the two-days-ahead forecast is
--     formulated on D-2, the day-ahead one on D-1 and therefore never used);
--   * actual net imports (signed flows into the area, same period): from the latest flow day
--     public at the gate by the calendar (occtonet_interconnector_flows: day d at d+1 12:00, so
--     d <= D-3, not D-2), with its age in days.
{{ config(post_hook="{{ incremental_commit() }}", **incremental_by_date('delivery_date')) }}
{%- set since = feature_since(['jepx', 'occto']) %}

with spine as (
    select
        area_code,
        delivery_date,
        delivery_period
    from {{ ref('feat_calendar') }}
    where delivery_date >= {{ since }}
),

lines as (
    select
        line_name,
        line_kind,
        from_area_code,
        to_area_code,
        fenced_region,
        coalesce(is_breakdown, false) as is_breakdown
    from {{ ref('interconnectors') }}
),

reserve_at_gate as (
    select
        area_code,
        delivery_date,
        delivery_period,
        horizon,
        block_no,
        wide_area_reserve_margin_pct,
        area_demand_mw,
        published_at_jst
    from {{ ref('int_occto__reserve_margin_versions') }}
    where published_at_jst <= {{ feature_gate_jst('delivery_date') }} and delivery_date >= {{ since }}
    qualify row_number() over (
        partition by area_code, delivery_date, delivery_period
        order by published_at_jst desc, horizon asc
    ) = 1
),

capacity_at_gate as (
    select
        versions.line_name,
        versions.delivery_date,
        versions.delivery_period,
        versions.fwd_operating_capacity_mw,
        versions.rev_operating_capacity_mw,
        versions.published_at_jst
    from {{ ref('int_occto__interconnector_capacity_versions') }} as versions
    where
        versions.published_at_jst <= {{ feature_gate_jst('versions.delivery_date') }}
        and versions.delivery_date >= {{ since }}
    qualify row_number() over (
        partition by versions.line_name, versions.delivery_date, versions.delivery_period
        order by
            versions.published_at_jst desc,
            case versions.source_system when 'kohyo' then 0 else 1 end asc
    ) = 1
),

-- each line seen from each area it touches: capacity into and out of that area
capacity_ends as (
    select
        lines.to_area_code as area_code,
        lines.line_kind,
        lines.fenced_region,
        capacity_at_gate.delivery_date,
        capacity_at_gate.delivery_period,
        capacity_at_gate.fwd_operating_capacity_mw as import_capacity_mw,
        capacity_at_gate.rev_operating_capacity_mw as export_capacity_mw,
        capacity_at_gate.published_at_jst
    from capacity_at_gate
    inner join lines on capacity_at_gate.line_name = lines.line_name
    where not lines.is_breakdown and lines.to_area_code is not null
    union all
    select
        lines.from_area_code as area_code,
        lines.line_kind,
        lines.fenced_region,
        capacity_at_gate.delivery_date,
        capacity_at_gate.delivery_period,
        capacity_at_gate.rev_operating_capacity_mw as import_capacity_mw,
        capacity_at_gate.fwd_operating_capacity_mw as export_capacity_mw,
        capacity_at_gate.published_at_jst
    from capacity_at_gate
    inner join lines on capacity_at_gate.line_name = lines.line_name
    where not lines.is_breakdown and lines.from_area_code is not null
),

-- a fence published for an area replaces its lines inside the fenced region
capacity_kept as (
    {{ occto_fence_kept('capacity_ends') }}
),

capacity_by_area as (
    select
        area_code,
        delivery_date,
        delivery_period,
        sum(import_capacity_mw) as import_capacity_mw,
        sum(export_capacity_mw) as export_capacity_mw,
        count(import_capacity_mw) as capacity_lines,
        max(published_at_jst) as published_at_jst
    from capacity_kept
    group by area_code, delivery_date, delivery_period
),

demand_forecast_at_gate as (
    select
        area_code,
        forecast_date,
        horizon,
        formulation_date,
        max_demand_mw,
        min_demand_mw,
        reserve_margin_pct
    from {{ ref('fct_area_demand_forecast') }}
    where
        cast(formulation_date + 1 as timestamp) <= {{ feature_gate_jst('forecast_date') }}
        and forecast_date >= {{ since }}
    qualify row_number() over (
        partition by area_code, forecast_date order by formulation_date desc, horizon desc
    ) = 1
),

flow_day as (
    {{ latest_available_day(
        'spine', 'occto', 'occtonet_interconnector_flows', ref('fct_interconnector_flows'), 'delivery_date'
    ) }}
),

flow_ends as (
    select
        lines.to_area_code as area_code,
        lines.line_kind,
        lines.fenced_region,
        flows.delivery_date,
        flows.delivery_period,
        flows.actual_flow_mw as import_flow_mw
    from {{ ref('fct_interconnector_flows') }} as flows
    inner join lines on flows.line_name = lines.line_name
    where not lines.is_breakdown and lines.to_area_code is not null
    union all
    select
        lines.from_area_code as area_code,
        lines.line_kind,
        lines.fenced_region,
        flows.delivery_date,
        flows.delivery_period,
        -flows.actual_flow_mw as import_flow_mw
    from {{ ref('fct_interconnector_flows') }} as flows
    inner join lines on flows.line_name = lines.line_name
    where not lines.is_breakdown and lines.from_area_code is not null
),

flows_kept as (
    {{ occto_fence_kept('flow_ends') }}
),

net_imports as (
    select
        area_code,
        delivery_date,
        delivery_period,
        sum(import_flow_mw) as net_import_mw
    from flows_kept
    group by area_code, delivery_date, delivery_period
)

select
    spine.area_code,
    spine.delivery_date,
    spine.delivery_period,
    reserve_at_gate.wide_area_reserve_margin_pct as reserve_margin_at_gate_pct,
    reserve_at_gate.block_no as reserve_block_no_at_gate,
    reserve_at_gate.area_demand_mw as reserve_area_demand_at_gate_mw,
    reserve_at_gate.horizon as reserve_margin_horizon,
    reserve_at_gate.published_at_jst as reserve_margin_published_at_jst,
    round(epoch(
        {{ feature_gate_jst('spine.delivery_date') }} - reserve_at_gate.published_at_jst
    ) / 3600.0, 3) as reserve_margin_age_h,
    capacity_by_area.import_capacity_mw as interconnector_import_capacity_mw,
    capacity_by_area.export_capacity_mw as interconnector_export_capacity_mw,
    cast(capacity_by_area.capacity_lines as integer) as interconnector_capacity_lines,
    capacity_by_area.published_at_jst as interconnector_capacity_published_at_jst,
    demand_forecast_at_gate.max_demand_mw as demand_forecast_max_mw,
    demand_forecast_at_gate.min_demand_mw as demand_forecast_min_mw,
    demand_forecast_at_gate.reserve_margin_pct as demand_forecast_reserve_margin_pct,
    demand_forecast_at_gate.horizon as demand_forecast_horizon,
    demand_forecast_at_gate.formulation_date as demand_forecast_formulation_date,
    round(net_imports.net_import_mw, 3) as net_import_actual_mw,
    flow_day.available_date as net_import_flow_date,
    flow_day.age_days as net_import_age_days
from spine
left join reserve_at_gate
    on
        spine.area_code = reserve_at_gate.area_code
        and spine.delivery_date = reserve_at_gate.delivery_date
        and spine.delivery_period = reserve_at_gate.delivery_period
left join capacity_by_area
    on
        spine.area_code = capacity_by_area.area_code
        and spine.delivery_date = capacity_by_area.delivery_date
        and spine.delivery_period = capacity_by_area.delivery_period
left join demand_forecast_at_gate
    on
        spine.area_code = demand_forecast_at_gate.area_code
        and spine.delivery_date = demand_forecast_at_gate.forecast_date
left join flow_day
    on
        spine.area_code = flow_day.area_code
        and spine.delivery_date = flow_day.delivery_date
left join net_imports
    on
        spine.area_code = net_imports.area_code
        and flow_day.available_date = net_imports.delivery_date
        and spine.delivery_period = net_imports.delivery_period
