{#-
  Capacity an HJKS outage takes offline on each outlook day, as a daily mean: affected MW x the
  share of the day inside [outage start, end of the expected recovery date), open-ended when HJKS
  gives no recovery date. One row per (snapshot, outlook day, event) the outage touches.
  `outlook` has (snapshot_column, outage_date); `known` has (snapshot_column, the event's
  affected_kw, outage_start_jst, expected_recovery_date and the `columns` carried along): both
  int_hjks__area_outage_snapshots (snapshot = exact fetch time) and
  fct_area_outage_capacity_daily (snapshot = fetch day) use it.
-#}
{% macro hjks_offline_by_day(outlook, known, snapshot_column, columns) -%}
    select
        {{ outlook }}.{{ snapshot_column }},
        {{ outlook }}.outage_date,
        {%- for column in columns %}
        {{ known }}.{{ column }},
        {%- endfor %}
        {{ known }}.affected_kw / 1000.0 * greatest(
            0.0,
            epoch(
                least(
                    coalesce(
                        cast({{ known }}.expected_recovery_date + 1 as timestamp),
                        cast({{ outlook }}.outage_date + 1 as timestamp)
                    ),
                    cast({{ outlook }}.outage_date + 1 as timestamp)
                )
                - greatest({{ known }}.outage_start_jst, cast({{ outlook }}.outage_date as timestamp))
            ) / 86400.0
        ) as offline_mw
    from {{ outlook }}
    inner join {{ known }}
        on
            {{ outlook }}.{{ snapshot_column }} = {{ known }}.{{ snapshot_column }}
            and cast({{ outlook }}.outage_date + 1 as timestamp) > {{ known }}.outage_start_jst
            and (
                {{ known }}.expected_recovery_date is null
                or {{ outlook }}.outage_date <= {{ known }}.expected_recovery_date
            )
{%- endmacro %}
