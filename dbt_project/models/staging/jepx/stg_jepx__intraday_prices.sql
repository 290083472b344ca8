-- JEPX intraday market summary, one row per delivery date x period (JST), renamed and typed.
with source as (
    select * from {{ source('jepx', 'intraday') }}
),

renamed as (
    select
        cast(delivery_date as date) as delivery_date,
        cast(time_code as integer) as delivery_period,
        {{ period_start_jst('delivery_date', 'time_code') }} as delivery_start_jst,
        {{ jst_to_utc(period_start_jst('delivery_date', 'time_code')) }} as delivery_start_utc,
        cast(open_price_jpy_kwh as double) as open_price_jpy_kwh,
        cast(high_price_jpy_kwh as double) as high_price_jpy_kwh,
        cast(low_price_jpy_kwh as double) as low_price_jpy_kwh,
        cast(close_price_jpy_kwh as double) as close_price_jpy_kwh,
        cast(average_price_jpy_kwh as double) as average_price_jpy_kwh,
        cast(contract_volume_kwh as bigint) as contract_volume_kwh,
        cast(trade_count as integer) as trade_count,
        {{ lineage_columns() }}
    from source
)

select * from renamed
