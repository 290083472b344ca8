-- JEPX market-splitting groups: one row per delivery date x period x group (as published).
-- split_area_seq -1 in raw (empty in the file) is the system group: NULL here, curve_key 'system'.
with source as (
    select * from {{ source('jepx', 'spot_splitting_areas') }}
),

renamed as (
    select
        cast(delivery_date as date) as delivery_date,
        cast(time_code as integer) as delivery_period,
        {{ period_start_jst('delivery_date', 'time_code') }} as delivery_start_jst,
        {{ jst_to_utc(period_start_jst('delivery_date', 'time_code')) }} as delivery_start_utc,
        case when split_area_seq >= 0 then cast(split_area_seq as integer) end as split_area_seq,
        split_area_seq < 0 as is_system_group,
        case
            when split_area_seq < 0 then 'system'
            else 'group_' || cast(split_area_seq as varchar)
        end as curve_key,
        area_group as area_group_ja,
        _source_file as source_file,
        cast(_fetched_at as timestamptz) as fetched_at
    from source
)

select * from renamed
