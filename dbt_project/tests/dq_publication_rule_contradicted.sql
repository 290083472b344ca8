-- The archive saw a day still missing after the publication calendar says it is public: the
-- calendar is too optimistic (features trusting it leak). Warn (rows stored), never an error:
-- correct the rule in seeds/publication_rules/ (see dq_publication_lag).
{{ config(severity='warn', store_failures=true) }}
select * from {{ ref('dq_publication_lag') }}
where contradicted_days > 0
