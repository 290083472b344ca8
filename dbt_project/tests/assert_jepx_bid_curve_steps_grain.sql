-- Grain of fct_jepx_bid_curve_steps: one row per delivery date x period x curve x step.
-- (Grouping on the typed columns instead of a concatenated key: ~45M rows for three years.)
select
    delivery_date,
    delivery_period,
    curve_key,
    step_no,
    count(*) as n_rows
from {{ ref('fct_jepx_bid_curve_steps') }}
group by delivery_date, delivery_period, curve_key, step_no
having count(*) > 1
