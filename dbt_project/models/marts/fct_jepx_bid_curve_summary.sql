-- JEPX bid curves summarised per delivery date x period x curve: the clearing price and volume
-- recomputed from the curve, the sell volume offered at the floor, the buy volume at the cap and
-- the slope of the sell curve around the clearing price (± 1 JPY/kWh). Incremental by delivery date.
--
-- Crossing: the first step (step_no > 1) whose cumulative sell >= cumulative buy. The clearing
-- point is the linear interpolation of excess demand (buy - sell) between that step and the one
-- before; the published price lies between the two steps' prices (clearing_price_low/high).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='delivery_date',
    on_schema_change='append_new_columns',
    post_hook="{{ incremental_commit() }}"
) }}
{%- set since = incremental_since('jepx', ['spot_bid_curves']) %}

with steps as (
    select * from {{ ref('stg_jepx__spot_bid_curves') }}
    where delivery_date >= {{ since }}
),

curves as (
    select
        delivery_date,
        delivery_period,
        curve_key,
        any_value(split_area_seq) as split_area_seq,
        any_value(is_system_curve) as is_system_curve,
        any_value(delivery_start_jst) as delivery_start_jst,
        any_value(delivery_start_utc) as delivery_start_utc,
        max(fetched_at) as fetched_at,
        count(*) as step_count,
        min(step_no) filter (where step_no > 1 and sell_cumulative_mw >= buy_cumulative_mw)
            as crossing_step_no,
        max(sell_cumulative_mw) filter (where bid_price_jpy_kwh <= 0.01) as sell_volume_at_floor_mw,
        -- the curve's last point (999.99) has buy 0: the volume bid at the cap is the
        -- cumulative buy of the last step priced below it
        arg_max(buy_cumulative_mw, step_no) filter (where bid_price_jpy_kwh < 999.99)
            as buy_volume_at_cap_mw,
        max(sell_cumulative_mw) as sell_volume_total_mw,
        max(buy_cumulative_mw) as buy_volume_total_mw
    from steps
    group by delivery_date, delivery_period, curve_key
),

bracket as (
    select
        curves.*,
        below.bid_price_jpy_kwh as price_below,
        above.bid_price_jpy_kwh as price_above,
        below.sell_cumulative_mw as sell_below,
        above.sell_cumulative_mw as sell_above,
        below.buy_cumulative_mw - below.sell_cumulative_mw as excess_below,
        above.buy_cumulative_mw - above.sell_cumulative_mw as excess_above,
        greatest(
            abs(above.sell_cumulative_mw - below.sell_cumulative_mw),
            abs(below.buy_cumulative_mw - above.buy_cumulative_mw)
        ) as volume_step_mw
    from curves
    left join steps as below
        on
            curves.delivery_date = below.delivery_date
            and curves.delivery_period = below.delivery_period
            and curves.curve_key = below.curve_key
            and curves.crossing_step_no - 1 = below.step_no
    left join steps as above
        on
            curves.delivery_date = above.delivery_date
            and curves.delivery_period = above.delivery_period
            and curves.curve_key = above.curve_key
            and curves.crossing_step_no = above.step_no
),

cleared as (
    select
        *,
        -- share of the way from the step below to the crossing step where excess demand is 0
        case
            when excess_below - excess_above > 0 then excess_below / (excess_below - excess_above)
            else 1.0
        end as crossing_share
    from bracket
),

clearing as (
    select
        *,
        price_below + crossing_share * (price_above - price_below) as clearing_price,
        sell_below + crossing_share * (sell_above - sell_below) as clearing_volume
    from cleared
),

slope as (
    -- cumulative sell at the last step priced <= clearing + 1 JPY/kWh and at the last step
    -- priced <= max(clearing - 1, 0): their difference over that price span
    select
        clearing.delivery_date,
        clearing.delivery_period,
        clearing.curve_key,
        any_value(clearing.clearing_price + 1.0 - greatest(clearing.clearing_price - 1.0, 0.0))
            as price_span,
        arg_max(steps.sell_cumulative_mw, steps.step_no) filter (
            where steps.bid_price_jpy_kwh <= clearing.clearing_price + 1.0
        ) as sell_high,
        arg_max(steps.sell_cumulative_mw, steps.step_no) filter (
            where steps.bid_price_jpy_kwh <= greatest(clearing.clearing_price - 1.0, 0.0)
        ) as sell_low
    from clearing
    inner join steps
        on
            clearing.delivery_date = steps.delivery_date
            and clearing.delivery_period = steps.delivery_period
            and clearing.curve_key = steps.curve_key
    where clearing.clearing_price is not null
    group by clearing.delivery_date, clearing.delivery_period, clearing.curve_key
)

select
    cast(
        strftime(clearing.delivery_date, '%Y%m%d') || '-'
        || lpad(cast(clearing.delivery_period as varchar), 2, '0') || '-' || clearing.curve_key
        as varchar
    ) as bid_curve_key,
    cast(clearing.delivery_date as date) as delivery_date,
    cast(clearing.delivery_period as integer) as delivery_period,
    cast(clearing.curve_key as varchar) as curve_key,
    cast(clearing.split_area_seq as integer) as split_area_seq,
    cast(clearing.is_system_curve as boolean) as is_system_curve,
    cast(clearing.delivery_start_jst as timestamp) as delivery_start_jst,
    cast(clearing.delivery_start_utc as timestamp) as delivery_start_utc,
    cast(clearing.step_count as integer) as step_count,
    cast(clearing.crossing_step_no as integer) as crossing_step_no,
    cast(round(clearing.clearing_price, 2) as double) as clearing_price_jpy_kwh,
    cast(clearing.price_below as double) as clearing_price_low_jpy_kwh,
    cast(clearing.price_above as double) as clearing_price_high_jpy_kwh,
    cast(round(clearing.clearing_volume, 1) as double) as clearing_volume_mw,
    cast(clearing.volume_step_mw as double) as clearing_volume_step_mw,
    cast(clearing.sell_volume_at_floor_mw as double) as sell_volume_at_floor_mw,
    cast(clearing.buy_volume_at_cap_mw as double) as buy_volume_at_cap_mw,
    cast(clearing.sell_volume_total_mw as double) as sell_volume_total_mw,
    cast(clearing.buy_volume_total_mw as double) as buy_volume_total_mw,
    cast(round((slope.sell_high - slope.sell_low) / slope.price_span, 1) as double)
        as sell_slope_mw_per_jpy_kwh,
    cast(clearing.fetched_at as timestamptz) as fetched_at
from clearing
left join slope
    on
        clearing.delivery_date = slope.delivery_date
        and clearing.delivery_period = slope.delivery_period
        and clearing.curve_key = slope.curve_key
