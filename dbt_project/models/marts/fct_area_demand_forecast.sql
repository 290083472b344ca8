-- OCCTO daily demand forecast and peak supply: one row per area x forecast date x horizon, the
-- latest formulation (策定日) of that horizon. The 9/10-area totals stay in staging.
with forecasts as (
    select *
    from {{ ref('stg_occto__demand_forecast') }}
    where area_code is not null
    qualify row_number() over (
        partition by area_code, forecast_date, horizon order by formulation_date desc, fetched_at desc
    ) = 1
)

select
    cast(strftime(forecast_date, '%Y%m%d') || '-' || area_code || '-' || horizon as varchar)
        as demand_forecast_key,
    cast(area_code as varchar) as area_code,
    cast(forecast_date as date) as forecast_date,
    cast(horizon as varchar) as horizon,
    cast(formulation_date as date) as formulation_date,
    cast(min_demand_time_label as varchar) as min_demand_time_label,
    cast(min_demand_mw as double) as min_demand_mw,
    cast(max_demand_time_label as varchar) as max_demand_time_label,
    cast(max_demand_mw as double) as max_demand_mw,
    cast(max_supply_mw as double) as max_supply_mw,
    cast(usage_pct as double) as usage_pct,
    cast(reserve_margin_pct as double) as reserve_margin_pct,
    cast(source_file as varchar) as source_file
from forecasts
