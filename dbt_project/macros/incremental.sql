{#-
  Incremental marts by delivery date (issue 11).

  A mart built with incremental_by_date() rebuilds, on an incremental run, every date from
  `since` on, where `since` comes from the extractor's own ledger (raw_<source>.pmd_loaded_files,
  with the data extents of each file in raw_<source>.pmd_file_extents), never from the wall clock:

    since = least(
        the first data day of every file loaded since this model's last successful build,
        the source's latest data day - var('incremental_lookback_days')[source]
    ) - 1 day (a data time of 00:00 may belong to the day before: period 48, TSO "24:00")

  and nothing when no file was loaded since (a no-op build writes no row). A file whose data
  days are unknown (no extent, no period) rebuilds everything. The lookback covers each
  publisher's revision horizon (JMA's last ten days, TSO monthly files and realtime revisions,
  intraday's open day, OCCTO re-publications); loaded files older than the horizon (an imported
  back-fill) are caught by the ledger. Rows of the rebuilt dates are replaced (delete+insert on
  the date column); `dbt build --full-refresh` gives the same rows (tests/e2e).

  The watermark is the newest ledger `loaded_at` the model has seen, kept per model in
  pmd_incremental.watermarks: incremental_since() stores it as pending when the model is
  rendered, and the post-hook incremental_commit() makes it current once the model has built.
  A seed or model-code change needs `dbt build --full-refresh` (as for every dbt incremental).
-#}

{% macro incremental_by_date(date_column) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': date_column,
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}


{% macro incremental_state_ddl() -%}
create schema if not exists pmd_incremental;
create table if not exists pmd_incremental.watermarks (
    model_name varchar primary key,
    pending_loaded_at timestamptz,
    loaded_at timestamptz,
    built_at timestamptz
)
{%- endmacro %}


{#- The first date to rebuild, as a SQL date literal (see above). `source` names the raw schema
    (raw_<source>) and the lookback entry; `datasets` limits the ledger to the model's datasets. -#}
{% macro incremental_since(source, datasets=none) -%}
    {%- if not execute or this is none -%}
        {#- parsing, or a unit test (no relation of its own): every row of the given inputs -#}
        {{ return("date '1900-01-01'") }}
    {%- endif -%}
    {%- set lookback = var('incremental_lookback_days')[source] -%}
    {%- set ledger = 'raw_' ~ source ~ '.pmd_loaded_files' -%}
    {%- set extents = 'raw_' ~ source ~ '.pmd_file_extents' -%}
    {%- set dataset_filter -%}
        {%- if datasets -%}
            dataset in ({% for d in datasets %}'{{ d }}'{% if not loop.last %}, {% endif %}{% endfor %})
        {%- else -%}
            true
        {%- endif -%}
    {%- endset -%}
    {%- set ledger_relation = adapter.get_relation(
        database=this.database, schema='raw_' ~ source, identifier='pmd_loaded_files'
    ) -%}
    {%- if ledger_relation is none -%}
        {#- no ledger yet (a warehouse the extractor never ran on, e.g. a lint run): all rows -#}
        {{ return("date '1900-01-01'") }}
    {%- endif -%}
    {%- do run_query(incremental_state_ddl()) -%}
    {%- set pending = run_query(
        "select coalesce(cast(max(loaded_at) as varchar), '') from " ~ ledger ~ " where " ~ dataset_filter
    ).columns[0].values()[0] -%}
    {%- set pending_sql = "null" if pending == '' else "timestamptz '" ~ pending ~ "'" -%}
    {%- do run_query(
        "insert or replace into pmd_incremental.watermarks (model_name, pending_loaded_at, loaded_at, built_at) "
        ~ "select '" ~ this.identifier ~ "', " ~ pending_sql ~ ", "
        ~ "(select max(loaded_at) from pmd_incremental.watermarks where model_name = '" ~ this.identifier ~ "'), "
        ~ "(select max(built_at) from pmd_incremental.watermarks where model_name = '" ~ this.identifier ~ "')"
    ) -%}
    {%- if not is_incremental() -%}
        {{ return("date '1900-01-01'") }}
    {%- endif -%}
    {%- set query -%}
        with seen as (
            select loaded_at from pmd_incremental.watermarks where model_name = '{{ this.identifier }}'
        ),

        new_files as (
            select
                ledger.path,
                ledger.fetched_at,
                ledger.period_start
            from {{ ledger }} as ledger
            where
                {{ dataset_filter }}
                and ledger.loaded_at <= {{ pending_sql }}
                and ledger.loaded_at > coalesce((select max(loaded_at) from seen), timestamptz '1900-01-01 00:00:00+00')
        ),

        new_days as (
            select coalesce(
                (
                    select min(cast(extents.first_data as date)) from {{ extents }} as extents
                    where extents.path = new_files.path and extents.fetched_at = new_files.fetched_at
                ),
                new_files.period_start,
                date '1900-01-01'
            ) as first_day
            from new_files
        ),

        latest as (
            select max(cast(last_data as date)) as last_day from {{ extents }} where {{ dataset_filter }}
        )

        select coalesce(
            cast(least(
                (select min(first_day) from new_days),
                (select last_day from latest) - {{ lookback | int }}
            ) - 1 as varchar),
            '1900-01-01'
        ),
        (select count(*) from new_files)
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {%- if row[1] == 0 -%}
        {{ return("date '9999-12-31'") }}
    {%- endif -%}
    {{ return("date '" ~ row[0] ~ "'") }}
{%- endmacro %}


{#- post-hook of every incremental_by_date model: the pending watermark becomes current. -#}
{% macro incremental_commit() -%}
update pmd_incremental.watermarks
set loaded_at = pending_loaded_at, built_at = now()
where model_name = '{{ this.identifier }}'
{%- endmacro %}
