{#-
  dbt writes every description into the warehouse (COMMENT ON the relation and each column,
  `persist_docs` in dbt_project.yml) after every build of a model: three queries and a render of
  every column's text for each incremental model of a daily build, although its descriptions
  only change with the project's code.

  The daily job (scripts/daily.sh) sets PMD_DOCS_UNCHANGED=1 when the project's code is the code
  of the last build that succeeded: that build wrote every model's descriptions (a code change
  makes the next daily build build every node, writing them again). An incremental run then keeps
  the comments its table already has; a table created whole, a view and a --full-refresh write
  them as before. Read when the model runs, not when dbt parses (a parse-time env_var would make
  every change of it re-parse the project).
-#}
{% macro duckdb__persist_docs(relation, model, for_relation=true, for_columns=true) -%}
    {%- if execute and env_var('PMD_DOCS_UNCHANGED', '') == '1' and is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(default__persist_docs(relation, model, for_relation, for_columns)) }}
{%- endmacro %}
