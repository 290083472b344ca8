-- A published interconnector name is in service (seed valid_from/valid_to) on the delivery date
-- OCCTO publishes capacity for; a name outside its window means the seed needs a new row/date.
{{ config(severity='warn', store_failures=true) }}
select
    capacity.line_name,
    capacity.delivery_date,
    lines.valid_from,
    lines.valid_to
from {{ ref('fct_interconnector_capacity') }} as capacity
inner join {{ ref('interconnectors') }} as lines on capacity.line_name = lines.line_name
where
    capacity.delivery_date < lines.valid_from
    or (lines.valid_to is not null and capacity.delivery_date >= lines.valid_to)
