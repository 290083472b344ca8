{#-
  The rows of one OCCTO web-kohyo raw table (reserve margin or interconnectors: the same file
  family, the same time and horizon conventions), with what every such row needs:
  `horizon` (the file kind's horizon from seed occto_data_kinds; the combined 翌日/当日 kind split
  by publication date: published before the target date = day_ahead, else same_day),
  `delivery_date`, `delivery_period` (the period-END label HH:MM -> the period it ends, 1..48)
  and its start in JST and UTC. Every raw column is kept for the staging model to rename.
-#}
{% macro occto_kohyo_rows(relation) -%}
    select
        source.*,
        case
            when kinds.horizon <> 'day_ahead_same_day' then kinds.horizon
            when cast(source.published_at_jst as date) < source.target_date then 'day_ahead'
            else 'same_day'
        end as horizon,
        source.target_date as delivery_date,
        cast(
            (
                cast(split_part(source.time_label, ':', 1) as integer) * 60
                + cast(split_part(source.time_label, ':', 2) as integer)
            ) / 30 as integer
        ) as delivery_period,
        {{ period_start_jst('source.target_date', 'delivery_period') }} as delivery_start_jst,
        {{ jst_to_utc(period_start_jst('source.target_date', 'delivery_period')) }} as delivery_start_utc
    from {{ relation }} as source
    inner join {{ ref('occto_data_kinds') }} as kinds
        on source.jhsybt = kinds.code and kinds.system = 'kohyo'
{%- endmacro %}
