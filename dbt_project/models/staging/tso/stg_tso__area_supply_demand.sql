-- TSO common-format supply-demand, one row per area x 30-minute interval (start, JST, MW).
{{ stg_tso_common(source('tso', 'area_supply_demand')) }}
