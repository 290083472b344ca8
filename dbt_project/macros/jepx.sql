{#- The nine JEPX price areas in JEPX's column order (Okinawa has no JEPX price). -#}
{% macro jepx_area_slugs() -%}
    {{ return(['hokkaido', 'tohoku', 'tokyo', 'chubu', 'hokuriku', 'kansai', 'chugoku', 'shikoku', 'kyushu']) }}
{%- endmacro %}
