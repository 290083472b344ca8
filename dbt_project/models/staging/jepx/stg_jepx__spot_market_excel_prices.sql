-- Family A (legacy market/excel) spot results: the same prices plus alpha, avoidable cost and FIP.
with source as (
    select * from {{ source('jepx', 'spot_market_excel') }}
),

renamed as (
    select
        {{ jepx_spot_base_columns() }},
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
            cast(fip_reference_price_{{ area }}_jpy_kwh as double) as fip_reference_price_{{ area }}_jpy_kwh
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from source
)

select * from renamed
