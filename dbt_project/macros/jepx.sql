{#- The nine JEPX price areas in JEPX's column order (Okinawa has no JEPX price). -#}
{% macro jepx_area_slugs() -%}
    {{ return(['hokkaido', 'tohoku', 'tokyo', 'chubu', 'hokuriku', 'kansai', 'chugoku', 'shikoku', 'kyushu']) }}
{%- endmacro %}

{#- The columns both JEPX spot file families share, renamed and typed for staging. -#}
{% macro jepx_spot_base_columns() -%}
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
    _source_file as source_file,
    cast(_fetched_at as timestamptz) as fetched_at
{%- endmacro %}
