-- The 48 half-hour delivery periods of a JST day (one row per period 1..48).
select
    cast(delivery_period as integer) as delivery_period,
    cast(start_time_jst as time) as start_time_jst,
    cast(end_time_jst as varchar) as end_time_jst,
    cast(start_minute_of_day as integer) as start_minute_of_day,
    cast(hour_of_day as integer) as hour_of_day,
    cast(period_label as varchar) as period_label,
    cast(hour_of_day >= 8 and hour_of_day < 22 as boolean) as is_peak_period
from {{ ref('delivery_periods') }}
