-- Family B spot results, one row per delivery date x period (JST), renamed and typed.
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
        cast(area_price_hokkaido_jpy_kwh as double) as area_price_hokkaido_jpy_kwh,
        cast(area_price_tohoku_jpy_kwh as double) as area_price_tohoku_jpy_kwh,
        cast(area_price_tokyo_jpy_kwh as double) as area_price_tokyo_jpy_kwh,
        cast(area_price_chubu_jpy_kwh as double) as area_price_chubu_jpy_kwh,
        cast(area_price_hokuriku_jpy_kwh as double) as area_price_hokuriku_jpy_kwh,
        cast(area_price_kansai_jpy_kwh as double) as area_price_kansai_jpy_kwh,
        cast(area_price_chugoku_jpy_kwh as double) as area_price_chugoku_jpy_kwh,
        cast(area_price_shikoku_jpy_kwh as double) as area_price_shikoku_jpy_kwh,
        cast(area_price_kyushu_jpy_kwh as double) as area_price_kyushu_jpy_kwh,
        cast(sell_block_bid_volume_kwh as bigint) as sell_block_bid_volume_kwh,
        cast(sell_block_contract_volume_kwh as bigint) as sell_block_contract_volume_kwh,
        cast(buy_block_bid_volume_kwh as bigint) as buy_block_bid_volume_kwh,
        cast(buy_block_contract_volume_kwh as bigint) as buy_block_contract_volume_kwh,
        _source_file as source_file,
        cast(_fetched_at as timestamptz) as fetched_at
    from source
)

select * from renamed
