-- web-kohyo reserve margin, every published version: period-end labels to period starts 1..48,
-- '***' (blackout) to NULL with a flag, the horizon of each row from its publication time.
with kohyo as (
    {{ occto_kohyo_rows(source('occto', 'kohyo_reserve_margin')) }}
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
from kohyo
