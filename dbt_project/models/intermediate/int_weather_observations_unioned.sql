-- Every fetched version of every hourly observation: obsdl versions, plus etrn versions (fallback)
-- for station-hours obsdl has no version of. Grain: station_id x observed_start_jst x version;
-- is_latest_version / is_gate_version pick one row per station-hour (see the *_versions models).
-- The SQL is the macro weather_observations_unioned, which fct_weather_hourly renders for its
-- incremental window only.
{{ weather_observations_unioned() }}
