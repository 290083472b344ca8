-- web-kohyo interconnector capacity, every published version: period-end labels to period starts,
-- '***' to NULL with a flag, the horizon of each row from its publication time.
with kohyo as (
    {{ occto_kohyo_rows(source('occto', 'kohyo_interconnectors')) }}
)

select
    jhsybt,
    horizon,
    published_at_jst,
    delivery_date,
    delivery_period,
    delivery_start_jst,
    delivery_start_utc,
    time_label,
    line_name,
    try_cast(nullif(fwd_operating_capacity_mw, '***') as double) as fwd_operating_capacity_mw,
    try_cast(nullif(rev_operating_capacity_mw, '***') as double) as rev_operating_capacity_mw,
    try_cast(nullif(fwd_margin_mw, '***') as double) as fwd_margin_mw,
    try_cast(nullif(rev_margin_mw, '***') as double) as rev_margin_mw,
    try_cast(nullif(planned_flow_mw, '***') as double) as planned_flow_mw,
    try_cast(nullif(fwd_free_capacity_mw, '***') as double) as fwd_free_capacity_mw,
    try_cast(nullif(rev_free_capacity_mw, '***') as double) as rev_free_capacity_mw,
    try_cast(nullif(fwd_wide_area_adjustment_mw, '***') as double) as fwd_wide_area_adjustment_mw,
    try_cast(nullif(rev_wide_area_adjustment_mw, '***') as double) as rev_wide_area_adjustment_mw,
    case fwd_split_label when '分断あり' then true when '分断なし' then false end as is_fwd_split,
    case rev_split_label when '分断あり' then true when '分断なし' then false end as is_rev_split,
    coalesce('***' in (
        fwd_operating_capacity_mw, rev_operating_capacity_mw, planned_flow_mw,
        fwd_free_capacity_mw, rev_free_capacity_mw, fwd_split_label, rev_split_label
    ), false) as is_blackout,
    _source_file as source_file,
    _fetched_at as fetched_at
from kohyo
