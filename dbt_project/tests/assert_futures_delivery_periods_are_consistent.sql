-- Delivery periods that cannot be right: end before start; a TOCOM week that is not Saturday to
-- Friday; a fiscal year that is not 1 April to 31 March; a month that is not a calendar month.
select
    settlement_key,
    exchange,
    tenor_type,
    delivery_start,
    delivery_end
from {{ ref('fct_futures_settlements') }}
where
    delivery_end < delivery_start
    or (
        tenor_type = 'week' and exchange = 'TOCOM'
        and (isodow(delivery_start) <> 6 or delivery_end <> delivery_start + 6)
    )
    or (
        tenor_type = 'fiscal_year'
        and (
            month(delivery_start) <> 4 or day(delivery_start) <> 1
            or delivery_end <> cast(delivery_start + interval 1 year as date) - 1
        )
    )
    or (
        tenor_type = 'month'
        and (day(delivery_start) <> 1 or delivery_end <> last_day(delivery_start))
    )
