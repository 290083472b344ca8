-- OCCTO unit generation per unit x delivery period: the latest published version of each unit x
-- day (latest 更新日時, then the latest fetch), in MWh and mean MW, with how often it was revised.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='delivery_date',
    on_schema_change='fail',
    post_hook="{{ incremental_commit() }}"
) }}
{%- set since = incremental_since('unitgen', none) %}
with generation as (
    select * from {{ ref('stg_unitgen__unit_generation') }}
    where delivery_date >= {{ since }}
),

versions as (
    select
        plant_code,
        unit_name,
        delivery_date,
        source_file,
        any_value(updated_at_jst) as updated_at_jst,
        any_value(fetched_at) as fetched_at
    from generation
    group by plant_code, unit_name, delivery_date, source_file
),

latest as (
    select
        *,
        count(*) over (partition by plant_code, unit_name, delivery_date) as version_count
    from versions
    qualify row_number() over (
        partition by plant_code, unit_name, delivery_date
        order by updated_at_jst desc nulls last, fetched_at desc, source_file desc
    ) = 1
),

fuels as (
    select * from {{ ref('generation_fuel_types') }}
),

areas as (
    select * from {{ ref('areas') }}
)

select
    cast(
        generation.plant_code || '|' || generation.unit_name || '|'
        || strftime(generation.delivery_date, '%Y%m%d') || '-'
        || lpad(cast(generation.delivery_period as varchar), 2, '0') as varchar
    ) as unit_generation_key,
    cast(generation.plant_code as varchar) as plant_code,
    cast(generation.unit_name as varchar) as unit_name,
    cast(generation.plant_name as varchar) as plant_name,
    cast(areas.area_code as varchar) as area_code,
    cast(generation.generation_type_ja as varchar) as generation_type_ja,
    cast(coalesce(fuels.fuel_type, 'unknown') as varchar) as fuel_type,
    cast(generation.delivery_date as date) as delivery_date,
    cast(generation.delivery_period as integer) as delivery_period,
    cast(generation.delivery_start_jst as timestamp) as delivery_start_jst,
    cast(generation.delivery_start_utc as timestamp) as delivery_start_utc,
    cast(generation.generation_kwh / 1000.0 as double) as generation_mwh,
    cast(generation.generation_kwh / 1000.0 * 2 as double) as generation_mw,
    cast(latest.updated_at_jst as timestamp) as updated_at_jst,
    cast(latest.version_count as integer) as version_count,
    cast(latest.fetched_at as timestamptz) as fetched_at,
    cast(latest.source_file as varchar) as source_file
from generation
inner join latest
    on
        generation.plant_code = latest.plant_code
        and generation.unit_name = latest.unit_name
        and generation.delivery_date = latest.delivery_date
        and generation.source_file = latest.source_file
left join areas on generation.area_name_ja = areas.area_name_ja
left join fuels on generation.generation_type_key = fuels.generation_type_ja
