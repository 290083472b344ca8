-- OCCTO unit generation summed per area x fuel type x delivery period (latest versions).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='delivery_date',
    on_schema_change='fail',
    post_hook="{{ incremental_commit() }}"
) }}
{%- set since = incremental_since('unitgen', none) %}
with units as (
    select * from {{ ref('fct_unit_generation_halfhourly') }}
    where delivery_date >= {{ since }}
)

select
    cast(
        coalesce(area_code, '??') || '-' || fuel_type || '-' || strftime(delivery_date, '%Y%m%d')
        || '-' || lpad(cast(delivery_period as varchar), 2, '0') as varchar
    ) as area_fuel_generation_key,
    cast(area_code as varchar) as area_code,
    cast(fuel_type as varchar) as fuel_type,
    cast(delivery_date as date) as delivery_date,
    cast(delivery_period as integer) as delivery_period,
    cast(any_value(delivery_start_jst) as timestamp) as delivery_start_jst,
    cast(any_value(delivery_start_utc) as timestamp) as delivery_start_utc,
    cast(sum(generation_mwh) as double) as generation_mwh,
    cast(sum(generation_mw) as double) as generation_mw,
    cast(count(*) as integer) as unit_count
from units
group by area_code, fuel_type, delivery_date, delivery_period
