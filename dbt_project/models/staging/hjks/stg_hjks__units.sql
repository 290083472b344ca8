-- HJKS unit list, one row per snapshot x unit; HJKS's date sentinels become NULL.
with source as (
    select * from {{ source('hjks', 'units') }}
),

fuels as (
    select * from {{ ref('generation_fuel_types') }}
),

areas as (
    select * from {{ ref('areas') }}
),

renamed as (
    select
        plant_code,
        plant_name,
        unit_name,
        area_name as area_name_ja,
        company_name,
        generation_type as generation_type_ja,
        authorised_capacity_kw,
        changed_capacity_kw,
        change_effective_date,
        last_updated_jst,
        _source_file as source_file,
        case when operation_start_date > date '1900-01-01' then operation_start_date end
            as operation_start_date,
        case when operation_end_date < date '9999-12-31' then operation_end_date end
            as operation_end_date,
        cast(_fetched_at as timestamptz) as fetched_at,
        translate(generation_type, '（）', '()') as generation_type_key
    from source
)

select
    renamed.*,
    areas.area_code,
    coalesce(fuels.fuel_type, 'unknown') as fuel_type
from renamed
left join areas on renamed.area_name_ja = areas.area_name_ja
left join fuels on renamed.generation_type_key = fuels.generation_type_ja
