-- As-of history of Tohoku's realtime supply-demand rows: every fetched version of a row.
-- Grain: one row per area_code x interval_start_jst x fetched version (see revision_versions).
{{ revision_versions(
    ref('base_tso__area_supply_demand_realtime'), 'area_code', 'interval_start_jst',
    'tso', 'area_supply_demand_realtime', 'area_code'
) }}
