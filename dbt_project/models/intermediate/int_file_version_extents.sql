-- Every archived file version the warehouse knows, with its data extent per part: one row per
-- source x file version x part (part NULL for a version that recorded no extent: an empty body,
-- or a dataset without data_time). Read from raw_<source>.pmd_file_extents (every measured
-- version, older versions of latest-mode files included) and raw_<source>.pmd_loaded_files
-- (every loaded version; all versions of history-mode files, empty ones included) of every
-- raw_<source> schema the dbt sources declare, so a new source needs no change here.
{%- set schemas = [] %}
{%- if execute %}
    {%- for node in graph.sources.values() | sort(attribute='schema') %}
        {%- if node.schema.startswith('raw_') and node.schema not in schemas %}
            {%- set extents = adapter.get_relation(
                database=target.database, schema=node.schema, identifier='pmd_file_extents') %}
            {%- set ledger = adapter.get_relation(
                database=target.database, schema=node.schema, identifier='pmd_loaded_files') %}
            {%- if extents is not none and ledger is not none %}
                {%- do schemas.append(node.schema) %}
            {%- endif %}
        {%- endif %}
    {%- endfor %}
{%- endif %}

-- the loop renders one block per raw schema (sqlfluff cannot place its indents)
-- noqa: disable=LT02
with versions as (
    {%- for schema in schemas %}
    select
        '{{ schema[4:] }}' as source_name,
        dataset,
        name as file_name,
        path as version_path,
        fetched_at,
        part,
        area_code,
        first_data as first_data_jst,
        last_data as last_data_jst
    from {{ schema }}.pmd_file_extents
    union all
    select
        '{{ schema[4:] }}' as source_name,
        ledger.dataset,
        ledger.name as file_name,
        ledger.path as version_path,
        ledger.fetched_at,
        cast(null as varchar) as part,
        cast(null as varchar) as area_code,
        cast(null as timestamp) as first_data_jst,
        cast(null as timestamp) as last_data_jst
    from {{ schema }}.pmd_loaded_files as ledger
    where not exists (
        select 1 from {{ schema }}.pmd_file_extents as ext
        where ext.path = ledger.path
    )
    union all
    {%- endfor %}
    -- the columns (and no row) when no raw schema exists yet
    select
        cast(null as varchar) as source_name,
        cast(null as varchar) as dataset,
        cast(null as varchar) as file_name,
        cast(null as varchar) as version_path,
        cast(null as timestamptz) as fetched_at,
        cast(null as varchar) as part,
        cast(null as varchar) as area_code,
        cast(null as timestamp) as first_data_jst,
        cast(null as timestamp) as last_data_jst
    where false
),
-- noqa: enable=LT02

areas as (
    select area_code from {{ ref('areas') }}
)

select
    cast(versions.source_name as varchar) as source_name,
    cast(versions.dataset as varchar) as dataset,
    cast(versions.file_name as varchar) as file_name,
    cast(versions.version_path as varchar) as version_path,
    cast(versions.fetched_at as timestamptz) as fetched_at,
    cast(versions.part as varchar) as part,
    -- the part's area; '*' when the dataset is not split by area. Rows recorded before
    -- pmd_file_extents had area_code (NULL) take the part when it is an area code.
    cast(
        case
            when versions.part is null then null
            when versions.area_code is null and versions.part in (select areas.area_code from areas)
                then versions.part
            else coalesce(nullif(versions.area_code, ''), '*')
        end as varchar
    ) as area_code,
    cast(versions.first_data_jst as timestamp) as first_data_jst,
    cast(versions.last_data_jst as timestamp) as last_data_jst
from versions
