-- Interconnector capacity, margin, planned flow and free capacity: one row per line x delivery
-- date x period x horizon, the latest publication of that horizon (web-kohyo first, OCCTONET3
-- where web-kohyo has nothing).
with versions as (
    select *
    from {{ ref('int_occto__interconnector_capacity_versions') }}
    where is_latest_in_horizon
    qualify row_number() over (
        partition by line_name, delivery_date, delivery_period, horizon
        order by case source_system when 'kohyo' then 0 else 1 end
    ) = 1
),

lines as (
    select * from {{ ref('interconnectors') }}
)

select
    cast(
        strftime(versions.delivery_date, '%Y%m%d') || '-'
        || lpad(cast(versions.delivery_period as varchar), 2, '0') || '-' || versions.line_name
        || '-' || versions.horizon as varchar
    ) as capacity_key,
    cast(versions.line_name as varchar) as line_name,
    cast(lines.line_id as varchar) as line_id,
    cast(lines.from_area_code as varchar) as from_area_code,
    cast(lines.to_area_code as varchar) as to_area_code,
    cast(coalesce(lines.is_breakdown, false) as boolean) as is_breakdown,
    cast(versions.delivery_date as date) as delivery_date,
    cast(versions.delivery_period as integer) as delivery_period,
    cast(versions.delivery_start_jst as timestamp) as delivery_start_jst,
    cast(versions.delivery_start_utc as timestamp) as delivery_start_utc,
    cast(versions.horizon as varchar) as horizon,
    cast(versions.fwd_operating_capacity_mw as double) as fwd_operating_capacity_mw,
    cast(versions.rev_operating_capacity_mw as double) as rev_operating_capacity_mw,
    cast(versions.fwd_margin_mw as double) as fwd_margin_mw,
    cast(versions.rev_margin_mw as double) as rev_margin_mw,
    cast(versions.planned_flow_mw as double) as planned_flow_mw,
    cast(versions.fwd_free_capacity_mw as double) as fwd_free_capacity_mw,
    cast(versions.rev_free_capacity_mw as double) as rev_free_capacity_mw,
    cast(versions.is_split as boolean) as is_split,
    cast(versions.is_blackout as boolean) as is_blackout,
    cast(versions.published_at_jst as timestamp) as published_at_jst,
    cast(versions.source_system as varchar) as source_system,
    cast(versions.source_file as varchar) as source_file
from versions
left join lines on versions.line_name = lines.line_name
