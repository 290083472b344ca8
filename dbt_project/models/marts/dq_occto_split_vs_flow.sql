-- Cross-source data-quality fact: every delivery period where JEPX prices two areas joined by a
-- single interconnector differently, with the planned flow on that line (day-ahead publication,
-- else same-day). Expected: the flow runs cheap -> dear and leaves no free capacity that way.
-- Incremental by delivery date: a row of day D reads the prices and capacities of D only, so an
-- incremental run rebuilds the days either source's new files reach (feature_since: the least
-- of each source's first new day and its lookback; an interconnectors seed change needs
-- --full-refresh, as for every incremental model).
{{ config(post_hook="{{ incremental_commit() }}", **incremental_by_date('delivery_date')) }}
{%- set since = feature_since(['jepx', 'occto']) %}

with prices as (
    select
        delivery_date,
        delivery_period,
        area_code,
        area_price_jpy_kwh
    from {{ ref('fct_jepx_spot_area_prices') }}
    where area_price_jpy_kwh is not null and delivery_date >= {{ since }}
),

lines as (
    select *
    from {{ ref('interconnectors') }}
    where from_area_code is not null and to_area_code is not null and not is_breakdown
),

capacity as (
    select *
    from {{ ref('fct_interconnector_capacity') }}
    where horizon in ('day_ahead', 'same_day') and delivery_date >= {{ since }}
    qualify row_number() over (
        partition by line_name, delivery_date, delivery_period
        order by case horizon when 'day_ahead' then 0 else 1 end
    ) = 1
),

splits as (
    select
        lines.line_name,
        lines.from_area_code,
        lines.to_area_code,
        p_from.delivery_date,
        p_from.delivery_period,
        p_from.area_price_jpy_kwh as from_area_price_jpy_kwh,
        p_to.area_price_jpy_kwh as to_area_price_jpy_kwh,
        case when p_to.area_price_jpy_kwh > p_from.area_price_jpy_kwh then 'forward' else 'reverse' end
            as expected_direction
    from lines
    inner join prices as p_from on lines.from_area_code = p_from.area_code
    inner join prices as p_to
        on
            lines.to_area_code = p_to.area_code
            and p_from.delivery_date = p_to.delivery_date
            and p_from.delivery_period = p_to.delivery_period
    where
        p_from.area_price_jpy_kwh <> p_to.area_price_jpy_kwh
        and lines.valid_from <= p_from.delivery_date
        and (lines.valid_to is null or p_from.delivery_date < lines.valid_to)
)

select
    cast(
        strftime(splits.delivery_date, '%Y%m%d') || '-'
        || lpad(cast(splits.delivery_period as varchar), 2, '0') || '-' || splits.line_name as varchar
    ) as split_check_key,
    cast(splits.line_name as varchar) as line_name,
    cast(splits.from_area_code as varchar) as from_area_code,
    cast(splits.to_area_code as varchar) as to_area_code,
    cast(splits.delivery_date as date) as delivery_date,
    cast(splits.delivery_period as integer) as delivery_period,
    cast(splits.from_area_price_jpy_kwh as double) as from_area_price_jpy_kwh,
    cast(splits.to_area_price_jpy_kwh as double) as to_area_price_jpy_kwh,
    cast(splits.expected_direction as varchar) as expected_direction,
    cast(capacity.horizon as varchar) as capacity_horizon,
    cast(capacity.planned_flow_mw as double) as planned_flow_mw,
    cast(
        case splits.expected_direction
            when 'forward' then capacity.fwd_operating_capacity_mw else capacity.rev_operating_capacity_mw
        end as double
    ) as limit_operating_capacity_mw,
    cast(
        case splits.expected_direction
            when 'forward' then capacity.fwd_free_capacity_mw else capacity.rev_free_capacity_mw
        end as double
    ) as limit_free_capacity_mw,
    cast(capacity.is_split as boolean) as occto_split_flag,
    cast(
        case
            when capacity.planned_flow_mw is null then null
            when splits.expected_direction = 'forward'
                then capacity.planned_flow_mw > 0 and capacity.fwd_free_capacity_mw <= 1
            else capacity.planned_flow_mw < 0 and capacity.rev_free_capacity_mw <= 1
        end as boolean
    ) as is_flow_at_limit_cheap_to_dear
from splits
left join capacity
    on
        splits.line_name = capacity.line_name
        and splits.delivery_date = capacity.delivery_date
        and splits.delivery_period = capacity.delivery_period
