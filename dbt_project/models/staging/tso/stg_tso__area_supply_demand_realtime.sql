-- Tohoku's daily realtime supply-demand files, one row per area x 30-minute interval (start, JST):
-- the most recently fetched version of each row (the raw table may keep every fetched version).
select *
from {{ ref('base_tso__area_supply_demand_realtime') }}
qualify row_number() over (partition by area_code, interval_start_jst order by fetched_at desc, source_file desc) = 1
