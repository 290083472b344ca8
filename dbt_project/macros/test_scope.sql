{#-
  Data tests of the rows this build rewrote (issue 11): `PMD_TEST_SCOPE=rebuilt dbt build`.

  By default (PMD_TEST_SCOPE=all) every data test reads its whole model. With rebuilt, a
  generic test (unique, not_null, accepted_values, relationships, the project's own generic
  tests) on an incremental model that this invocation rebuilt by date reads only the rebuilt
  dates: the model's unique_key date column >= the first rebuilt day, as recorded by
  incremental_commit() in pmd_incremental.windows. The rows outside the window are the rows the
  previous build wrote and tested, untouched since (delete+insert by date), and every grain of
  an incremental model contains its date, so a duplicate key can only arise inside the window.
  A model written whole (first build, --full-refresh), a table or view model, a source or seed,
  a model this invocation did not build, and singular tests are tested whole as before (only an
  incremental model's tests look its window up).

  A staging or intermediate view over the history of the files an incremental mart reads can
  follow the mart's window: `config: meta: test_window: {source: <source>, model: <the mart>,
  date: <the view's date or JST timestamp column>}` (and `datasets` when the mart's
  incremental_since names them). A bare timestamp column rather than a cast to date: DuckDB
  pushes `ts >= date 'd'` below the views' version windows, not a cast (where the view's column
  is the raw one; a column computed in staging is filtered after the whole view). A mart that
  reads the view through a macro does not ref it, so dbt runs the view's tests before or after
  the mart: after, they read the mart's recorded window (incremental_rebuilt_window); before,
  the day the mart will rebuild from (incremental_since_preview: the files loaded after the
  mart's watermark). The view's rows of earlier dates come from files the previous build had
  already read (that day is at or before the first data day of every newly loaded file), so the
  previous build tested them.

  The daily job (scripts/daily.sh) uses it; a plain `dbt build` tests everything. dbt calls
  get_where_subquery(model) for the model under test of every generic test; this project's
  default__ version (found before dbt's own) adds the window to the test's `where`.
-#}
{% macro default__get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {#- read when tests run, not when dbt parses them: a parse-time env_var would make every
        change of PMD_TEST_SCOPE re-parse every test -#}
    {%- set scope = env_var('PMD_TEST_SCOPE', 'all') if execute else 'all' -%}
    {%- if scope not in ('all', 'rebuilt') -%}
        {{ exceptions.raise_compiler_error(
            "PMD_TEST_SCOPE must be 'all' or 'rebuilt', not '" ~ scope ~ "'") }}
    {%- endif -%}
    {%- if scope == 'rebuilt' and execute and relation.identifier is defined -%}
        {%- set node = graph['nodes'].get('model.' ~ project_name ~ '.' ~ relation.identifier) -%}
        {%- set follows = (node.config.meta or {}).get('test_window') if node else none -%}
        {%- if follows -%}
            {#- the mart reads the view through a macro, not a ref, so dbt may build it before
                or after this test: its window once built, else what it will rebuild -#}
            {%- set rebuilt = incremental_rebuilt_window(follows['model']) -%}
            {%- if rebuilt is not none -%}
                {%- set since = none if rebuilt[1] == '1900-01-01' else "date '" ~ rebuilt[1] ~ "'" -%}
            {%- else -%}
                {%- set since = incremental_since_preview(
                    follows['source'], follows['model'], follows.get('datasets')
                ) -%}
            {%- endif -%}
            {%- set window = (follows['date'] ~ ' >= ' ~ since) if since else none -%}
        {%- elif node and node.config.materialized == 'incremental' -%}
            {%- set window = incremental_window_condition(relation.identifier) -%}
        {%- else -%}
            {#- a source, seed, view or table: tested whole, no window to look up -#}
            {%- set window = none -%}
        {%- endif -%}
        {%- if window -%}
            {%- do conditions.append(window) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
