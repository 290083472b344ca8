-- All hourly observations: obsdl rows, plus etrn rows (fallback) for hours obsdl does not have.
-- Grain: station_id x observed_start_jst.
with obsdl as (
    select * from {{ ref('stg_jma__hourly_obsdl_observations') }}
),

etrn as (
    select * from {{ ref('stg_jma__hourly_etrn_observations') }}
),

etrn_only as (
    select etrn.*
    from etrn
    left join obsdl
        on
            etrn.station_id = obsdl.station_id
            and etrn.observed_start_jst = obsdl.observed_start_jst
    where obsdl.station_id is null
)

select * from obsdl
union all by name
select * from etrn_only
