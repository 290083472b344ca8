-- HJKS generating units (latest unit-list snapshot) with authorised capacity and its validity,
-- matched to OCCTO's unit-generation units by name where possible (match_quality): exact,
-- normalised (full-width digits/letters and spaces folded, 発電所 dropped from plant names),
-- plant_only (OCCTO names no unit, or both list one unit for the plant), else unmatched.
{% set fold_from = '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ（）' %}
{% set fold_to = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ()' %}

with hjks_units as (
    select * from {{ ref('stg_hjks__units') }}
    qualify fetched_at = max(fetched_at) over ()
),

occto_units as (
    select
        plant_code,
        unit_name,
        any_value(plant_name) as plant_name,
        any_value(area_name_ja) as area_name_ja
    from {{ ref('stg_unitgen__unit_generation') }}
    group by plant_code, unit_name
),

areas as (
    select * from {{ ref('areas') }}
),

occto_named as (
    select
        occto_units.*,
        areas.area_code,
        count(*) over (partition by areas.area_code, occto_units.plant_name) as plant_units,
        replace(translate(occto_units.plant_name, '{{ fold_from }}', '{{ fold_to }}'), '　', '')
            as plant_key,
        replace(translate(occto_units.unit_name, '{{ fold_from }}', '{{ fold_to }}'), '　', '')
            as unit_key
    from occto_units
    left join areas on occto_units.area_name_ja = areas.area_name_ja
),

hjks_named as (
    select
        *,
        count(*) over (partition by area_code, plant_name) as plant_units,
        replace(translate(plant_name, '{{ fold_from }}', '{{ fold_to }}'), '　', '') as plant_key,
        replace(translate(unit_name, '{{ fold_from }}', '{{ fold_to }}'), '　', '') as unit_key
    from hjks_units
),

candidates as (
    select
        hjks_named.plant_code,
        hjks_named.plant_name,
        hjks_named.unit_name,
        occto_named.plant_code as occto_plant_code,
        occto_named.unit_name as occto_unit_name,
        case
            when
                hjks_named.plant_name = occto_named.plant_name
                and hjks_named.unit_name = occto_named.unit_name
                then 'exact'
            when hjks_named.unit_key = occto_named.unit_key then 'normalised'
            else 'plant_only'
        end as match_quality,
        count(*) over (
            partition by hjks_named.plant_code, hjks_named.plant_name, hjks_named.unit_name
        ) as candidate_count
    from hjks_named
    inner join occto_named
        on
            hjks_named.area_code = occto_named.area_code
            and replace(hjks_named.plant_key, '発電所', '')
            = replace(occto_named.plant_key, '発電所', '')
    -- a plant-level match only where it cannot be another unit's: OCCTO left the unit name
    -- empty, or both sides list a single unit for the plant
    where
        hjks_named.unit_key = occto_named.unit_key
        or occto_named.unit_key = ''
        or (hjks_named.plant_units = 1 and occto_named.plant_units = 1)
),

best as (
    select *
    from candidates
    qualify row_number() over (
        partition by plant_code, plant_name, unit_name
        order by
            case match_quality when 'exact' then 1 when 'normalised' then 2 else 3 end,
            occto_plant_code,
            occto_unit_name
    ) = 1
)

select
    cast(
        hjks_units.plant_code || '|' || hjks_units.plant_name || '|' || hjks_units.unit_name
        as varchar
    ) as generating_unit_key,
    cast(hjks_units.plant_code as varchar) as plant_code,
    cast(hjks_units.plant_name as varchar) as plant_name,
    cast(hjks_units.unit_name as varchar) as unit_name,
    cast(hjks_units.area_code as varchar) as area_code,
    cast(hjks_units.company_name as varchar) as company_name,
    cast(hjks_units.generation_type_ja as varchar) as generation_type_ja,
    cast(hjks_units.fuel_type as varchar) as fuel_type,
    cast(hjks_units.authorised_capacity_kw / 1000.0 as double) as authorised_capacity_mw,
    cast(hjks_units.operation_start_date as date) as capacity_valid_from,
    cast(
        coalesce(hjks_units.change_effective_date - 1, hjks_units.operation_end_date) as date
    ) as capacity_valid_to,
    cast(hjks_units.changed_capacity_kw / 1000.0 as double) as changed_capacity_mw,
    cast(hjks_units.change_effective_date as date) as changed_capacity_valid_from,
    cast(hjks_units.operation_start_date as date) as operation_start_date,
    cast(hjks_units.operation_end_date as date) as operation_end_date,
    cast(best.occto_plant_code as varchar) as occto_plant_code,
    cast(best.occto_unit_name as varchar) as occto_unit_name,
    cast(coalesce(best.match_quality, 'unmatched') as varchar) as match_quality,
    cast(best.candidate_count as integer) as occto_candidate_count,
    cast(hjks_units.last_updated_jst as timestamp) as last_updated_jst,
    cast(hjks_units.fetched_at as timestamptz) as snapshot_fetched_at
from hjks_units
left join best
    on
        hjks_units.plant_code = best.plant_code
        and hjks_units.plant_name = best.plant_name
        and hjks_units.unit_name = best.unit_name
