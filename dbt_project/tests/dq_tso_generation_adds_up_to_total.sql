-- Publisher fact, not a contract break: warn (rows stored) and list it in dq_source_issues.
{{ config(severity='warn', store_failures=true) }}
select * from {{ ref('dq_source_issues') }}
where check_name = 'tso_generation_adds_up_to_total'
