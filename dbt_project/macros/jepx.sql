{#-
  The nine JEPX price areas in JEPX's column order (Okinawa has no JEPX price). The list must
  equal seeds/areas.csv's JEPX areas ordered by jepx_area_order: the singular test
  tests/assert_jepx_area_slugs_match_areas_seed.sql fails when they disagree. (A run_query on the
  seed is not available at parse time, when the column lists are rendered.)
-#}
{% macro jepx_area_slugs() -%}
    {{ return(['hokkaido', 'tohoku', 'tokyo', 'chubu', 'hokuriku', 'kansai', 'chugoku', 'shikoku', 'kyushu']) }}
{%- endmacro %}
