-- OCCTO unit generation: 日量 (daily_total_kwh) should equal the sum of the 48 slots of the same
-- row (publisher consistency, warn; checked on every file version).
{{ config(severity='warn', store_failures=true) }}

select
    source_file,
    plant_code,
    unit_name,
    delivery_date,
    any_value(daily_total_kwh) as daily_total_kwh,
    sum(generation_kwh) as slot_sum_kwh
from {{ ref('stg_unitgen__unit_generation') }}
group by source_file, plant_code, unit_name, delivery_date
having abs(coalesce(any_value(daily_total_kwh), 0) - sum(generation_kwh)) > 1
