{#-
  Japanese delivery periods: slot k (1..48) of a JST date starts at 00:00 + 30*(k-1) minutes.
  Japan has no DST, so UTC is always JST - 9 hours.
-#}
{% macro period_start_jst(date_column, period_column) -%}
    (cast({{ date_column }} as timestamp) + to_minutes(30 * (cast({{ period_column }} as integer) - 1)))
{%- endmacro %}

{% macro jst_to_utc(timestamp_column) -%}
    ({{ timestamp_column }} - interval 9 hour)
{%- endmacro %}

{#- The delivery period (1..48) that contains a JST timestamp. -#}
{% macro period_of(timestamp_column) -%}
    (cast(extract(hour from {{ timestamp_column }}) * 2 + floor(extract(minute from {{ timestamp_column }}) / 30) as integer) + 1)
{%- endmacro %}

{#- Japanese fiscal year (April to March) of a date. -#}
{% macro fiscal_year(date_column) -%}
    (extract(year from {{ date_column }}) - case when extract(month from {{ date_column }}) < 4 then 1 else 0 end)
{%- endmacro %}
