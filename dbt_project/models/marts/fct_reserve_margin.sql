-- Wide-area reserve margin: one row per area x delivery date x period x horizon, the latest
-- publication of that horizon, with the block the area belonged to in that period.
with versions as (
    select *
    from {{ ref('int_occto__reserve_margin_versions') }}
    where is_latest_in_horizon
)

select
    cast(
        strftime(delivery_date, '%Y%m%d') || '-' || lpad(cast(delivery_period as varchar), 2, '0')
        || '-' || area_code || '-' || horizon as varchar
    ) as reserve_margin_key,
    cast(area_code as varchar) as area_code,
    cast(delivery_date as date) as delivery_date,
    cast(delivery_period as integer) as delivery_period,
    cast(delivery_start_jst as timestamp) as delivery_start_jst,
    cast(delivery_start_utc as timestamp) as delivery_start_utc,
    cast(horizon as varchar) as horizon,
    cast(block_no as integer) as block_no,
    cast(block_demand_mw as double) as block_demand_mw,
    cast(block_supply_mw as double) as block_supply_mw,
    cast(block_reserve_mw as double) as block_reserve_mw,
    cast(wide_area_reserve_margin_pct as double) as wide_area_reserve_margin_pct,
    cast(wide_area_usage_pct as double) as wide_area_usage_pct,
    cast(area_demand_mw as double) as area_demand_mw,
    cast(area_supply_mw as double) as area_supply_mw,
    cast(area_reserve_mw as double) as area_reserve_mw,
    cast(is_blackout as boolean) as is_blackout,
    cast(published_at_jst as timestamp) as published_at_jst,
    cast(source_file as varchar) as source_file
from versions
