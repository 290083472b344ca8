{#-
  As-of history of a revised raw table (one row per key x fetched version): valid_from = the
  version's fetched_at, valid_to = the next version's fetched_at (NULL for the latest),
  is_latest_version, and is_gate_version: the newest version fetched before the row's first
  leakage gate (10:00 JST on the day after its time, the auction of the first delivery day that
  may use it); when every version was fetched later (a one-version archive fetched after the
  fact, as in the demo), the FIRST version fetched.
-#}
{% macro revision_versions(relation, entity_column, time_column) -%}
with versions as (
    select * from {{ relation }}
),

ranked as (
    select
        *,
        fetched_at as valid_from,
        lead(fetched_at) over (partition by {{ entity_column }}, {{ time_column }} order by fetched_at, source_file)
            as valid_to,
        {{ first_gate_jst("cast(" ~ time_column ~ " as date)") }} as gate_jst,
        {{ utc_to_jst('fetched_at') }} < {{ first_gate_jst("cast(" ~ time_column ~ " as date)") }}
            as is_fetched_before_gate
    from versions
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
from ranked
{%- endmacro %}
