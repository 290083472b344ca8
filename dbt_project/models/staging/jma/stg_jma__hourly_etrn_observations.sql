-- JMA hourly observations from etrn pages (fallback): one row per station x hour (start, JST),
-- the most recently fetched version of each row (the raw table may keep every fetched version).
select *
from {{ ref('base_jma__hourly_etrn') }}
qualify row_number() over (partition by station_id, observed_start_jst order by fetched_at desc, source_file desc) = 1
