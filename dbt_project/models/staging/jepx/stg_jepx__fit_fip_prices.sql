-- JEPX avoidable cost and FIP reference price (fit_fip files): one row per delivery date x period.
with source as (
    select * from {{ source('jepx', 'fit_fip') }}
),

renamed as (
    select
        cast(delivery_date as date) as delivery_date,
        cast(time_code as integer) as delivery_period,
        {{ period_start_jst('delivery_date', 'time_code') }} as delivery_start_jst,
        {{ jst_to_utc(period_start_jst('delivery_date', 'time_code')) }} as delivery_start_utc,
        cast(avoidable_cost_national_jpy_kwh as double) as avoidable_cost_national_jpy_kwh,
        {% for area in jepx_area_slugs() -%}
            cast(avoidable_cost_{{ area }}_jpy_kwh as double) as avoidable_cost_{{ area }}_jpy_kwh,
        {% endfor -%}
        cast(fip_reference_price_national_jpy_kwh as double) as fip_reference_price_national_jpy_kwh,
        {% for area in jepx_area_slugs() -%}
            cast(fip_reference_price_{{ area }}_jpy_kwh as double) as fip_reference_price_{{ area }}_jpy_kwh,
        {% endfor -%}
        _source_file as source_file,
        cast(_fetched_at as timestamptz) as fetched_at
    from source
)

select * from renamed
