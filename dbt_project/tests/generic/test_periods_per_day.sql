{#-
  Each day (optionally per group, e.g. per area) has exactly `expected` distinct periods
  numbered 1..expected. Returns the offending (group, day) rows.
  Usage (model level):
    data_tests:
      - periods_per_day:
          date_column: delivery_date
          period_column: delivery_period
          group_by: [area_code]
-#}
{% test periods_per_day(model, date_column, period_column, group_by=[], expected=48, where=none) %}
select
    {% for col in group_by %}{{ col }}, {% endfor %}
    {{ date_column }},
    count(distinct {{ period_column }}) as n_periods,
    min({{ period_column }}) as first_period,
    max({{ period_column }}) as last_period
from {{ model }}
{% if where %}where {{ where }}{% endif %}
group by {% for col in group_by %}{{ col }}, {% endfor %}{{ date_column }}
having
    count(distinct {{ period_column }}) != {{ expected }}
    or min({{ period_column }}) != 1
    or max({{ period_column }}) != {{ expected }}
{% endtest %}
