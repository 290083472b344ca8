{#- Write a mart to $PMD_DATA_DIR/exports/<model>.parquet after it is built. -#}
{% macro export_parquet(relation) -%}
    {%- if execute and relation.type != 'view' -%}
        copy (select * from {{ relation }}) to '{{ adapter.external_root() }}/{{ relation.identifier }}.parquet' (format parquet)
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
