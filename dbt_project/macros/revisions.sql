{#-
  As-of history of a revised raw table (one row per key x fetched version): valid_from = the
  version's fetched_at, valid_to = the next version's fetched_at (NULL for the latest),
  is_latest_version, and is_gate_version: the newest version fetched before gate_jst, the first
  leakage gate that may use the row by the publication calendar (source x dataset, the area's own
  rule else '*': the gate of the first delivery day whose 10:00 JST on D-1 is not before the day's
  availability; features use a day no earlier than that, so a later delivery day never sees a
  version fetched after its own gate; a row without a calendar rule: 10:00 JST on the day after
  it); when every version was fetched later (a one-version
  archive fetched after the fact, as in the demo), the FIRST version fetched.
  `since` (a SQL date literal): only the keys whose time_column falls on or after that date. Every
  window is partitioned by the key, which contains the time, so the kept rows are exactly those
  the unfiltered history gives for these keys (incremental marts read only their window).
-#}
{% macro revision_versions(relation, entity_column, time_column, source, dataset, area_column=none, since=none) -%}
with versions as (
    select * from {{ relation }}
    {%- if since is not none %}
    where cast({{ time_column }} as date) >= {{ since }}
    {%- endif %}
),

availability as (
    {{ publication_availability(source, dataset, 'versions', time_column, area_column) }}
),

ranked as (
    select
        versions.*,
        versions.fetched_at as valid_from,
        lead(versions.fetched_at) over (
            partition by versions.{{ entity_column }}, versions.{{ time_column }}
            order by versions.fetched_at, versions.source_file
        ) as valid_to,
        coalesce(
            {{ first_gate_at_or_after_jst('availability.available_at_jst') }},
            {{ first_gate_jst('cast(versions.' ~ time_column ~ ' as date)') }}
        ) as gate_jst
    from versions
    left join availability
        on
            cast(versions.{{ time_column }} as date) = availability.data_date
            and availability.area_code = {% if area_column %}cast(versions.{{ area_column }} as varchar){% else %}'*'{% endif %}
)

select
    * exclude (is_fetched_before_gate),
    row_number() over (
        partition by {{ entity_column }}, {{ time_column }} order by valid_from desc, source_file desc
    ) = 1 as is_latest_version,
    row_number() over (
        partition by {{ entity_column }}, {{ time_column }}
        order by
            is_fetched_before_gate desc,
            case when is_fetched_before_gate then valid_from end desc,
            valid_from asc,
            source_file asc
    ) = 1 as is_gate_version
from (
    select
        *,
        {{ utc_to_jst('fetched_at') }} < gate_jst as is_fetched_before_gate
    from ranked
)
{%- endmacro %}
