-- The interconnectors seed as a dimension: one row per published facility name.
select
    cast(line_name as varchar) as line_name,
    cast(line_id as varchar) as line_id,
    cast(official_section_ja as varchar) as official_section_ja,
    cast(section_label_ja as varchar) as section_label_ja,
    cast(line_kind as varchar) as line_kind,
    cast(from_area_code as varchar) as from_area_code,
    cast(to_area_code as varchar) as to_area_code,
    cast(from_side_ja as varchar) as from_side_ja,
    cast(to_side_ja as varchar) as to_side_ja,
    cast(valid_from as date) as valid_from,
    cast(valid_to as date) as valid_to,
    cast(is_breakdown as boolean) as is_breakdown,
    cast(breakdown_of as varchar) as breakdown_of
from {{ ref('interconnectors') }}
