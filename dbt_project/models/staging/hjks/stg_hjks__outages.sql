-- HJKS outage/derating events, one row per snapshot x listed event (every revision kept).
-- Names are matched half-width (full-width brackets and digits folded) against the seeds.
with source as (
    select * from {{ source('hjks', 'outages') }}
),

codes as (
    select * from {{ ref('hjks_outage_codes') }}
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
        unit_name,
        outage_start_jst,
        last_updated_jst,
        area_name as area_name_ja,
        company_name,
        plant_name,
        generation_type as generation_type_ja,
        authorised_capacity_kw,
        derating_kw,
        outage_category as outage_category_ja,
        outage_kind as outage_kind_ja,
        recovery_outlook as recovery_outlook_ja,
        cast(expected_recovery_jst as date) as expected_recovery_date,
        outage_reason as outage_reason_ja,
        _source_file as source_file,
        cast(_fetched_at as timestamptz) as fetched_at,
        plant_code || '|' || unit_name || '|' || strftime(outage_start_jst, '%Y%m%d%H%M')
            as outage_event_key,
        translate(generation_type, '（）', '()') as generation_type_key
    from source
)

select
    renamed.*,
    areas.area_code,
    coalesce(fuels.fuel_type, 'unknown') as fuel_type,
    category.name_en as outage_category,
    kind.code as outage_kind_code,
    kind.name_en as outage_kind,
    coalesce(renamed.derating_kw, renamed.authorised_capacity_kw) as affected_kw,
    -- the JST date the snapshot was fetched (fetched_at is UTC)
    cast(make_timestamp(epoch_us(renamed.fetched_at)) + interval 9 hour as date) as fetched_date_jst
from renamed
left join areas on renamed.area_name_ja = areas.area_name_ja
left join fuels on renamed.generation_type_key = fuels.generation_type_ja
left join codes as category
    on
        category.code_type = 'maintemode'
        and renamed.outage_category_ja in (category.name_ja, category.code)
left join codes as kind
    on
        kind.code_type = 'assortment'
        and (
            renamed.outage_kind_ja = kind.code
            or (
                renamed.outage_kind_ja = kind.name_ja
                and kind.outage_group = coalesce(category.outage_group, 'stop')
            )
        )
