-- Family B spot results, one row per delivery date x period (JST), renamed and typed.
-- Dates JST, periods 1..48 by start, volumes kWh, prices JPY/kWh (NULL = area market suspended).
with source as (
    select * from {{ source('jepx', 'spot_summary') }}
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
        {{ lineage_columns() }}
    from source
)

select * from renamed
