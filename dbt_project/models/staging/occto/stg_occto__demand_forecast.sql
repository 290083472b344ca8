-- OCCTONET3 daily demand forecast / peak supply per area (and the 9/10-area totals), by horizon.
with source as (
    select * from {{ source('occto', 'occtonet_demand_forecast') }}
),

kinds as (
    select
        code,
        horizon
    from {{ ref('occto_data_kinds') }}
    where system = 'occtonet' and dataset = 'occtonet_demand_forecast'
)

select
    source.area_data_kind,
    kinds.horizon,
    source.formulation_date,
    source.target_date as forecast_date,
    source.area_code,
    source.area_label,
    nullif(source.min_demand_time_label, '') as min_demand_time_label,
    try_cast(nullif(source.min_demand_mw, '***') as double) as min_demand_mw,
    nullif(source.max_demand_time_label, '') as max_demand_time_label,
    try_cast(nullif(source.max_demand_mw, '***') as double) as max_demand_mw,
    try_cast(nullif(source.max_supply_mw, '***') as double) as max_supply_mw,
    try_cast(nullif(source.usage_pct, '***') as double) as usage_pct,
    try_cast(nullif(source.reserve_margin_pct, '***') as double) as reserve_margin_pct,
    coalesce('***' in (source.max_demand_mw, source.max_supply_mw), false) as is_blackout,
    source._source_file as source_file,
    source._fetched_at as fetched_at
from source
inner join kinds on source.area_data_kind = kinds.code
