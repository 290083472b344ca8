-- Family A (legacy market/excel) spot results: the same prices plus alpha, avoidable cost and FIP.
with source as (
    select * from {{ source('jepx', 'spot_market_excel') }}
),

renamed as (
    select
        cast(delivery_date as date) as delivery_date,
        cast(time_code as integer) as delivery_period,
        {{ period_start_jst('delivery_date', 'time_code') }} as delivery_start_jst,
        {{ jst_to_utc(period_start_jst('delivery_date', 'time_code')) }} as delivery_start_utc,
        cast(sell_bid_volume_kwh as bigint) as sell_bid_volume_kwh,
        cast(buy_bid_volume_kwh as bigint) as buy_bid_volume_kwh,
        cast(contract_volume_kwh as bigint) as contract_volume_kwh,
        cast(system_price_jpy_kwh as double) as system_price_jpy_kwh,
        {% for area in jepx_area_slugs() -%}
            cast(area_price_{{ area }}_jpy_kwh as double) as area_price_{{ area }}_jpy_kwh,
        {% endfor -%}
        cast(sell_block_bid_volume_kwh as bigint) as sell_block_bid_volume_kwh,
        cast(sell_block_contract_volume_kwh as bigint) as sell_block_contract_volume_kwh,
        cast(buy_block_bid_volume_kwh as bigint) as buy_block_bid_volume_kwh,
        cast(buy_block_contract_volume_kwh as bigint) as buy_block_contract_volume_kwh,
        cast(spot_intraday_avg_price_jpy_kwh as double) as spot_intraday_avg_price_jpy_kwh,
        cast(alpha_upper_x_avg_price_jpy_kwh as double) as alpha_upper_x_avg_price_jpy_kwh,
        cast(alpha_lower_x_avg_price_jpy_kwh as double) as alpha_lower_x_avg_price_jpy_kwh,
        cast(alpha_preliminary_x_avg_price_jpy_kwh as double) as alpha_preliminary_x_avg_price_jpy_kwh,
        cast(alpha_final_x_avg_price_jpy_kwh as double) as alpha_final_x_avg_price_jpy_kwh,
        cast(avoidable_cost_national_jpy_kwh as double) as avoidable_cost_national_jpy_kwh,
        {% for area in jepx_area_slugs() -%}
            cast(avoidable_cost_{{ area }}_jpy_kwh as double) as avoidable_cost_{{ area }}_jpy_kwh,
        {% endfor -%}
        cast(fip_reference_price_national_jpy_kwh as double) as fip_reference_price_national_jpy_kwh,
        {% for area in jepx_area_slugs() -%}
            cast(fip_reference_price_{{ area }}_jpy_kwh as double) as fip_reference_price_{{ area }}_jpy_kwh,
        {% endfor -%}
        {{ lineage_columns() }}
    from source
)

select * from renamed
