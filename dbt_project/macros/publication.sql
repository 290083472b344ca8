{#-
  The publication calendar in SQL (seeds/publication_rules/<source>_publication_rules.csv; all of
  them in one relation: int_publication_rules). Python's extract.core.refdata.PublicationRule.available_at is
  the same rule; tests/core/test_publication_sql.py checks that both agree on every rule.
-#}

{#-
  The earliest JST wall-clock time (naive TIMESTAMP) the data of JST date `day_expr` is public
  under the calendar row `r` (a relation alias with the seed's columns):
    day_offset  day + lag_days at available_time_jst
    month_day   day `month_day` of the next month at available_time_jst
    period_end  the last day of the month / (fiscal) quarter / fiscal year + lag_days
  plus margin_hours. Fiscal quarters (Apr-Jun, ...) coincide with calendar quarters.
-#}
{% macro publication_available_at_jst(r, day_expr) -%}
(
    cast(
        case {{ r }}.rule
            when 'day_offset' then cast({{ day_expr }} as date) + cast(coalesce({{ r }}.lag_days, 0) as integer)
            when 'month_day'
                then cast(
                    date_trunc('month', cast({{ day_expr }} as date)) + interval 1 month as date
                ) + cast(coalesce({{ r }}.month_day, 1) - 1 as integer)
            when 'period_end'
                then (
                    case coalesce({{ r }}.period, 'month')
                        when 'month' then last_day(cast({{ day_expr }} as date))
                        when 'quarter'
                            then cast(
                                date_trunc('quarter', cast({{ day_expr }} as date)) + interval 3 month as date
                            ) - 1
                        when 'fiscal_year'
                            then make_date(
                                cast({{ fiscal_year('cast(' ~ day_expr ~ ' as date)') }} as integer) + 1, 3, 31
                            )
                    end
                ) + cast(coalesce({{ r }}.lag_days, 0) as integer)
        end as timestamp
    )
    + to_minutes(
        cast(split_part({{ r }}.available_time_jst, ':', 1) as integer) * 60
        + cast(split_part({{ r }}.available_time_jst, ':', 2) as integer)
    )
    + to_microseconds(cast(round(coalesce({{ r }}.margin_hours, 0) * 3600000000) as bigint))
)
{%- endmacro %}

{#- The leakage gate of delivery day D: 10:00 JST on D-1 (naive JST TIMESTAMP). -#}
{% macro feature_gate_jst(delivery_date_expr) -%}
    (cast({{ delivery_date_expr }} as timestamp) - interval 14 hour)
{%- endmacro %}

{#-
  The first leakage gate at or after a JST time `ts`: 10:00 JST on D-1 of the first delivery day D
  whose gate is not before `ts` (a value public at `ts` may be used from that day on). Naive JST.
-#}
{% macro first_gate_at_or_after_jst(ts) -%}
    (cast(cast({{ ts }} + interval 14 hour - interval 1 microsecond as date) + 1 as timestamp) - interval 14 hour)
{%- endmacro %}

{#-
  Every data day of `relation` with the time it became public by the calendar: one row per
  area x data day (columns area_code, data_date, available_at_jst). The rule is the area's own
  calendar row, else the source x dataset's '*' row. `area_column` none: one '*' area.
  `dataset_column`: the relation's rows belong to several datasets of the source (a column naming
  the calendar's dataset of each row); a day is then public when the last of its rows is.
-#}
{% macro publication_availability(source, dataset, relation, date_column, area_column=none, dataset_column=none) -%}
    select
        days.area_code,
        days.data_date,
        max({{ publication_available_at_jst('days', 'days.data_date') }}) as available_at_jst
    from (
        select
            days.area_code,
            days.data_date,
            rules.*
        from (
            select distinct
                {% if area_column %}cast({{ area_column }} as varchar){% else %}'*'{% endif %} as area_code,
                cast({{ date_column }} as date) as data_date,
                {% if dataset_column %}{{ dataset_column }}{% else %}'{{ dataset }}'{% endif %} as dataset_name
            from {{ relation }}
        ) as days
        inner join {{ ref(source ~ '_publication_rules') }} as rules
            on
                rules.source = '{{ source }}'
                and rules.dataset = days.dataset_name
                and rules.area_code in (days.area_code, '*')
        qualify row_number() over (
            partition by days.area_code, days.data_date, days.dataset_name order by rules.area_code = '*'
        ) = 1
    ) as days
    group by days.area_code, days.data_date
{%- endmacro %}

{#-
  For every (area_code, delivery_date) of `spine` (a relation or CTE name with those columns): the
  latest data day of `relation` that was public by the delivery day's gate (10:00 JST on D-1)
  under the calendar - columns area_code, delivery_date, available_date, available_at_jst (the
  newest release public at the gate), age_days (delivery_date - available_date). available_date is NULL when
  nothing was public yet. An area that publishes late gets an older day, never a future one.
  Calendars that are not monotone in the data day (several datasets: an old quarterly file
  published after a newer daily one) are handled: a release counts the newest day public by then.
  `area_column` none: the relation has no area; every area of the spine gets the '*' days.
-#}
{% macro latest_available_day(spine, source, dataset, relation, date_column, area_column=none, dataset_column=none) -%}
    with spine_days as (
        select distinct
            area_code,
            {% if area_column %}area_code{% else %}'*'{% endif %} as release_area_code,
            delivery_date
        from {{ spine }}
    ),

    availability as (
        {{ publication_availability(source, dataset, relation, date_column, area_column, dataset_column) }}
    ),

    by_release as (
        select
            area_code,
            available_at_jst,
            max(max(data_date)) over (
                partition by area_code order by available_at_jst
                rows between unbounded preceding and current row
            ) as data_date
        from availability
        group by area_code, available_at_jst
    )

    select
        spine_days.area_code,
        spine_days.delivery_date,
        by_release.data_date as available_date,
        by_release.available_at_jst,
        cast(spine_days.delivery_date - by_release.data_date as integer) as age_days
    from spine_days
    asof left join by_release
        on
            spine_days.release_area_code = by_release.area_code
            and {{ feature_gate_jst('spine_days.delivery_date') }} >= by_release.available_at_jst
{%- endmacro %}
