-- OCCTO publishes block demand as the sum of its member areas' demand (verified on 105,439
-- block-periods, occto.md §2.4). Returns every block-period where that does not hold (> 1 MW).
{{ config(severity='warn', store_failures=true) }}
select
    delivery_date,
    delivery_period,
    horizon,
    block_no,
    max(block_demand_mw) as block_demand_mw,
    sum(area_demand_mw) as member_area_demand_mw
from {{ ref('fct_reserve_margin') }}
where block_no is not null and not is_blackout
group by delivery_date, delivery_period, horizon, block_no
having
    abs(max(block_demand_mw) - sum(area_demand_mw)) > 1
    or max(block_demand_mw) <> min(block_demand_mw)
