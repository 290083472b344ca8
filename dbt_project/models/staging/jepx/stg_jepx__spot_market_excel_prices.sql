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
        cast(area_price_hokkaido_jpy_kwh as double) as area_price_hokkaido_jpy_kwh,
        cast(area_price_tohoku_jpy_kwh as double) as area_price_tohoku_jpy_kwh,
        cast(area_price_tokyo_jpy_kwh as double) as area_price_tokyo_jpy_kwh,
        cast(area_price_chubu_jpy_kwh as double) as area_price_chubu_jpy_kwh,
        cast(area_price_hokuriku_jpy_kwh as double) as area_price_hokuriku_jpy_kwh,
        cast(area_price_kansai_jpy_kwh as double) as area_price_kansai_jpy_kwh,
        cast(area_price_chugoku_jpy_kwh as double) as area_price_chugoku_jpy_kwh,
        cast(area_price_shikoku_jpy_kwh as double) as area_price_shikoku_jpy_kwh,
        cast(area_price_kyushu_jpy_kwh as double) as area_price_kyushu_jpy_kwh,
        cast(spot_intraday_avg_price_jpy_kwh as double) as spot_intraday_avg_price_jpy_kwh,
        cast(alpha_upper_x_avg_price_jpy_kwh as double) as alpha_upper_x_avg_price_jpy_kwh,
        cast(alpha_lower_x_avg_price_jpy_kwh as double) as alpha_lower_x_avg_price_jpy_kwh,
        cast(alpha_preliminary_x_avg_price_jpy_kwh as double) as alpha_preliminary_x_avg_price_jpy_kwh,
        cast(alpha_final_x_avg_price_jpy_kwh as double) as alpha_final_x_avg_price_jpy_kwh,
        cast(avoidable_cost_national_jpy_kwh as double) as avoidable_cost_national_jpy_kwh,
        cast(avoidable_cost_hokkaido_jpy_kwh as double) as avoidable_cost_hokkaido_jpy_kwh,
        cast(avoidable_cost_tohoku_jpy_kwh as double) as avoidable_cost_tohoku_jpy_kwh,
        cast(avoidable_cost_tokyo_jpy_kwh as double) as avoidable_cost_tokyo_jpy_kwh,
        cast(avoidable_cost_chubu_jpy_kwh as double) as avoidable_cost_chubu_jpy_kwh,
        cast(avoidable_cost_hokuriku_jpy_kwh as double) as avoidable_cost_hokuriku_jpy_kwh,
        cast(avoidable_cost_kansai_jpy_kwh as double) as avoidable_cost_kansai_jpy_kwh,
        cast(avoidable_cost_chugoku_jpy_kwh as double) as avoidable_cost_chugoku_jpy_kwh,
        cast(avoidable_cost_shikoku_jpy_kwh as double) as avoidable_cost_shikoku_jpy_kwh,
        cast(avoidable_cost_kyushu_jpy_kwh as double) as avoidable_cost_kyushu_jpy_kwh,
        cast(fip_reference_price_national_jpy_kwh as double) as fip_reference_price_national_jpy_kwh,
        cast(fip_reference_price_hokkaido_jpy_kwh as double) as fip_reference_price_hokkaido_jpy_kwh,
        cast(fip_reference_price_tohoku_jpy_kwh as double) as fip_reference_price_tohoku_jpy_kwh,
        cast(fip_reference_price_tokyo_jpy_kwh as double) as fip_reference_price_tokyo_jpy_kwh,
        cast(fip_reference_price_chubu_jpy_kwh as double) as fip_reference_price_chubu_jpy_kwh,
        cast(fip_reference_price_hokuriku_jpy_kwh as double) as fip_reference_price_hokuriku_jpy_kwh,
        cast(fip_reference_price_kansai_jpy_kwh as double) as fip_reference_price_kansai_jpy_kwh,
        cast(fip_reference_price_chugoku_jpy_kwh as double) as fip_reference_price_chugoku_jpy_kwh,
        cast(fip_reference_price_shikoku_jpy_kwh as double) as fip_reference_price_shikoku_jpy_kwh,
        cast(fip_reference_price_kyushu_jpy_kwh as double) as fip_reference_price_kyushu_jpy_kwh,
        _source_file as source_file,
        cast(_fetched_at as timestamptz) as fetched_at
    from source
)

select * from renamed
