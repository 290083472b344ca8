-- TSO legacy hourly supply-demand (FY2016-FY2023), one row per area x hour (start, JST, MW).
-- Every legacy file is start-labelled and imports-positive; values were converted to MW by the
-- extractor (MWh per hour x1, 万kWh and 万kW x10; source_unit says which).
with source as (
    select * from {{ source('tso', 'area_supply_demand_legacy') }}
),

renamed as (
    select
        cast(area_code as varchar) as area_code,
        cast(slot_date as date) as slot_date,
        cast(time_label as varchar) as time_label,
        cast(slot_date as timestamp) + to_minutes(cast(time_minutes as integer)) as interval_start_jst,
        {{ jst_to_utc('interval_start_jst') }} as interval_start_utc,
        60 as resolution_minutes,
        cast(demand_mw as double) as demand_mw,
        cast(nuclear_mw as double) as nuclear_mw,
        cast(null as double) as thermal_lng_mw,
        cast(null as double) as thermal_coal_mw,
        cast(null as double) as thermal_oil_mw,
        cast(null as double) as thermal_other_mw,
        cast(thermal_mw as double) as thermal_total_mw,
        cast(null as double) as thermal_curtailment_mw,
        cast(hydro_mw as double) as hydro_mw,
        cast(geothermal_mw as double) as geothermal_mw,
        cast(biomass_mw as double) as biomass_mw,
        cast(null as double) as biomass_curtailment_mw,
        cast(solar_mw as double) as solar_mw,
        cast(solar_curtailment_mw as double) as solar_curtailment_mw,
        cast(wind_mw as double) as wind_mw,
        cast(wind_curtailment_mw as double) as wind_curtailment_mw,
        cast(pumped_storage_mw as double) as pumped_storage_mw,
        cast(null as double) as battery_mw,
        cast(interconnection_mw as double) as interconnection_mw,
        cast(other_mw as double) as other_mw,
        cast(total_mw as double) as total_mw,
        cast(source_unit as varchar) as source_unit,
        {{ lineage_columns() }}
    from source
)

select * from renamed
