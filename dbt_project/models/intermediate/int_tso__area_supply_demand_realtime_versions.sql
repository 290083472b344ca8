-- As-of history of Tohoku's realtime supply-demand rows: every fetched version of a row.
-- Grain: one row per area_code x interval_start_jst x fetched version. valid_from = the
-- version's _fetched_at, valid_to = the next version's _fetched_at (NULL for the latest). is_gate_version marks the
-- version the ML features use: the newest one fetched before the observation's first leakage
-- gate (10:00 JST on the day after the observation, the auction of the first delivery day that
-- may use it); when every version was fetched later (a one-version archive fetched after the
-- fact, as in the demo), the FIRST version fetched.
with versions as (
    select * from {{ ref('base_tso__area_supply_demand_realtime') }}
),

ranked as (
    select
        *,
        fetched_at as valid_from,
        lead(fetched_at) over (partition by area_code, interval_start_jst order by fetched_at, source_file)
            as valid_to,
        {{ first_gate_jst("cast(interval_start_jst as date)") }} as gate_jst,
        {{ utc_to_jst('fetched_at') }} < {{ first_gate_jst("cast(interval_start_jst as date)") }}
            as is_fetched_before_gate
    from versions
)

select
    * exclude (is_fetched_before_gate),
    row_number() over (
        partition by area_code, interval_start_jst order by valid_from desc, source_file desc
    ) = 1 as is_latest_version,
    row_number() over (
        partition by area_code, interval_start_jst
        order by
            is_fetched_before_gate desc,
            case when is_fetched_before_gate then valid_from end desc,
            valid_from asc,
            source_file asc
    ) = 1 as is_gate_version
from ranked
