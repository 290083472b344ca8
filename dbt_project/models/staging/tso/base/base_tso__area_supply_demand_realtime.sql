-- Every fetched version of Tohoku's realtime supply-demand rows (one row per area x 30-minute
-- interval x fetched file version once the raw table keeps revision history), typed like the
-- monthly files (macro tso_common_rows, shared with stg_tso__area_supply_demand).
{{ tso_common_rows(source('tso', 'area_supply_demand_realtime')) }}
