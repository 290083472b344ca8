{#- The value columns every TSO supply-demand model carries, in MW (see fct_area_supply_demand). -#}
{% macro tso_value_columns() -%}
    {{ return([
        'demand_mw', 'nuclear_mw', 'thermal_lng_mw', 'thermal_coal_mw', 'thermal_oil_mw',
        'thermal_other_mw', 'thermal_total_mw', 'thermal_curtailment_mw', 'hydro_mw',
        'geothermal_mw', 'biomass_mw', 'biomass_curtailment_mw', 'solar_mw',
        'solar_curtailment_mw', 'wind_mw', 'wind_curtailment_mw', 'pumped_storage_mw',
        'battery_mw', 'interconnection_mw', 'other_mw', 'total_mw'
    ]) }}
{%- endmacro %}


{#-
  One TSO common-format raw table (the monthly eria_jukyu files or Tohoku's realtime daily files:
  the same columns), renamed and typed, one row per raw row: each area's publishing conventions
  are rows of the seed tso_conventions (the Python parsers read the same seed):
  common_time_label 'end' = slots labelled by their END (Kyushu: 0:30 ... 24:00),
  common_interconnection_sign 'export_positive' = exports counted as positive (Kyushu). Every row
  gets its interval start and the imports-positive sign.
-#}
{% macro tso_common_rows(relation) -%}
with conventions as (
    select
        area_code,
        case common_time_label when 'end' then 30 else 0 end as label_shift_minutes,
        case common_interconnection_sign when 'export_positive' then -1 else 1 end as import_sign
    from {{ ref('tso_conventions') }}
),

source as (
    select
        raw_rows.*,
        -- NULL for an area without a seed row: interval_start_jst's not_null test names it
        conventions.label_shift_minutes,
        conventions.import_sign
    from {{ relation }} as raw_rows
    left join conventions on raw_rows.area_code = conventions.area_code
),

renamed as (
    select
        cast(area_code as varchar) as area_code,
        cast(slot_date as date) as slot_date,
        cast(time_label as varchar) as time_label,
        cast(slot_date as timestamp)
        + to_minutes(cast(time_minutes as integer) - label_shift_minutes)
            as interval_start_jst,
        {{ jst_to_utc('interval_start_jst') }} as interval_start_utc,
        30 as resolution_minutes,
        cast(demand_mw as double) as demand_mw,
        cast(nuclear_mw as double) as nuclear_mw,
        cast(thermal_lng_mw as double) as thermal_lng_mw,
        cast(thermal_coal_mw as double) as thermal_coal_mw,
        cast(thermal_oil_mw as double) as thermal_oil_mw,
        cast(thermal_other_mw as double) as thermal_other_mw,
        -- NULL only when no fuel is published; a single blank fuel counts as 0
        cast(
            case
                when coalesce(thermal_lng_mw, thermal_coal_mw, thermal_oil_mw, thermal_other_mw) is not null
                    then
                        coalesce(thermal_lng_mw, 0) + coalesce(thermal_coal_mw, 0)
                        + coalesce(thermal_oil_mw, 0) + coalesce(thermal_other_mw, 0)
            end as double
        ) as thermal_total_mw,
        cast(thermal_curtailment_mw as double) as thermal_curtailment_mw,
        cast(hydro_mw as double) as hydro_mw,
        cast(geothermal_mw as double) as geothermal_mw,
        cast(biomass_mw as double) as biomass_mw,
        cast(biomass_curtailment_mw as double) as biomass_curtailment_mw,
        cast(solar_mw as double) as solar_mw,
        cast(solar_curtailment_mw as double) as solar_curtailment_mw,
        cast(wind_mw as double) as wind_mw,
        cast(wind_curtailment_mw as double) as wind_curtailment_mw,
        cast(pumped_storage_mw as double) as pumped_storage_mw,
        cast(battery_mw as double) as battery_mw,
        cast(import_sign * interconnection_mw as double) as interconnection_mw,
        cast(other_mw as double) as other_mw,
        cast(total_mw as double) as total_mw,
        cast('MW' as varchar) as source_unit,
        {{ lineage_columns() }}
    from source
)

select * from renamed
{%- endmacro %}
