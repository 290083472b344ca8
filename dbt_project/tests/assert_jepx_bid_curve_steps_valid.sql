-- fct_jepx_bid_curve_steps, checked on the delivery dates of the latest loaded batch (rows
-- fetched within 2 days of the newest fetch; a full build of a backfill checks them all): one
-- row per delivery date x period x curve x step, periods 1..48, prices 0..999.99, volumes >= 0.
-- (~45M rows for three years: a daily run must not scan and group them all.)
with recent as (
    -- a delivery date's rows all come from one file version: filtering on fetched_at keeps
    -- whole dates, and rows are stored in load order, so this prunes by row-group statistics
    select * from {{ ref('fct_jepx_bid_curve_steps') }}
    where
        fetched_at
        >= (select max(m.fetched_at) from {{ ref('fct_jepx_bid_curve_steps') }} as m)
        - interval 2 day
),

duplicated as (
    select
        delivery_date,
        delivery_period,
        curve_key,
        step_no,
        'duplicate key (' || count(*) || ' rows)' as problem
    from recent
    group by delivery_date, delivery_period, curve_key, step_no
    having count(*) > 1
),

out_of_range as (
    select
        delivery_date,
        delivery_period,
        curve_key,
        step_no,
        case
            when delivery_period not between 1 and 48 then 'period outside 1..48'
            when bid_price_jpy_kwh not between 0 and 999.99 then 'price outside 0..999.99'
            else 'negative cumulative volume'
        end as problem
    from recent
    where
        delivery_period not between 1 and 48
        or bid_price_jpy_kwh not between 0 and 999.99
        or sell_cumulative_mw < 0
        or buy_cumulative_mw < 0
)

select * from duplicated
union all
select * from out_of_range
