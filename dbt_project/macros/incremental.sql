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
);
alter table pmd_incremental.watermarks add column if not exists pending_since date;
create table if not exists pmd_incremental.windows (
    model_name varchar primary key,
    date_column varchar,
    since date,
    invocation_id varchar,
    built_at timestamptz,
    export_since date
)
{%- endmacro %}


{#- The first date to rebuild, as a SQL date literal (see above). `source` names the raw schema
    (raw_<source>) and the lookback entry; `datasets` limits the ledger to the model's datasets. -#}
{% macro incremental_since(source, datasets=none, watermark_key=none, by_fetch=false) -%}
    {%- if not execute or this is none -%}
        {#- parsing, or a unit test (no relation of its own): every row of the given inputs -#}
        {{ return("date '1900-01-01'") }}
    {%- endif -%}
    {%- set key = watermark_key or this.identifier -%}
    {%- set ledger = 'raw_' ~ source ~ '.pmd_loaded_files' -%}
    {%- set dataset_filter = _dataset_filter(datasets) -%}
    {%- set ledger_relation = adapter.get_relation(
        database=this.database, schema='raw_' ~ source, identifier='pmd_loaded_files'
    ) -%}
    {%- if ledger_relation is none -%}
        {#- no ledger yet (a warehouse the extractor never ran on, e.g. a lint run): all rows -#}
        {{ return("date '1900-01-01'") }}
    {%- endif -%}
    {%- if adapter.get_relation(
        database=this.database, schema='pmd_incremental', identifier='watermarks'
    ) is none -%}
        {#- a command without on-run-start (dbt compile) on a new warehouse -#}
        {%- do run_query(incremental_state_ddl()) -%}
    {%- endif -%}
    {#- the newest loaded file now; a subquery, so that the two queries below need no third -#}
    {%- set pending_sql = "(select max(loaded_at) from " ~ ledger ~ " where " ~ dataset_filter ~ ")" -%}
    {%- set since = _new_data_since(source, dataset_filter, key, by_fetch, pending_sql)
        if is_incremental() else '1900-01-01' -%}
    {#- the pending watermark and the first day this build rewrites (pending_since, which the
        post-hook incremental_commit() publishes in pmd_incremental.windows); loaded_at and
        built_at stay as they are until then -#}
    {%- do run_query(
        "insert or replace into pmd_incremental.watermarks "
        ~ "(model_name, pending_loaded_at, loaded_at, built_at, pending_since) "
        ~ "select '" ~ key ~ "', " ~ pending_sql ~ ", "
        ~ "(select max(loaded_at) from pmd_incremental.watermarks where model_name = '" ~ key ~ "'), "
        ~ "(select max(built_at) from pmd_incremental.watermarks where model_name = '" ~ key ~ "'), "
        ~ "date '" ~ since ~ "'"
    ) -%}
    {{ return("date '" ~ since ~ "'") }}
{%- endmacro %}


{#- The ledger rows of the given datasets (all when none), as a SQL condition. -#}
{% macro _dataset_filter(datasets) -%}
    {%- if datasets -%}
        {{ return("dataset in ('" ~ datasets | join("', '") ~ "')") }}
    {%- endif -%}
    {{ return('true') }}
{%- endmacro %}


{#- The rebuild's first day (see above) from the files loaded after the watermark `key` up to
    `pending_sql`; '9999-12-31' when there is none. -#}
{% macro _new_data_since(source, dataset_filter, key, by_fetch, pending_sql) -%}
    {%- set lookback = var('incremental_lookback_days').get(source, 0) -%}
    {%- set ledger = 'raw_' ~ source ~ '.pmd_loaded_files' -%}
    {%- set extents = 'raw_' ~ source ~ '.pmd_file_extents' -%}
    {%- set query -%}
        with seen as (
            select loaded_at from pmd_incremental.watermarks where model_name = '{{ key }}'
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
            {%- if by_fetch %}
            select cast(new_files.fetched_at as date) as first_day
            {%- else %}
            select coalesce(
                (
                    select min(cast(extents.first_data as date)) from {{ extents }} as extents
                    where extents.path = new_files.path and extents.fetched_at = new_files.fetched_at
                ),
                new_files.period_start,
                date '1900-01-01'
            ) as first_day
            {%- endif %}
            from new_files
        ),

        latest as (
            {%- if by_fetch %}
            select date '9999-12-31' as last_day
            {%- else %}
            select max(cast(last_data as date)) as last_day from {{ extents }} where {{ dataset_filter }}
            {%- endif %}
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
    {{ return('9999-12-31' if row[1] == 0 else row[0]) }}
{%- endmacro %}


{#- What incremental_since(source) will return for the model whose watermark is `key` when it
    builds later in this invocation, without recording anything: for the tests of the views
    that model reads (macros/test_scope.sql), which run before it builds. A SQL date literal, or
    none when the model has no committed watermark (it will read every row). -#}
{% macro incremental_since_preview(source, key, datasets=none) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set ledger = adapter.get_relation(
        database=target.database, schema='raw_' ~ source, identifier='pmd_loaded_files'
    ) -%}
    {%- set state = adapter.get_relation(
        database=target.database, schema='pmd_incremental', identifier='watermarks'
    ) -%}
    {%- if ledger is none or state is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set dataset_filter = _dataset_filter(datasets) -%}
    {%- set row = run_query(
        "select (select count(*) from pmd_incremental.watermarks where model_name = '" ~ key
        ~ "' and loaded_at is not null), coalesce((select cast(max(loaded_at) as varchar) from "
        ~ ledger ~ " where " ~ dataset_filter ~ "), '')"
    ).rows[0] -%}
    {%- if row[0] == 0 or row[1] == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set since = _new_data_since(source, dataset_filter, key, false, "timestamptz '" ~ row[1] ~ "'") -%}
    {{ return("date '" ~ since ~ "'") }}
{%- endmacro %}


{#- post-hook of every incremental_by_date model: the pending watermark becomes current. -#}
{% macro incremental_commit() -%}
{%- set keys -%}
model_name = '{{ this.identifier }}' or starts_with(model_name, '{{ this.identifier }}@')
{%- endset -%}
insert or replace into pmd_incremental.windows
select
    '{{ this.identifier }}',
    '{{ config.get("unique_key") }}',
    since,
    '{{ invocation_id }}',
    now(),
    {#- dates rewritten since exports_manifest last wrote this model's files -#}
    least(since, coalesce(
        (select w.export_since from pmd_incremental.windows as w where w.model_name = '{{ this.identifier }}'),
        since
    ))
from (
    {#- no pending day (a source never loaded): the whole table was written -#}
    select coalesce(min(pending_since), date '1900-01-01') as since
    from pmd_incremental.watermarks
    where {{ keys }}
);
update pmd_incremental.watermarks
set loaded_at = pending_loaded_at, built_at = now()
where {{ keys }}
{%- endmacro %}


{#-
  The rows the current invocation rewrote in an incremental model, as a SQL condition
  ("<date column> >= date '<since>'"), or none when the model was not built by this
  invocation or was written whole (a first build, --full-refresh: every row is new).
-#}
{% macro incremental_window_condition(identifier) -%}
    {%- set window = incremental_rebuilt_window(identifier) -%}
    {%- if window is none or window[1] == '1900-01-01' -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.quote(window[0]) ~ " >= date '" ~ window[1] ~ "'") }}
{%- endmacro %}


{#- (date column, first rebuilt day as 'YYYY-MM-DD') of an incremental model the current
    invocation has built ('1900-01-01': written whole), or none when it has not built it (yet).
    Once the model is built its window is final for the invocation, so it is looked up once for
    all of its tests (68 lookups of a daily build were 22 windows), kept in `graph`, the one dict
    every node of this invocation sees; a model not built yet is asked again. -#}
{% macro incremental_rebuilt_window(identifier) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set built = graph.setdefault('pmd_rebuilt_windows', {}) -%}
    {%- if identifier in built -%}
        {{ return(built[identifier]) }}
    {%- endif -%}
    {%- set rows = run_query(
        "select date_column, cast(since as varchar) from pmd_incremental.windows "
        ~ "where model_name = '" ~ identifier ~ "' and invocation_id = '" ~ invocation_id ~ "'"
    ).rows -%}
    {%- if rows | length == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- do built.update({identifier: (rows[0][0], rows[0][1])}) -%}
    {{ return(built[identifier]) }}
{%- endmacro %}


{#-
  Feature models (ml/features/feat_*, ml_features) are incremental by delivery date too. A row of
  delivery day D reads inputs of data days up to D (the label, and values keyed by D itself such
  as OCCTO's reserve margin of D) and of earlier days (latest public day, week ago, 7-day
  windows, ASOF "latest snapshot before the gate"). Every one of these is monotone in D: a new or
  revised input row of data day d can change only the rows of delivery days >= d (a latest-public
  value keeps being used until a newer day becomes public, so all later days are rebuilt). Hence

    feature since = least over the model's sources of incremental_since(source) (already one day
                    before the first new data day, and within the source's lookback)

  with one watermark per model and source (<model>@<source>), committed together by
  incremental_commit(). HJKS snapshots count by fetch time (a snapshot fetched at t is used from
  the first gate after t; its rows' own last-update stamps reach years back). A source whose
  ledger does not exist yet (never loaded) has nothing new. Seed or model-code changes need
  `dbt build --full-refresh`, as for every incremental model.

  `sources`: a list of source names, or of (source, by_fetch) pairs; every feature model lists
  'jepx' (its spine, feat_calendar, grows with the spot results). Returns a SQL date literal.
  A mart whose row of day D reads several sources' rows of D only (dq_occto_split_vs_flow: the
  day's JEPX prices and OCCTO capacities) rebuilds from the same least day.
-#}
{% macro feature_since(sources) -%}
    {%- if not execute or this is none -%}
        {{ return("date '1900-01-01'") }}
    {%- endif -%}
    {%- set ns = namespace(since='9999-12-31') -%}
    {%- for entry in sources -%}
        {%- set source = entry if entry is string else entry[0] -%}
        {%- set by_fetch = false if entry is string else entry[1] -%}
        {%- set ledger = adapter.get_relation(
            database=this.database, schema='raw_' ~ source, identifier='pmd_loaded_files'
        ) -%}
        {%- if ledger is none and is_incremental() -%}
            {#- never loaded: nothing new from this source -#}
            {%- set day = '9999-12-31' -%}
        {%- else -%}
            {%- set day = incremental_since(
                source, none, watermark_key=this.identifier ~ '@' ~ source, by_fetch=by_fetch
            ).split("'")[1] -%}
        {%- endif -%}
        {%- if day < ns.since -%}
            {%- set ns.since = day -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return("date '" ~ ns.since ~ "'") }}
{%- endmacro %}


{#-
  The first data day a feature model must read to rebuild delivery days >= `since` exactly:
  values are looked up from the latest data day public at the gate (latest_available_day), the
  week before it and 7-day windows ending at it. With `horizon_days` an upper bound of the
  source's publication delay (every data day d is public by the gate of d + horizon_days), each
  area's latest day <= since - horizon_days is public at the gate of `since`, so the latest
  public day of every delivery day >= since (monotone) is no older than that anchor; reading from
  the oldest area's anchor minus `window_days` covers the windows and week-ago lookups. An area
  without such a day has all its rows after since - horizon_days, which the read covers too.
  `where`: an extra filter of the relation (e.g. the gate vintage). Returns a SQL date literal.
-#}
{% macro feature_context_start(since, relation, date_column, area_column=none, horizon_days=7, window_days=7, where='true') -%}
    {%- set day = since.split("'")[1] -%}
    {%- if not execute or day in ('1900-01-01', '9999-12-31') -%}
        {{ return(since) }}
    {%- endif -%}
    {%- set query -%}
        select cast(least(
            {{ since }} - {{ horizon_days | int }},
            coalesce(min(anchor), {{ since }} - {{ horizon_days | int }})
        ) - {{ window_days | int }} as varchar)
        from (
            select max(cast({{ date_column }} as date)) as anchor
            from {{ relation }}
            where {{ where }} and cast({{ date_column }} as date) <= {{ since }} - {{ horizon_days | int }}
            {% if area_column %}group by {{ area_column }}{% endif %}
        ) as anchors
    {%- endset -%}
    {{ return("date '" ~ run_query(query).columns[0].values()[0] ~ "'") }}
{%- endmacro %}
