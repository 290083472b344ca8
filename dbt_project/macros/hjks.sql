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

{#-
  What each HJKS snapshot knows: for every row of `snapshots` (snapshot_column), the latest
  revision (最終更新日時, then fetch time, then file) of every event listed in the `outages` rows
  fetched in the window (snapshot - `lookback`, snapshot] (fetched_column: the fetch time or day
  in the snapshot's unit). The daily list covers events starting in the last 120 days, the weekly
  full list the older ones, so a 7-day window sees every live event. Used by
  int_hjks__area_outage_snapshots (exact fetch time) and fct_area_outage_capacity_daily (fetch day).
-#}
{% macro hjks_known_at_snapshot(snapshots, outages, snapshot_column, fetched_column, lookback) -%}
    select
        {{ snapshots }}.{{ snapshot_column }},
        {{ outages }}.*
    from {{ snapshots }}
    inner join {{ outages }}
        on
            {{ snapshots }}.{{ snapshot_column }} >= {{ outages }}.{{ fetched_column }}
            and {{ snapshots }}.{{ snapshot_column }} - {{ lookback }} < {{ outages }}.{{ fetched_column }}
    qualify row_number() over (
        partition by {{ snapshots }}.{{ snapshot_column }}, {{ outages }}.outage_event_key
        order by
            {{ outages }}.last_updated_jst desc,
            {{ outages }}.fetched_at desc,
            {{ outages }}.source_file desc
    ) = 1
{%- endmacro %}
