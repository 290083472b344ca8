{#-
  Japanese delivery periods: slot k (1..48) of a JST date starts at 00:00 + 30*(k-1) minutes.
  Japan has no DST, so UTC is always JST - 9 hours.
-#}
{% macro period_start_jst(date_column, period_column) -%}
    (cast({{ date_column }} as timestamp) + to_minutes(30 * (cast({{ period_column }} as integer) - 1)))
{%- endmacro %}

{#-
  A naive JST wall-clock timestamp -> the same instant as TIMESTAMPTZ (UTC). timezone('UTC', ts)
  reads a naive timestamp as UTC, so the result never depends on the session's TimeZone.
-#}
{% macro jst_to_utc(timestamp_column) -%}
    timezone('UTC', {{ timestamp_column }} - interval 9 hour)
{%- endmacro %}

{#- A TIMESTAMPTZ -> naive JST wall clock (for comparing fetch times with JST gates). -#}
{% macro utc_to_jst(timestamptz_column) -%}
    (timezone('UTC', {{ timestamptz_column }}) + interval 9 hour)
{%- endmacro %}

{#- The delivery period (1..48) that contains a JST timestamp. -#}
{% macro period_of(timestamp_column) -%}
    (cast(extract(hour from {{ timestamp_column }}) * 2 + floor(extract(minute from {{ timestamp_column }}) / 30) as integer) + 1)
{%- endmacro %}

{#- Japanese fiscal year (April to March) of a date. -#}
{% macro fiscal_year(date_column) -%}
    (extract(year from {{ date_column }}) - case when extract(month from {{ date_column }}) < 4 then 1 else 0 end)
{%- endmacro %}

{#-
  The leakage gate of an observation made on JST date `date_column`: 10:00 JST of the next day,
  i.e. the day-ahead auction for the first delivery day (date + 2) that may use it. Naive JST.
-#}
{% macro first_gate_jst(date_column) -%}
    (cast({{ date_column }} as timestamp) + interval 34 hour)
{%- endmacro %}
