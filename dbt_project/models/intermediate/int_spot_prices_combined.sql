-- One row per delivery date x period: family B prices (preferred), family A where B is missing,
-- with family A's avoidable-cost and FIP columns attached where published.
with summary as (
    select * from {{ ref('stg_jepx__spot_prices') }}
),

market_excel as (
    select * from {{ ref('stg_jepx__spot_market_excel_prices') }}
),

keys as (
    select
        delivery_date,
        delivery_period
    from summary
    union
    select
        delivery_date,
        delivery_period
    from market_excel
),

combined as (
    select
        keys.delivery_date,
        keys.delivery_period,
        coalesce(summary.delivery_start_jst, market_excel.delivery_start_jst) as delivery_start_jst,
        coalesce(summary.delivery_start_utc, market_excel.delivery_start_utc) as delivery_start_utc,
        coalesce(summary.sell_bid_volume_kwh, market_excel.sell_bid_volume_kwh) as sell_bid_volume_kwh,
        coalesce(summary.buy_bid_volume_kwh, market_excel.buy_bid_volume_kwh) as buy_bid_volume_kwh,
        coalesce(summary.contract_volume_kwh, market_excel.contract_volume_kwh) as contract_volume_kwh,
        coalesce(summary.system_price_jpy_kwh, market_excel.system_price_jpy_kwh) as system_price_jpy_kwh,
        {% for area in jepx_area_slugs() -%}
            case
                when summary.delivery_date is not null then summary.area_price_{{ area }}_jpy_kwh
                else market_excel.area_price_{{ area }}_jpy_kwh
            end as area_price_{{ area }}_jpy_kwh,
            market_excel.avoidable_cost_{{ area }}_jpy_kwh,
            market_excel.fip_reference_price_{{ area }}_jpy_kwh,
        {% endfor -%}
        market_excel.spot_intraday_avg_price_jpy_kwh,
        case when summary.delivery_date is not null then 'spot_summary' else 'spot_market_excel' end
            as price_source_dataset,
        greatest(summary.fetched_at, market_excel.fetched_at) as fetched_at
    from keys
    left join summary
        on
            keys.delivery_date = summary.delivery_date
            and keys.delivery_period = summary.delivery_period
    left join market_excel
        on
            keys.delivery_date = market_excel.delivery_date
            and keys.delivery_period = market_excel.delivery_period
)

select * from combined
