-- TSO area supply-demand actuals: one row per area x interval start (JST), in MW; the newest
-- fetched version of every row. An incremental run reads only the days from `since` on.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='delivery_date',
    on_schema_change='fail',
    post_hook="{{ incremental_commit() }}"
) }}
{%- set since = incremental_since('tso', none) %}

select
    cast(
        area_code || '-' || strftime(interval_start_jst, '%Y%m%d%H%M') as varchar
    ) as supply_demand_key,
    cast(area_code as varchar) as area_code,
    cast(interval_start_jst as timestamp) as interval_start_jst,
    cast(interval_start_utc as timestamptz) as interval_start_utc,
    cast(interval_start_jst as date) as delivery_date,
    cast(resolution_minutes as integer) as resolution_minutes,
    {%- for c in tso_value_columns() %}
        cast({{ c }} as double) as {{ c }},
    {%- endfor %}
    cast(demand_mw - solar_mw - wind_mw as double) as residual_load_mw,
    cast(source_format as varchar) as source_format,
    cast(source_unit as varchar) as source_unit,
    cast(source_file as varchar) as source_file,
    cast(fetched_at as timestamptz) as fetched_at
from (
    -- int_area_supply_demand_unioned's SQL, every input filtered to the window before its
    -- version windows (the whole view would rank every version of the history)
    {{ area_supply_demand_unioned(since) | indent(4) }}
) as unioned
where is_latest_version and cast(interval_start_jst as date) >= {{ since }}
