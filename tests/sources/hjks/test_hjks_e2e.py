"""HJKS on the demo build: latest revision per event, decoded codes, capacity as known at each
snapshot day."""

from __future__ import annotations

import datetime as dt
import os

import pytest

pytestmark = pytest.mark.e2e


def test_snapshots_are_all_kept_in_raw(warehouse):
    snapshots = warehouse.execute(
        "select count(distinct _source_file), count(*) from raw_hjks.outages").fetchone()
    assert snapshots == (3, 17)
    assert warehouse.execute("select count(distinct _fetched_at) from raw_hjks.units").fetchone()[0] == 2


def test_latest_revision_per_event(warehouse):
    assert warehouse.execute("select count(*) from marts.fct_unit_outages").fetchone()[0] == 7
    row = warehouse.execute("""
        select expected_recovery_date, revision_count, outage_category, outage_kind, affected_mw,
               outage_reason_ja, area_code, fuel_type
        from marts.fct_unit_outages where plant_code = '10006'
    """).fetchone()
    assert row[:5] == (dt.date(2024, 4, 9), 2, "unplanned_outage", "equipment_failure", 350.0)
    assert "\n" in row[5] and row[6:] == ("01", "coal")
    derating = warehouse.execute("""
        select affected_mw, outage_kind_code from marts.fct_unit_outages where plant_code = '30509'
    """).fetchone()
    assert derating == (200.0, "9")  # 低下・燃料制約, 200,000 kW with a thousands separator


def test_offline_capacity_as_known_at_each_snapshot(warehouse):
    maizuru = dict(warehouse.execute("""
        select as_of_date, planned_offline_mw from marts.fct_area_outage_capacity_daily
        where area_code = '06' and fuel_type = 'coal' and outage_date = date '2024-04-14'
    """).fetchall())
    assert maizuru == {dt.date(2024, 4, 7): 900.0, dt.date(2024, 4, 14): 900.0}
    # Tomato-Atsuma 1: expected back 04-05 as known on 04-07, 04-09 as known on 04-14: never
    # in an outlook that starts on the as-of day
    tomatoh = warehouse.execute("""
        select count(*) from marts.fct_area_outage_capacity_daily
        where area_code = '01' and fuel_type = 'coal'
    """).fetchone()[0]
    assert tomatoh == 0
    nuclear = warehouse.execute("""
        select count(*), min(total_offline_mw) from marts.fct_area_outage_capacity_daily
        where area_code = '01' and fuel_type = 'nuclear' and as_of_date = date '2024-04-14'
    """).fetchone()
    assert nuclear == (14, 579.0)  # Tomari 1, open-ended since 2011, from the weekly full list


def _outage_rows(con) -> list[tuple]:
    return con.execute("select * from marts.fct_area_outage_capacity_daily "
                       "order by area_outage_key").fetchall()


def test_offline_capacity_incremental_run_equals_the_full_build(built, tmp_path):
    """The mart is incremental by as_of_date: with its latest snapshot day removed, an
    incremental run puts back exactly the rows of the full build (and so does
    --full-refresh)."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import duckdb

    repo = Path(__file__).resolve().parents[3]
    dbt = Path(sys.executable).with_name("dbt")
    base, _ = built
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy2(base / "warehouse.duckdb", data / "warehouse.duckdb")
    con = duckdb.connect(str(data / "warehouse.duckdb"))
    full = _outage_rows(con)
    last = con.execute("select max(as_of_date) from marts.fct_area_outage_capacity_daily"
                       ).fetchone()[0]
    con.execute("delete from marts.fct_area_outage_capacity_daily where as_of_date = ?", [last])
    con.close()
    env = {**os.environ, "PMD_DATA_DIR": str(data), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    for extra in ([], ["--full-refresh"]):
        proc = subprocess.run(
            [str(dbt), "run", "--profiles-dir", str(repo), "--target-path",
             str(data / "dbt_target"), "--log-path", str(data / "dbt_logs"),
             "--select", "fct_area_outage_capacity_daily", *extra],
            cwd=repo / "dbt_project", env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout[-4000:]
        con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
        assert _outage_rows(con) == full, extra
        con.close()
