-- JEPX market-splitting groups, one row per delivery date x period x area of a split group.
-- Incremental by delivery date like the bid curves. The system group (システムプライス) has no
-- area rows: it is the whole market. Groups need not cover all nine areas.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='delivery_date',
    on_schema_change='append_new_columns',
    post_hook="{{ incremental_commit() }}"
) }}
{%- set since = incremental_since('jepx', ['spot_splitting_areas']) %}

with groups as (
    select * from {{ ref('stg_jepx__spot_splitting_areas') }}
    where
        not is_system_group
        and delivery_date >= {{ since }}
),

exploded as (
    select
        groups.*,
        unnest(string_split(groups.area_group_ja, '・')) as area_name_ja,
        len(string_split(groups.area_group_ja, '・')) as areas_in_group
    from groups
),

areas as (
    select * from {{ ref('areas') }}
)

select
    cast(
        strftime(exploded.delivery_date, '%Y%m%d') || '-'
        || lpad(cast(exploded.delivery_period as varchar), 2, '0') || '-'
        || coalesce(areas.area_code, exploded.area_name_ja) as varchar
    ) as splitting_area_key,
    cast(exploded.delivery_date as date) as delivery_date,
    cast(exploded.delivery_period as integer) as delivery_period,
    cast(exploded.delivery_start_jst as timestamp) as delivery_start_jst,
    cast(exploded.delivery_start_utc as timestamp) as delivery_start_utc,
    cast(exploded.split_area_seq as integer) as split_area_seq,
    cast(exploded.curve_key as varchar) as curve_key,
    cast(areas.area_code as varchar) as area_code,
    cast(trim(exploded.area_name_ja) as varchar) as area_name_ja,
    cast(exploded.area_group_ja as varchar) as area_group_ja,
    cast(exploded.areas_in_group as integer) as areas_in_group,
    cast(exploded.fetched_at as timestamptz) as fetched_at
from exploded
left join areas on trim(exploded.area_name_ja) = areas.area_name_ja
