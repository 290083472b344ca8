-- Capacity offline per area x fuel type x day, as known at each snapshot day (as_of_date): the
-- latest revision of every event listed in the snapshots fetched in the 7 days up to as_of_date
-- (the daily list covers events starting in the last 120 days, the weekly full list the older
-- ones: macro hjks_known_at_snapshot), for the outlook days as_of_date .. as_of_date + 13. MW are
-- daily means: affected MW x the share of the day between the outage start and the end of its
-- expected recovery date (open-ended when HJKS gives none): macro hjks_offline_by_day. Both macros
-- are shared with int_hjks__area_outage_snapshots.
-- Incremental by as_of_date: a run recomputes the snapshot days from the latest one built minus
-- var('hjks_outage_lookback_days') (default 7: a snapshot changes the state of the 7 days from
-- its fetch day, so a re-fetch of a built day or a snapshot up to a week late is taken in);
-- a daily run touches about one week of snapshot days. Revisions of old events arrive in new
-- snapshots, so they land in new as_of_dates. --full-refresh rebuilds every day.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='as_of_date',
    on_schema_change='append_new_columns'
) }}

{% if is_incremental() %}
    {% set first_as_of %}
        (select coalesce(max(t.as_of_date), date '1900-01-01')
            - {{ var('hjks_outage_lookback_days', 7) }}
        from {{ this }} as t)
    {% endset %}
{% endif %}

with outages as (
    select * from {{ ref('stg_hjks__outages') }}
    {% if is_incremental() %}
        -- the 7-day window of the first recomputed day starts 6 days before it
        where fetched_date_jst > {{ first_as_of }} - 7
    {% endif %}
),

snapshots as (
    select distinct fetched_date_jst as as_of_date
    from outages
    {% if is_incremental() %}
        where fetched_date_jst >= {{ first_as_of }}
    {% endif %}
),

known as (
    {{ hjks_known_at_snapshot('snapshots', 'outages', 'as_of_date', 'fetched_date_jst', '7') }}
),

outlook as (
    select
        as_of_date,
        cast(unnest(generate_series(as_of_date, as_of_date + 13, interval 1 day)) as date)
            as outage_date
    from snapshots
),

offline as (
    {{ hjks_offline_by_day('outlook', 'known', 'as_of_date', ['area_code', 'fuel_type', 'outage_category']) }}
)

select
    cast(
        coalesce(area_code, '??') || '-' || fuel_type || '-' || strftime(outage_date, '%Y%m%d')
        || '-' || strftime(as_of_date, '%Y%m%d') as varchar
    ) as area_outage_key,
    cast(area_code as varchar) as area_code,
    cast(fuel_type as varchar) as fuel_type,
    cast(outage_date as date) as outage_date,
    cast(as_of_date as date) as as_of_date,
    cast(round(sum(offline_mw) filter (where outage_category = 'planned_outage'), 1) as double)
        as planned_offline_mw,
    cast(round(sum(offline_mw) filter (where outage_category = 'unplanned_outage'), 1) as double)
        as unplanned_offline_mw,
    cast(round(sum(offline_mw) filter (where outage_category = 'derating'), 1) as double)
        as derating_mw,
    cast(round(sum(offline_mw), 1) as double) as total_offline_mw,
    cast(count(*) as integer) as event_count
from offline
group by area_code, fuel_type, outage_date, as_of_date
