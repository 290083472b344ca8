-- Area weather per hour in two vintages: 'latest' (newest version of every station-hour;
-- fct_area_weather_hourly) and 'gate' (the version known at the leakage gate; ML features).
-- Grain: vintage x area_code x observed_start_jst. Each value is the area_weight-weighted mean of
-- the area's seed stations whose value JMA rates normal or quasi-normal (quality 8 or 5);
-- stations outside seeds/weather_stations.csv are not weighted into any area. Means are rounded
-- to 1e-6 so that the result does not depend on the order DuckDB adds stations in.
-- The SQL is the macro area_weather_hourly, which fct_area_weather_hourly renders for its
-- incremental window only.
{{ area_weather_hourly() }}
