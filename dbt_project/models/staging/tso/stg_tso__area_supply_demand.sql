-- TSO common-format supply-demand (monthly eria_jukyu files), one row per area x 30-minute
-- interval (start, JST, MW), each area's seed conventions applied (macro tso_common_rows, shared
-- with base_tso__area_supply_demand_realtime).
{{ tso_common_rows(source('tso', 'area_supply_demand')) }}
