-- OCCTO unit generation, one row per file version x unit x day x period (1..48): the
-- end-labelled slot columns (00:30 .. 24:00) unpivoted and shifted to period starts.
with source as (
    select * from {{ source('unitgen', 'unit_generation') }}
),

unpivoted as (
    unpivot source
    on columns('^kwh_ending_')
    into name slot_label value generation_kwh
),

renamed as (
    select
        plant_code,
        unit_name,
        plant_name,
        area_name as area_name_ja,
        generation_type as generation_type_ja,
        generation_kwh,
        daily_total_kwh,
        updated_at_jst,
        _source_file as source_file,
        cast(target_date as date) as delivery_date,
        -- kwh_ending_HHMM: the slot ending at HH:MM is period HH*2 + MM/30 (00:30 -> 1, 24:00 -> 48)
        cast(substr(slot_label, 12, 2) as integer) * 2 + cast(substr(slot_label, 14, 2) as integer) // 30
            as delivery_period,
        cast(_fetched_at as timestamptz) as fetched_at,
        translate(generation_type, '（）', '()') as generation_type_key
    from unpivoted
)

select
    *,
    {{ period_start_jst('delivery_date', 'delivery_period') }} as delivery_start_jst,
    {{ jst_to_utc(period_start_jst('delivery_date', 'delivery_period')) }} as delivery_start_utc
from renamed
