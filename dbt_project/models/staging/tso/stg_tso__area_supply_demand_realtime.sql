-- Tohoku's daily realtime supply-demand files, one row per area x 30-minute interval (start, JST).
{{ stg_tso_common(source('tso', 'area_supply_demand_realtime')) }}
