-- Every complete day of the 30-minute common format has 48 intervals per area. An area's
-- latest day is excluded: the running day's file fills up during the day.
with thirty_minute as (
    select
        area_code,
        delivery_date,
        interval_start_jst
    from {{ ref('fct_area_supply_demand') }}
    where resolution_minutes = 30
),

last_day as (
    select
        area_code,
        max(delivery_date) as last_date
    from thirty_minute
    group by area_code
)

select
    thirty_minute.area_code,
    thirty_minute.delivery_date,
    count(*) as n_intervals
from thirty_minute
inner join last_day on thirty_minute.area_code = last_day.area_code
where thirty_minute.delivery_date < last_day.last_date
group by thirty_minute.area_code, thirty_minute.delivery_date
having count(*) != 48
