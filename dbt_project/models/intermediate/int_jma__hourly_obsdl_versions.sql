-- As-of history of the JMA obsdl hourly observations: every fetched version of a row.
-- Grain: one row per station_id x observed_start_jst x fetched version (see revision_versions).
{{ revision_versions(ref('base_jma__hourly_obsdl'), 'station_id', 'observed_start_jst', 'jma', 'hourly_obsdl') }}
