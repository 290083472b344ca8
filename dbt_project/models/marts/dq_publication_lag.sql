-- Measured publication lag against the calendar: one row per source x dataset x area_code (see
-- the model description in _dq__models.yml for the rule of what counts as measured).
with version_extents as (
    select * from {{ ref('int_file_version_extents') }}
),

rules as (
    select * from {{ ref('int_publication_rules') }}
),

holidays as (
    select holiday_date from {{ ref('jp_holidays') }}
),

-- every version of every file (extent rows or not) and the fetch of the file's version before
-- it: every day a version is the first of its file to hold was missing at that earlier fetch
file_versions as (
    select
        *,
        lag(fetched_at) over (
            partition by source_name, dataset, file_name order by fetched_at, version_path
        ) as previous_fetched_at
    from (
        select distinct
            source_name,
            dataset,
            file_name,
            version_path,
            fetched_at
        from version_extents
    ) as distinct_versions
),

extents as (
    select
        version_extents.source_name,
        version_extents.dataset,
        version_extents.file_name,
        version_extents.version_path,
        version_extents.fetched_at,
        file_versions.previous_fetched_at,
        version_extents.part,
        version_extents.area_code,
        cast(version_extents.first_data_jst as date) as first_date,
        cast(version_extents.last_data_jst as date) as last_date
    from version_extents
    inner join file_versions
        on
            version_extents.source_name = file_versions.source_name
            and version_extents.dataset = file_versions.dataset
            and version_extents.file_name = file_versions.file_name
            and version_extents.version_path = file_versions.version_path
    where
        version_extents.part is not null
        and version_extents.first_data_jst is not null
        and version_extents.last_data_jst is not null
),

-- per file and part, the days earlier versions of the same file already held (their union is
-- taken as one span: the versions of one file grow or slide, they do not skip days)
with_earlier as (
    select
        *,
        min(first_date) over earlier as earlier_first_date,
        max(last_date) over earlier as earlier_last_date
    from extents
    window earlier as (
        partition by source_name, dataset, file_name, part
        order by fetched_at, version_path
        rows between unbounded preceding and 1 preceding
    )
),

-- the spans of days a version holds that no earlier version of its file held
new_spans as (
    select
        *,
        first_date as span_start,
        case
            when earlier_first_date is null then last_date
            else least(last_date, earlier_first_date - 1)
        end as span_end
    from with_earlier
    union all
    select
        *,
        greatest(first_date, earlier_last_date + 1) as span_start,
        last_date as span_end
    from with_earlier
    where earlier_last_date is not null
),

-- event streams (cadence 'continuous', e.g. outage updates): a version's extent spans days
-- without events, so only its newest day is an observation
continuous_datasets as (
    select distinct
        source,
        dataset
    from rules
    where cadence = 'continuous'
),

new_days as (
    select
        spans.source_name,
        spans.dataset,
        spans.file_name,
        spans.fetched_at,
        spans.previous_fetched_at,
        spans.part,
        spans.area_code,
        cast(unnest(generate_series(spans.series_start, spans.span_end, interval 1 day)) as date)
            as data_date
    from (
        select
            new_spans.*,
            case
                when continuous_datasets.source is null then new_spans.span_start
                else greatest(new_spans.span_start, new_spans.last_date)
            end as series_start
        from new_spans
        left join continuous_datasets
            on
                new_spans.source_name = continuous_datasets.source
                and new_spans.dataset = continuous_datasets.dataset
    ) as spans
    where spans.series_start <= spans.span_end
),

-- the first appearance of each part x day in the dataset (whichever file held it first)
first_seen as (
    select
        source_name,
        dataset,
        part,
        area_code,
        data_date,
        fetched_at as first_seen_at,
        previous_fetched_at as last_absent_at
    from new_days
    qualify row_number() over (
        partition by source_name, dataset, part, data_date
        order by fetched_at asc, previous_fetched_at desc nulls last, file_name asc
    ) = 1
),

-- the calendar row of each source x dataset x area: the area's own row, else the '*' row
groups as (
    select distinct
        source_name,
        dataset,
        area_code
    from first_seen
),

group_rules as (
    select
        groups.source_name,
        groups.dataset,
        groups.area_code,
        rules.area_code as rule_area_code,
        rules.cadence,
        rules.rule,
        rules.lag_days,
        rules.month_day,
        rules.period,
        rules.available_time_jst,
        rules.margin_hours
    from groups
    left join rules
        on
            groups.source_name = rules.source
            and groups.dataset = rules.dataset
            and rules.area_code in (groups.area_code, '*')
    qualify row_number() over (
        partition by groups.source_name, groups.dataset, groups.area_code
        order by rules.area_code = '*'
    ) = 1
),

observations as (
    select
        first_seen.*,
        group_rules.rule_area_code,
        group_rules.cadence,
        group_rules.rule,
        first_seen.last_absent_at is not null as is_measured,
        {{ utc_to_jst('first_seen.first_seen_at') }} as first_seen_jst,
        {{ utc_to_jst('first_seen.last_absent_at') }} as last_absent_jst,
        case
            when group_rules.rule is not null
                then {{ publication_available_at_jst('group_rules', 'first_seen.data_date') }}
        end as available_at_jst
    from first_seen
    inner join group_rules
        on
            first_seen.source_name = group_rules.source_name
            and first_seen.dataset = group_rules.dataset
            and first_seen.area_code = group_rules.area_code
    -- business-day data (cadence business_*): weekends and Japanese holidays inside an extent
    -- hold no data (as extract.ops.schedule.expects)
    where
        coalesce(group_rules.cadence, '') not like 'business%'
        or (
            isodow(first_seen.data_date) < 6
            and first_seen.data_date not in (select holidays.holiday_date from holidays)
        )
),

measured as (
    select
        *,
        (epoch(first_seen_jst) - epoch(cast(data_date as timestamp))) / 3600.0 as observed_lag_h,
        (epoch(available_at_jst) - epoch(cast(data_date as timestamp))) / 3600.0 as rule_lag_h,
        (epoch(last_absent_jst) - epoch(available_at_jst)) / 3600.0 as absent_after_rule_h
    from observations
),

summary as (
    select
        source_name,
        dataset,
        area_code,
        any_value(rule_area_code) as rule_area_code,
        any_value(cadence) as cadence,
        any_value(rule) as rule_kind,
        count(*) as seen_days,
        count(*) filter (where is_measured) as observed_days,
        min(data_date) filter (where is_measured) as first_observed_date,
        max(data_date) filter (where is_measured) as last_observed_date,
        quantile_cont(observed_lag_h, 0.5) filter (where is_measured) as observed_lag_p50_h,
        quantile_cont(observed_lag_h, 0.9) filter (where is_measured) as observed_lag_p90_h,
        max(observed_lag_h) filter (where is_measured) as observed_lag_max_h,
        quantile_cont(rule_lag_h, 0.5) filter (where is_measured) as rule_lag_p50_h,
        max(rule_lag_h) filter (where is_measured) as rule_lag_max_h,
        count(*) filter (where is_measured and first_seen_jst > available_at_jst) as late_days,
        count(*) filter (where is_measured and last_absent_jst >= available_at_jst) as contradicted_days,
        max(absent_after_rule_h) filter (where is_measured and last_absent_jst >= available_at_jst)
            as rule_shortfall_max_h
    from measured
    group by source_name, dataset, area_code
)

select
    cast(source_name || '|' || dataset || '|' || area_code as varchar) as publication_lag_key,
    cast(source_name as varchar) as source_name,
    cast(dataset as varchar) as dataset,
    cast(area_code as varchar) as area_code,
    cast(rule_area_code as varchar) as rule_area_code,
    cast(cadence as varchar) as cadence,
    cast(rule_kind as varchar) as rule_kind,
    cast(seen_days as bigint) as seen_days,
    cast(observed_days as bigint) as observed_days,
    cast(first_observed_date as date) as first_observed_date,
    cast(last_observed_date as date) as last_observed_date,
    cast(observed_lag_p50_h as double) as observed_lag_p50_h,
    cast(observed_lag_p90_h as double) as observed_lag_p90_h,
    cast(observed_lag_max_h as double) as observed_lag_max_h,
    cast(rule_lag_p50_h as double) as rule_lag_p50_h,
    cast(rule_lag_max_h as double) as rule_lag_max_h,
    cast(late_days as bigint) as late_days,
    cast(contradicted_days as bigint) as contradicted_days,
    cast(rule_shortfall_max_h as double) as rule_shortfall_max_h,
    cast(contradicted_days > 0 as boolean) as is_rule_contradicted
from summary
