-- The publication calendar of every source in one relation: the files
-- seeds/publication_rules/<source>_publication_rules.csv read with one glob, so a new source's
-- calendar file is picked up without touching this model (dbt cannot ref seeds it does not know
-- at parse time; the per-source seeds are the same rows, and the feature macros ref them one by
-- one through `publication_availability`). Column types are the seeds' (dbt_project.yml).
select
    source || '.' || dataset || '.' || area_code as rule_key,
    source,
    dataset,
    area_code,
    cadence,
    rule,
    lag_days,
    month_day,
    period,
    available_time_jst,
    margin_hours,
    evidence,
    coalesce(calendar, 'jp') as calendar
from read_csv(
    '{{ invocation_args_dict.get("project_dir") or "." }}/seeds/publication_rules/*_publication_rules.csv',
    header = true,
    -- files may add optional columns (calendar: the business-day calendar, 'jp' when absent)
    union_by_name = true,
    types = {
        'source': 'VARCHAR',
        'dataset': 'VARCHAR',
        'area_code': 'VARCHAR',
        'cadence': 'VARCHAR',
        'rule': 'VARCHAR',
        'lag_days': 'INTEGER',
        'month_day': 'INTEGER',
        'period': 'VARCHAR',
        'available_time_jst': 'VARCHAR',
        'margin_hours': 'DOUBLE',
        'evidence': 'VARCHAR'
    }
)
