{#- The lineage columns every raw row carries (dlt), renamed for staging. -#}
{% macro lineage_columns() -%}
    cast(_source_file as varchar) as source_file,
    cast(_fetched_at as timestamptz) as fetched_at
{%- endmacro %}
