-- OCCTO unit generation per area x fuel type x delivery period in the version known at the first
-- leakage gate that may use the day: day d is public at d+1 16:00 JST (unitgen publication
-- calendar), so the first gate is 10:00 JST on d+2 (the auction of delivery day d+3). Per unit and
-- day, the newest file version fetched (archive fetch time) before that gate; when every version
-- was fetched later (a one-version archive fetched after the fact, as in the demo), the FIRST
-- version fetched (the same fallback as revision_versions). Later gates use the same version,
-- which is stricter than necessary, never leakier.
with generation as (
    select * from {{ ref('stg_unitgen__unit_generation') }}
),

rules as (
    select * from {{ ref('unitgen_publication_rules') }}
    where dataset = 'unit_generation' and area_code = '*'
),

versions as (
    select
        plant_code,
        unit_name,
        delivery_date,
        source_file,
        any_value(fetched_at) as fetched_at
    from generation
    group by plant_code, unit_name, delivery_date, source_file
),

gated as (
    select
        versions.*,
        {{ publication_available_at_jst('rules', 'versions.delivery_date') }} as available_at_jst
    from versions
    cross join rules
),

first_gate as (
    select
        *,
        -- the first 10:00 JST at or after the day's publication
        cast(cast(available_at_jst - interval 10 hour - interval 1 microsecond as date) + 1 as timestamp)
        + interval 10 hour as first_gate_jst
    from gated
),

gate_version as (
    select *
    from first_gate
    qualify row_number() over (
        partition by plant_code, unit_name, delivery_date
        order by
            {{ utc_to_jst('fetched_at') }} <= first_gate_jst desc,
            case when {{ utc_to_jst('fetched_at') }} <= first_gate_jst then fetched_at end desc,
            fetched_at asc,
            source_file asc
    ) = 1
),

fuels as (
    select * from {{ ref('generation_fuel_types') }}
),

areas as (
    select * from {{ ref('areas') }}
)

select
    areas.area_code,
    coalesce(fuels.fuel_type, 'unknown') as fuel_type,
    generation.delivery_date,
    generation.delivery_period,
    any_value(gate_version.available_at_jst) as available_at_jst,
    sum(generation.generation_kwh) / 1000.0 * 2 as generation_mw,
    count(*) as unit_count
from generation
inner join gate_version
    on
        generation.plant_code = gate_version.plant_code
        and generation.unit_name = gate_version.unit_name
        and generation.delivery_date = gate_version.delivery_date
        and generation.source_file = gate_version.source_file
left join fuels on generation.generation_type_key = fuels.generation_type_ja
left join areas on generation.area_name_ja = areas.area_name_ja
group by areas.area_code, coalesce(fuels.fuel_type, 'unknown'), generation.delivery_date, generation.delivery_period
