-- OCCTONET3 interconnector free capacity by horizon, every fetched version: the two direction rows
-- of a line and period side by side (reverse values made positive), period-end labels to starts.
with source as (
    select * from {{ source('occto', 'occtonet_interconnector_capacity') }}
),

kinds as (
    select
        code,
        horizon
    from {{ ref('occto_data_kinds') }}
    where system = 'occtonet' and dataset = 'occtonet_interconnector_capacity'
),

typed as (
    select
        source.*,
        kinds.horizon,
        cast(
            (
                cast(split_part(source.time_label, ':', 1) as integer) * 60
                + cast(split_part(source.time_label, ':', 2) as integer)
            ) / 30 as integer
        ) as delivery_period,
        case when source.direction_label = '逆方向' then -1 else 1 end as sign
    from source
    inner join kinds on source.rkl_data_kind = kinds.code
)

select
    rkl_data_kind,
    horizon,
    status_label,
    formulation_date,
    target_date as delivery_date,
    delivery_period,
    {{ period_start_jst('target_date', 'delivery_period') }} as delivery_start_jst,
    {{ jst_to_utc(period_start_jst('target_date', 'delivery_period')) }} as delivery_start_utc,
    line_name,
    max(updated_at_jst) as published_at_jst,
    max(sign * try_cast(nullif(operating_capacity_mw, '***') as double))
    filter (where direction_label = '順方向') as fwd_operating_capacity_mw,
    max(sign * try_cast(nullif(operating_capacity_mw, '***') as double))
    filter (where direction_label = '逆方向') as rev_operating_capacity_mw,
    max(sign * try_cast(nullif(margin_mw, '***') as double))
    filter (where direction_label = '順方向') as fwd_margin_mw,
    max(sign * try_cast(nullif(margin_mw, '***') as double))
    filter (where direction_label = '逆方向') as rev_margin_mw,
    max(try_cast(nullif(planned_flow_mw, '***') as double)) as planned_flow_mw,
    max(sign * try_cast(nullif(free_capacity_mw, '***') as double))
    filter (where direction_label = '順方向') as fwd_free_capacity_mw,
    max(sign * try_cast(nullif(free_capacity_mw, '***') as double))
    filter (where direction_label = '逆方向') as rev_free_capacity_mw,
    max(sign * try_cast(nullif(wide_area_adjustment_mw, '***') as double))
    filter (where direction_label = '順方向') as fwd_wide_area_adjustment_mw,
    max(sign * try_cast(nullif(wide_area_adjustment_mw, '***') as double))
    filter (where direction_label = '逆方向') as rev_wide_area_adjustment_mw,
    bool_or(coalesce('***' in (operating_capacity_mw, free_capacity_mw, planned_flow_mw), false))
        as is_blackout,
    max(_source_file) as source_file,
    max(_fetched_at) as fetched_at
from typed
group by
    rkl_data_kind, horizon, status_label, formulation_date, target_date, delivery_period, line_name,
    _source_file
