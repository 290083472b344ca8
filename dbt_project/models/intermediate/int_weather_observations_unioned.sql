-- Every fetched version of every hourly observation: obsdl versions, plus etrn versions (fallback)
-- for station-hours obsdl has no version of. Grain: station_id x observed_start_jst x version;
-- is_latest_version / is_gate_version pick one row per station-hour (see the *_versions models).
with obsdl as (
    select * from {{ ref('int_jma__hourly_obsdl_versions') }}
),

etrn as (
    select * from {{ ref('int_jma__hourly_etrn_versions') }}
),

obsdl_keys as (
    select distinct
        station_id,
        observed_start_jst
    from obsdl
),

etrn_only as (
    select etrn.*
    from etrn
    left join obsdl_keys
        on
            etrn.station_id = obsdl_keys.station_id
            and etrn.observed_start_jst = obsdl_keys.observed_start_jst
    where obsdl_keys.station_id is null
)

select * from obsdl
union all by name
select * from etrn_only
