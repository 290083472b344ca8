-- JMA hourly observations from obsdl CSVs: one row per station x hour (start, JST and UTC), the
-- most recently fetched version of each row (the raw table may keep every fetched version).
select *
from {{ ref('base_jma__hourly_obsdl') }}
qualify row_number() over (partition by station_id, observed_start_jst order by fetched_at desc, source_file desc) = 1
