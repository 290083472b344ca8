-- The ten Japanese power areas (one row per area, code 01..10 in OCCTO order).
select
    cast(area_code as varchar) as area_code,
    cast(area_slug as varchar) as area_slug,
    cast(area_name_en as varchar) as area_name_en,
    cast(area_name_ja as varchar) as area_name_ja,
    cast(tso_name_en as varchar) as tso_name_en,
    cast(tso_name_ja as varchar) as tso_name_ja,
    cast(frequency_hz as integer) as frequency_hz,
    cast(is_jepx_area as boolean) as is_jepx_area,
    cast(jepx_area_order as integer) as jepx_area_order
from {{ ref('areas') }}
