{#-
  Each day (optionally per group, e.g. per area) has exactly `expected` distinct periods
  numbered 1..expected. Returns the offending (group, day) rows. With exclude_last_day=true the
  latest day (per group) is not checked: a still-open day's file fills up during the day.
  Usage (model level):
    data_tests:
      - periods_per_day:
          arguments:
            date_column: delivery_date
            period_column: delivery_period
            group_by: [area_code]
-#}
{% test periods_per_day(model, date_column, period_column, group_by=[], expected=48, where=none, exclude_last_day=false) %}
with checked as (
    select *
    from {{ model }}
    {% if where %}where {{ where }}{% endif %}
    {% if exclude_last_day %}
    qualify {{ date_column }} < max({{ date_column }}) over (
        {% if group_by %}partition by {{ group_by | join(', ') }}{% endif %}
    )
    {% endif %}
)

select
    {% for col in group_by %}{{ col }}, {% endfor %}
    {{ date_column }},
    count(distinct {{ period_column }}) as n_periods,
    min({{ period_column }}) as first_period,
    max({{ period_column }}) as last_period
from checked
group by {% for col in group_by %}{{ col }}, {% endfor %}{{ date_column }}
having
    count(distinct {{ period_column }}) != {{ expected }}
    or min({{ period_column }}) != 1
    or max({{ period_column }}) != {{ expected }}
{% endtest %}
