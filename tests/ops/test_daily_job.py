"""scripts/daily.sh end to end on the demo archive: `due` loads what is public, then dbt builds
only the nodes downstream of the sources that loaded rows, without unit tests and without
re-creating views while the project's code is unchanged, with the data tests of incremental
models reading the rebuilt days (PMD_TEST_SCOPE=rebuilt)."""

from __future__ import annotations

import json
import os
import subprocess

import duckdb
import pytest
from conftest import REPO

from extract.demo import seed

pytestmark = pytest.mark.e2e

FRESH = "2024-04-14T00:00:00+09:00"  # every demo JEPX day is public, none is missing


def daily(data, *args) -> str:
    env = {**os.environ, "PMD_DATA_DIR": str(data), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "DBT_TARGET_PATH": str(data / "dbt_target"), "DBT_LOG_PATH": str(data / "dbt_logs")}
    env.pop("PMD_TEST_SCOPE", None)
    proc = subprocess.run(["bash", str(REPO / "scripts" / "daily.sh"), *args, "--offline",
                           "--now", FRESH], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=1500)
    return proc.stdout + proc.stderr


def comments(data) -> tuple[str, int]:
    """fct_weather_hourly's table comment and its number of columns without one."""
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        table = con.execute("select comment from duckdb_tables() where schema_name = 'marts' "
                            "and table_name = 'fct_weather_hourly'").fetchone()[0]
        bare = con.execute("select count(*) from duckdb_columns() where schema_name = 'marts' "
                           "and table_name = 'fct_weather_hourly' and comment is null").fetchone()[0]
    return table, bare


def test_daily_job_builds_what_the_loaded_source_reaches(tmp_path):
    data = tmp_path / "data"
    assert seed(data) > 0
    # the first run: JEPX is due (never loaded); the first build builds and tests every node
    out = daily(data, "jepx")
    assert "data tests: all; nodes: all; first build)" in out, out[-3000:]
    assert "Completed successfully" in out, out[-6000:]
    state = (data / "ops" / "dbt_last_build").read_text().split()
    assert state[0] == "ok" and len(state) == 2, state  # "ok <the project's code>"
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    first = con.execute("select max(built_at) from pmd_incremental.windows "
                        "where model_name = 'fct_jepx_spot_area_prices'").fetchone()[0]
    con.close()

    # the next run: JMA is due; only what JMA reaches is built, its tests on the rebuilt days
    with duckdb.connect(str(data / "warehouse.duckdb")) as con:
        con.execute("comment on table marts.fct_weather_hourly is 'kept'")
    out = daily(data, "jma")
    last = json.loads((data / "ops" / "last_due.json").read_text())
    assert set(last["rows_by_source"]) == {"jma"} and last["rows_loaded"] > 0, out[-3000:]
    assert "data tests: rebuilt; nodes: source:jma+, views kept)" in out, out[-3000:]
    assert "Completed successfully" in out, out[-6000:]
    assert (data / "ops" / "dbt_last_build").read_text().split() == state
    ran = {r["unique_id"] for r in json.loads(
        (data / "dbt_target" / "run_results.json").read_text())["results"]}
    # the views are not re-created, their tests still run; the JMA mart is rebuilt
    assert not [u for u in ran if u.startswith(("model.powermarketdata.stg_",
                                                "model.powermarketdata.int_"))], sorted(ran)
    assert [u for u in ran if u.startswith("test.powermarketdata.unique_grain_stg_jma__")], sorted(ran)
    assert "model.powermarketdata.fct_weather_hourly" in ran
    # its incremental run kept the comments its table had (PMD_DOCS_UNCHANGED: the code is the
    # last successful build's, which wrote every description): the marker below survives
    assert comments(data) == ("kept", 0)
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from marts.fct_weather_hourly").fetchone()[0] > 0
        built = dict(con.execute("select model_name, built_at from pmd_incremental.windows").fetchall())
    finally:
        con.close()
    assert built["fct_jepx_spot_area_prices"] == first  # no JMA table reaches it: not rebuilt
    assert built["fct_weather_hourly"] > first and built["ml_features"] > first
    assert (data / "exports" / "fct_weather_hourly" / "year_2024.parquet").exists()

    # the project's code changed since (here: the recorded code differs); nothing new is due,
    # yet every node is built, views and seeds included, and every row tested
    (data / "ops" / "dbt_last_build").write_text("ok 0000000000000000\n")
    out = daily(data, "jma")
    assert "nodes: all; the project's code changed)" in out, out[-3000:]
    assert "Completed successfully" in out, out[-6000:]
    assert (data / "ops" / "dbt_last_build").read_text().split() == state
    ran = {r["unique_id"] for r in json.loads(
        (data / "dbt_target" / "run_results.json").read_text())["results"]}
    assert "model.powermarketdata.stg_jma__hourly_obsdl_observations" in ran
    table, undocumented = comments(data)  # descriptions written again
    assert table.startswith("JMA hourly observations") and undocumented == 0, table
    assert [u for u in ran if u.startswith("seed.powermarketdata.")]
