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

{#-
  The line ends of `ends` (one row per area x delivery_date x delivery_period x line, with
  line_kind and fenced_region from the seed interconnectors) that count for their area: a fence
  published for an area and period replaces that area's ordinary lines of the same
  fenced_region (the central region 中部/北陸/関西: 北陸フェンス, and from 2026-03-13 the 中部 and
  関西 fences, stand for the lines between those areas). Used by feat_occto for capacity and for
  flows.
-#}
{% macro occto_fence_kept(ends) -%}
    select *
    from {{ ends }}
    qualify
        line_kind = 'fence'
        or fenced_region is null
        or not bool_or(line_kind = 'fence') over (
            partition by area_code, delivery_date, delivery_period, fenced_region
        )
{%- endmacro %}
