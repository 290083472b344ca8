"""Python and SQL read the same reference data and name the same columns (one place for lists).

The seeds are the single source: these tests fail when the extractors and the dbt models
disagree about areas, stations, TSO conventions or the columns both sides use.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extract.core.refdata import areas, price_areas, read_seed
from extract.sources.jepx.spot import AREAS as JEPX_HEADER_AREAS
from extract.sources.jma import stations
from extract.sources.tso import common
from extract.sources.tso.settings import COMMON, conventions

pytestmark = pytest.mark.e2e


def columns(con, schema: str, table: str) -> set[str]:
    return {r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = ? and "
        "table_name = ?", [schema, table]).fetchall()}


def test_area_seed_in_the_warehouse_is_what_python_reads(warehouse):
    sql = warehouse.execute("select area_code, area_slug, frequency_hz, jepx_area_order "
                            "from seeds.areas order by area_code").fetchall()
    assert sql == [(a.code, a.slug, a.frequency_hz, a.price_order) for a in areas()]


def test_jepx_area_columns_follow_the_seed_in_raw_staging_and_marts(warehouse):
    slugs = [a.slug for a in price_areas()]
    assert list(JEPX_HEADER_AREAS.values()) == slugs
    for schema, table in (("raw_jepx", "spot_summary"), ("staging", "stg_jepx__spot_prices")):
        assert {f"area_price_{s}_jpy_kwh" for s in slugs} <= columns(warehouse, schema, table)
    mart = {r[0] for r in warehouse.execute(
        "select distinct area_code from marts.fct_jepx_spot_area_prices").fetchall()}
    assert mart == {a.code for a in price_areas()}


def test_tso_value_columns_reach_staging_and_the_mart(warehouse):
    python = set(common.VALUE_COLUMNS.values())
    assert python <= columns(warehouse, "staging", "stg_tso__area_supply_demand")
    assert python <= columns(warehouse, "marts", "fct_area_supply_demand")


def test_tso_conventions_seed_covers_every_area_python_plans():
    assert set(conventions()) == set(COMMON) == {a.code for a in areas()}
    rows = read_seed("tso_conventions")
    assert {r["common_time_label"] for r in rows} <= {"start", "end"}


def test_tso_staging_takes_each_areas_conventions_from_the_seed(warehouse):
    """No staging SQL branches on an area code; every common-format row is shifted and signed
    as its area's seed row says (the rows Python parsed with the same seed)."""
    staging = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "staging" / "tso"
    for path in staging.rglob("*.sql"):
        assert not re.search(r"area_code\s*(=|in\s*\()\s*'\d+'", path.read_text()), path
    checked, wrong = warehouse.execute("""
        select count(*), count(*) filter (where
            s.interval_start_jst is distinct from cast(r.slot_date as timestamp)
                + to_minutes(r.time_minutes - case c.common_time_label when 'end' then 30 else 0 end)
            or s.interconnection_mw is distinct from case c.common_interconnection_sign
                when 'export_positive' then -r.interconnection_mw else r.interconnection_mw end)
        from raw_tso.area_supply_demand as r
        join seeds.tso_conventions as c on r.area_code = c.area_code
        join staging.stg_tso__area_supply_demand as s
          on s.area_code = r.area_code and s.slot_date = r.slot_date
         and s.time_label = r.time_label and s.source_file = r._source_file
    """).fetchone()
    areas_seen = warehouse.execute(
        "select count(distinct area_code) from staging.stg_tso__area_supply_demand").fetchone()[0]
    assert checked == warehouse.execute(
        "select count(*) from staging.stg_tso__area_supply_demand").fetchone()[0] > 0
    assert wrong == 0 and areas_seen == len(conventions())


def test_weather_stations_are_one_list(warehouse):
    sql = {r[0] for r in warehouse.execute("select station_id from seeds.weather_stations").fetchall()}
    assert sql == {s.station_id for s in stations()}
