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
