-- Where a TSO publishes a supply total (合計), it equals the sum of the generation columns
-- (curtailment columns excluded; interconnection imports-positive after staging) within 3 MW.
-- Legacy totals were converted from 万kWh/万kW (x10), so their rounding step is 10 MW.
select
    supply_demand_key,
    total_mw,
    generation_mw
from (
    select
        supply_demand_key,
        total_mw,
        source_unit,
        coalesce(nuclear_mw, 0) + coalesce(thermal_total_mw, 0) + coalesce(hydro_mw, 0)
        + coalesce(geothermal_mw, 0) + coalesce(biomass_mw, 0) + coalesce(solar_mw, 0)
        + coalesce(wind_mw, 0) + coalesce(pumped_storage_mw, 0) + coalesce(battery_mw, 0)
        + coalesce(interconnection_mw, 0) + coalesce(other_mw, 0) as generation_mw
    from {{ ref('fct_area_supply_demand') }}
    where total_mw is not null
)
where abs(total_mw - generation_mw) > case when source_unit like '万%' then 30 else 3 end
