-- Capacity offline per HJKS snapshot x area x day, as known at the snapshot's exact fetch time
-- (fct_area_outage_capacity_daily works by fetch date; the feature gate at 10:00 JST needs the
-- time). A snapshot is one fetch (snapshot_at_jst); what it knows is the latest revision of every
-- event listed in the files fetched in the 7 days up to and including it (the daily list covers
-- events starting in the last 120 days, the weekly full list the older ones: macro
-- hjks_known_at_snapshot), for the outlook days from the snapshot's JST date to 13 days later.
-- MW are daily means: affected MW x the share of the day between the outage start and the end of
-- its expected recovery date (open-ended when HJKS gives none): macro hjks_offline_by_day. Both
-- macros are shared with fct_area_outage_capacity_daily.
with outages as (
    select
        *,
        {{ utc_to_jst('fetched_at') }} as fetched_at_jst
    from {{ ref('stg_hjks__outages') }}
),

snapshots as (
    select distinct fetched_at_jst as snapshot_at_jst
    from outages
),

known as (
    {{ hjks_known_at_snapshot('snapshots', 'outages', 'snapshot_at_jst', 'fetched_at_jst', 'interval 7 day') }}
),

outlook as (
    select
        snapshot_at_jst,
        cast(unnest(generate_series(
            cast(snapshot_at_jst as date), cast(snapshot_at_jst as date) + 13, interval 1 day
        )) as date) as outage_date
    from snapshots
),

offline as (
    {{ hjks_offline_by_day('outlook', 'known', 'snapshot_at_jst', ['area_code', 'outage_category']) }}
)

select
    snapshot_at_jst,
    area_code,
    outage_date,
    round(coalesce(sum(offline_mw) filter (where outage_category = 'planned_outage'), 0), 1)
        as planned_offline_mw,
    round(coalesce(sum(offline_mw) filter (where outage_category = 'unplanned_outage'), 0), 1)
        as unplanned_offline_mw,
    round(coalesce(sum(offline_mw) filter (where outage_category = 'derating'), 0), 1)
        as derating_mw,
    count(*) as event_count
from offline
where area_code is not null
group by snapshot_at_jst, area_code, outage_date
