-- HJKS outage/derating events: the latest revision of each event (latest 最終更新日時, then the
-- latest snapshot), with when it was first and last seen. Event = plant x unit x start.
with outages as (
    select * from {{ ref('stg_hjks__outages') }}
),

latest as (
    select *
    from outages
    qualify row_number() over (
        partition by outage_event_key
        order by last_updated_jst desc, fetched_at desc, source_file desc
    ) = 1
),

seen as (
    select
        outage_event_key,
        min(fetched_at) as first_seen_at,
        max(fetched_at) as last_seen_at,
        count(distinct last_updated_jst) as revision_count
    from outages
    group by outage_event_key
)

select
    cast(latest.outage_event_key as varchar) as outage_event_key,
    cast(latest.area_code as varchar) as area_code,
    cast(latest.plant_code as varchar) as plant_code,
    cast(latest.plant_name as varchar) as plant_name,
    cast(latest.unit_name as varchar) as unit_name,
    cast(latest.company_name as varchar) as company_name,
    cast(latest.generation_type_ja as varchar) as generation_type_ja,
    cast(latest.fuel_type as varchar) as fuel_type,
    cast(latest.authorised_capacity_kw / 1000.0 as double) as authorised_capacity_mw,
    cast(latest.derating_kw / 1000.0 as double) as derating_mw,
    cast(latest.affected_kw / 1000.0 as double) as affected_mw,
    cast(latest.outage_category as varchar) as outage_category,
    cast(latest.outage_category = 'planned_outage' as boolean) as is_planned,
    cast(latest.outage_category_ja as varchar) as outage_category_ja,
    cast(latest.outage_kind_code as varchar) as outage_kind_code,
    cast(latest.outage_kind as varchar) as outage_kind,
    cast(latest.outage_kind_ja as varchar) as outage_kind_ja,
    cast(latest.outage_start_jst as timestamp) as outage_start_jst,
    cast(latest.outage_start_jst - interval 9 hour as timestamp) as outage_start_utc,
    cast(latest.expected_recovery_date as date) as expected_recovery_date,
    cast(latest.recovery_outlook_ja as varchar) as recovery_outlook_ja,
    cast(latest.outage_reason_ja as varchar) as outage_reason_ja,
    cast(latest.last_updated_jst as timestamp) as last_updated_jst,
    cast(seen.revision_count as integer) as revision_count,
    cast(seen.first_seen_at as timestamptz) as first_seen_at,
    cast(seen.last_seen_at as timestamptz) as last_seen_at,
    cast(latest.source_file as varchar) as source_file
from latest
inner join seen on latest.outage_event_key = seen.outage_event_key
