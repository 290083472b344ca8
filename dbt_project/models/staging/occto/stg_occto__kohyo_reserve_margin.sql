-- web-kohyo reserve margin, every published version: period-end labels to period starts 1..48,
-- '***' (blackout) to NULL with a flag, the horizon of each row from its publication time.
with source as (
    select * from {{ source('occto', 'kohyo_reserve_margin') }}
),

kinds as (
    select
        code,
        horizon
    from {{ ref('occto_data_kinds') }}
    where system = 'kohyo'
),

typed as (
    select
        source.*,
        kinds.horizon as file_horizon,
        cast(
            (
                cast(split_part(source.time_label, ':', 1) as integer) * 60
                + cast(split_part(source.time_label, ':', 2) as integer)
            ) / 30 as integer
        ) as delivery_period
    from source
    inner join kinds on source.jhsybt = kinds.code
)

select
    jhsybt,
    case
        when file_horizon <> 'day_ahead_same_day' then file_horizon
        when cast(published_at_jst as date) < target_date then 'day_ahead'
        else 'same_day'
    end as horizon,
    published_at_jst,
    target_date as delivery_date,
    delivery_period,
    {{ period_start_jst('target_date', 'delivery_period') }} as delivery_start_jst,
    {{ jst_to_utc(period_start_jst('target_date', 'delivery_period')) }} as delivery_start_utc,
    time_label,
    area_code,
    area_name,
    nullif(category_name, '***') as category_name,
    try_cast(block_no as integer) as block_no,
    try_cast(nullif(block_demand_mw, '***') as double) as block_demand_mw,
    try_cast(nullif(block_supply_mw, '***') as double) as block_supply_mw,
    try_cast(nullif(block_reserve_mw, '***') as double) as block_reserve_mw,
    try_cast(nullif(wide_area_reserve_margin_pct, '***') as double) as wide_area_reserve_margin_pct,
    try_cast(nullif(wide_area_usage_pct, '***') as double) as wide_area_usage_pct,
    try_cast(nullif(area_demand_mw, '***') as double) as area_demand_mw,
    try_cast(nullif(area_supply_mw, '***') as double) as area_supply_mw,
    try_cast(nullif(area_reserve_mw, '***') as double) as area_reserve_mw,
    coalesce('***' in (
        block_demand_mw, block_supply_mw, block_reserve_mw, wide_area_reserve_margin_pct,
        wide_area_usage_pct, area_demand_mw, area_supply_mw, area_reserve_mw
    ), false) as is_blackout,
    _source_file as source_file,
    _fetched_at as fetched_at
from typed
