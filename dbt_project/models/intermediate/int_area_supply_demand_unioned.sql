-- Every area's supply-demand history in one table. Grain: area_code x interval_start_jst x
-- fetched version (only Tohoku's realtime rows have several versions; see
-- int_tso__area_supply_demand_realtime_versions). is_latest_version / is_gate_version pick one row
-- per area-interval. Precedence where sources overlap: the monthly common-format file, then
-- Tohoku's realtime file (recent days the monthly file does not have yet), then the legacy
-- hourly files (only before the area's first common-format interval, so 60- and 30-minute rows
-- never overlap). The SQL is the macro area_supply_demand_unioned, which fct_area_supply_demand
-- renders for its incremental window only.
{{ area_supply_demand_unioned() }}
