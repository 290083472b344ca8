{#-
  Every area's supply-demand history in one relation (int_area_supply_demand_unioned, and
  fct_area_supply_demand reading only its window). Grain: area_code x interval_start_jst x
  fetched version (only Tohoku's realtime rows have several versions). Precedence where sources
  overlap: the monthly common-format file, then Tohoku's realtime file (recent days the monthly
  file does not have yet), then the legacy hourly files (only before the area's first
  common-format interval, so 60- and 30-minute rows never overlap).

  `since` (a SQL date literal, or none for the whole history): only the intervals starting on or
  after that day. Each input is filtered before its version windows and the realtime/monthly
  anti-join (both keyed by area and interval, which contain the day), so the rows of those days
  are exactly those of the whole history; the area's first common-format interval is still taken
  over the whole history (a cheap min over two key columns). Each input is read through
  tso_intervals_from(), whose filter on the raw slot date reaches the raw table's scan.
-#}
{% macro area_supply_demand_unioned(since=none) -%}
with monthly as (
    select
        *,
        fetched_at as valid_from,
        cast(null as timestamptz) as valid_to,
        true as is_latest_version,
        true as is_gate_version
    from {{ tso_intervals_from(ref('stg_tso__area_supply_demand'), since) }}
),

realtime as (
    {%- if since is none %}
    select * exclude (gate_jst) from {{ ref('int_tso__area_supply_demand_realtime_versions') }}
    {%- else %}
    select * exclude (gate_jst) from (
        {{ revision_versions(
            tso_intervals_from(ref('base_tso__area_supply_demand_realtime'), since), 'area_code',
            'interval_start_jst', 'tso', 'area_supply_demand_realtime', 'area_code', since=since
        ) | indent(8) }}
    )
    {%- endif %}
),

legacy as (
    select
        *,
        fetched_at as valid_from,
        cast(null as timestamptz) as valid_to,
        true as is_latest_version,
        true as is_gate_version
    from {{ tso_intervals_from(ref('stg_tso__area_supply_demand_legacy'), since) }}
),

realtime_only as (
    select realtime.*
    from realtime
    left join monthly
        on
            realtime.area_code = monthly.area_code
            and realtime.interval_start_jst = monthly.interval_start_jst
    where monthly.area_code is null
),

thirty_minute as (
    select
        *,
        'common' as source_format
    from monthly
    union all by name
    select
        *,
        'realtime' as source_format
    from realtime_only
),

-- the area's first interval of monthly or realtime rows, over the whole history (a realtime row
-- the monthly file also has starts at a monthly interval, so realtime_only gives the same min)
first_common as (
    select
        area_code,
        min(interval_start_jst) as first_interval_start_jst
    from (
        select
            area_code,
            interval_start_jst
        from {% if since is none %}monthly{% else %}{{ ref('stg_tso__area_supply_demand') }}{% endif %}
        union all
        select
            area_code,
            interval_start_jst
        from {% if since is none %}realtime{% else %}{{ ref('base_tso__area_supply_demand_realtime') }}{% endif %}
    ) as intervals
    group by area_code
),

legacy_before_common as (
    select legacy.*
    from legacy
    left join first_common on legacy.area_code = first_common.area_code
    where
        first_common.first_interval_start_jst is null
        or legacy.interval_start_jst < first_common.first_interval_start_jst
)

select * from thirty_minute
union all by name
select
    *,
    'legacy' as source_format
from legacy_before_common
{%- endmacro %}


{#- A TSO relation's rows whose interval starts on `since` or later, as a subquery. The interval
    start is computed in staging (the raw slot date + the time label - the area's label shift), so
    a filter on it alone is applied only after every raw row is computed; the raw slot date is a
    plain column, whose filter reaches the raw table's scan. An interval starts at most 30 minutes
    before its slot date (an end-labelled 00:00) and at most a day after it (24:00), so its day is
    `since` or later only when the slot date is `since` - 1 or later. The whole history (`since`
    none, or 1900-01-01 for a rebuild) is the relation unfiltered. -#}
{% macro tso_intervals_from(relation, since) -%}
{%- if since is none or since == "date '1900-01-01'" -%}
{{ relation }}
{%- else -%}
(
    select * from {{ relation }}
    where slot_date >= {{ since }} - 1 and cast(interval_start_jst as date) >= {{ since }}
)
{%- endif -%}
{%- endmacro %}


{#-
  Area demand and variable renewables per JEPX delivery period (int_area_supply_demand_halfhourly,
  and fct_area_demand_halfhourly reading only its window), per vintage ('latest', 'gate') x
  area_code x delivery_date x delivery_period. Hourly legacy values (an hourly mean) stand for
  both half-hours of their hour (the second half-hour is on the same day). Residual load is NULL
  when demand, solar or wind is missing.
  `since` (a SQL date literal, or none): only the days from `since` on, read through
  area_supply_demand_unioned(since).
-#}
{% macro area_supply_demand_halfhourly(since=none, vintages=['latest', 'gate']) -%}
with unioned as (
    {%- if since is none %}
    select * from {{ ref('int_area_supply_demand_unioned') }}
    {%- else %}
    select * from (
        {{ area_supply_demand_unioned(since) | indent(8) }}
    ) as unioned
    {%- endif %}
),

vintages as (
    {%- for vintage in vintages %}
    select
        '{{ vintage }}' as vintage,
        *
    from unioned
    where is_{{ vintage }}_version
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

half_hour_shifts as (
    select unnest([0, 30]) as shift_minutes
),

half_hours as (
    select
        vintages.*,
        vintages.interval_start_jst + to_minutes(half_hour_shifts.shift_minutes) as delivery_start_jst
    from vintages
    inner join half_hour_shifts
        on vintages.resolution_minutes > half_hour_shifts.shift_minutes
)

select
    vintage,
    area_code,
    cast(delivery_start_jst as date) as delivery_date,
    {{ period_of('delivery_start_jst') }} as delivery_period,
    delivery_start_jst,
    {{ jst_to_utc('delivery_start_jst') }} as delivery_start_utc,
    demand_mw,
    solar_mw,
    wind_mw,
    demand_mw - solar_mw - wind_mw as residual_load_mw,
    nuclear_mw,
    thermal_total_mw,
    hydro_mw,
    pumped_storage_mw,
    interconnection_mw,
    solar_curtailment_mw,
    wind_curtailment_mw,
    resolution_minutes as source_resolution_minutes,
    source_format,
    source_file,
    fetched_at
from half_hours
{%- endmacro %}
