"""Incremental marts and feature models equal a full build (issue 11).

The demo archive is loaded in two halves (per dataset, the files with the earlier periods
first): extract + `dbt build` after the first half, then the rest + an incremental `dbt build`,
then a build with nothing new. Every incremental mart must then hold exactly the rows of the
session's from-scratch build of the whole archive (EXCEPT both ways), and every Parquet export
must have the bytes of that build's export."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import REPO
from test_warehouse_truth_e2e import dbt, file_hashes

pytestmark = pytest.mark.e2e

INCREMENTAL_MARTS = [
    "fct_jepx_spot_area_prices",
    "fct_jepx_intraday_prices",
    "fct_area_supply_demand",
    "fct_area_demand_halfhourly",
    "fct_weather_hourly",
    "fct_area_weather_hourly",
    "fct_interconnector_flows_5min",
    "fct_interconnector_flows",
    "fct_unit_generation_halfhourly",
    "fct_area_generation_by_fuel_halfhourly",
    "fct_jepx_bid_curve_steps",
    "fct_jepx_bid_curve_summary",
    "fct_jepx_splitting_areas",
    "dq_occto_split_vs_flow",
]
# the feature models, incremental by delivery date over every source that feeds them
FEATURE_MODELS = [
    "feat_calendar",
    "feat_prices",
    "feat_supply_demand",
    "feat_weather",
    "feat_occto",
    "feat_futures",
    "feat_supply",
    "ml_features",
]
INCREMENTAL = [f"marts.{m}" for m in INCREMENTAL_MARTS] + [f"ml.{m}" for m in FEATURE_MODELS]
# the demo's second half changes these (the OCCTO flows are one file, loaded in the first; the
# spine is complete after the first half, whose JEPX files include spot_2024.csv): newer JMA days
# become the latest public ones
CHANGING = [f"marts.{m}" for m in INCREMENTAL_MARTS[:6] + ["fct_unit_generation_halfhourly"]
            + INCREMENTAL_MARTS[10:13]] + ["ml.feat_weather", "ml.ml_features"]


def first_half_archive(dest: Path) -> Path:
    """A copy of the demo archive whose manifests list, per dataset, the first half of the
    files by period (every version of one file stays together)."""
    from extract.core.config import DEMO_ARCHIVE

    shutil.copytree(DEMO_ARCHIVE, dest)
    for manifest in dest.glob("*/manifest.jsonl"):
        entries = [json.loads(line) for line in manifest.read_text().splitlines() if line.strip()]
        by_dataset: dict[str, list[str]] = {}
        for e in sorted(entries, key=lambda e: (e.get("period_start") or "", e["name"])):
            names = by_dataset.setdefault(e["dataset"], [])
            if e["name"] not in names:
                names.append(e["name"])
        keep = {(ds, n) for ds, names in by_dataset.items() for n in names[: (len(names) + 1) // 2]}
        manifest.write_text("".join(
            json.dumps(e, ensure_ascii=False) + "\n" for e in entries if (e["dataset"], e["name"]) in keep
        ))
    return dest


def extract(data: Path, archive: Path) -> None:
    from extract.demo import seed
    from extract.run import main

    seed(data, archive)
    assert main(["all", "--offline", "--data-dir", str(data)]) == 0


def build(data: Path, *args: str) -> str:
    proc = dbt(data, "build", *args)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    return proc.stdout


def fingerprint(con, relation: str) -> tuple[int, str]:
    """Row count and order-free sum of row hashes of `schema.model`."""
    return con.execute(f"select count(*), cast(sum(cast(hash(t) as hugeint)) as varchar) "
                       f"from {relation} as t").fetchone()


def row_difference(con, relation: str) -> tuple[int, int]:
    missing = con.execute(
        f"select count(*) from (select * from full_build.{relation} "
        f"except all select * from {relation})").fetchone()[0]
    extra = con.execute(
        f"select count(*) from (select * from {relation} "
        f"except all select * from full_build.{relation})").fetchone()[0]
    return missing, extra


@pytest.fixture(scope="module")
def incremental(built, tmp_path_factory):
    from extract.core.config import DEMO_ARCHIVE

    root = tmp_path_factory.mktemp("incremental")
    data = root / "data"
    data.mkdir()
    extract(data, first_half_archive(root / "half_archive"))
    build(data)
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    first_counts = {m: fingerprint(con, m) for m in INCREMENTAL}
    con.close()
    # the first half's state, for the tests of a build that skips the export
    shutil.copytree(data, root / "half_data", ignore=shutil.ignore_patterns("dbt_target", "dbt_logs"))
    extract(data, DEMO_ARCHIVE)
    out = build(data)
    return data, first_counts, out


def test_marts_are_incremental(incremental):
    data, _, out = incremental
    for relation in INCREMENTAL:
        assert f"incremental model {relation} " in out, relation


def test_feature_models_rebuild_only_the_days_new_inputs_reach(incremental):
    """The second build of the feature models is a delete+insert of the delivery days from the
    earliest day any newly loaded file reaches, not of the whole history: every feature model
    and source has its own watermark, and the compiled models read from a date, not 1900."""
    data, _, _ = incremental
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    keys = {r[0] for r in con.execute("select model_name from pmd_incremental.watermarks "
                                      "where loaded_at is not null").fetchall()}
    first_day = con.execute("select min(delivery_date) from ml.ml_features").fetchone()[0]
    con.close()
    for model in FEATURE_MODELS:
        assert f"{model}@jepx" in keys, model
    assert {"ml_features@tso", "ml_features@jma", "ml_features@occto", "ml_features@hjks"} <= keys

    def since(model: str) -> str:
        compiled = next((data / "dbt_target" / "compiled").rglob(f"{model}.sql")).read_text()
        return re.search(r">= date '(\d{4}-\d{2}-\d{2})'", compiled).group(1)

    # every model rebuilds a window (TSO's 62-day lookback reaches before the demo's first day)
    assert all("1900-01-01" < since(m) < "9999-12-31" for m in FEATURE_MODELS)
    # the second half's JEPX files start in FY2024 (April): the price features keep March
    assert since("feat_prices") > str(first_day)


def test_incremental_marts_equal_a_full_build(built, incremental):
    full, _ = built
    data, first_counts, _ = incremental
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    con.execute(f"attach '{full / 'warehouse.duckdb'}' as full_build (read_only)")
    for relation in INCREMENTAL:
        if relation in CHANGING:
            assert fingerprint(con, relation) != first_counts[relation], (relation, "the second half changed nothing")
        assert row_difference(con, relation) == (0, 0), relation
    con.close()


def test_incremental_exports_have_the_bytes_of_a_full_export(built, incremental):
    full, _ = built
    data, _, _ = incremental
    assert file_hashes(data / "exports") == file_hashes(full / "exports")


def test_a_file_whose_rows_grew_is_rewritten_without_hashing_them(incremental):
    """A yearly file whose row count changed has new content: the second build rewrote it
    without fingerprinting its rows, so its manifest row records no content hash (the next
    build compares with the file's own fingerprint: test_nothing_new_rebuilds_and_rewrites_nothing).
    A whole mart's single file is always fingerprinted."""
    data, _, _ = incremental
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    con.execute(f"attach '{data.parent / 'half_data' / 'warehouse.duckdb'}' as half (read_only)")
    grown = con.execute("""
        select now.export_path, now.written, now.content_hash is null
        from ml.exports_manifest as now
        inner join half.ml.exports_manifest as before using (export_path)
        where now.row_count <> before.row_count and now.delivery_year is not null
    """).fetchall()
    con.close()
    assert len(grown) >= 3, grown
    assert all(written and unhashed for _, written, unhashed in grown), grown


def test_nothing_new_rebuilds_and_rewrites_nothing(incremental, tmp_path):
    data, _, _ = incremental
    copy = tmp_path / "data"
    shutil.copytree(data, copy, ignore=shutil.ignore_patterns("dbt_target", "dbt_logs"))
    before = file_hashes(copy / "exports")
    build(copy)
    con = duckdb.connect(str(copy / "warehouse.duckdb"), read_only=True)
    written = con.execute("select count(*) from ml.exports_manifest where written").fetchone()[0]
    con.close()
    assert written == 0
    assert file_hashes(copy / "exports") == before


def test_full_refresh_equals_the_incremental_path(built, incremental, tmp_path):
    """`dbt build --full-refresh` on the incrementally built warehouse gives the same rows."""
    full, _ = built
    data, _, _ = incremental
    copy = tmp_path / "data"
    shutil.copytree(data, copy, ignore=shutil.ignore_patterns("dbt_target", "dbt_logs"))
    build(copy, "--full-refresh", "-s", *INCREMENTAL_MARTS, *FEATURE_MODELS)
    con = duckdb.connect(str(copy / "warehouse.duckdb"), read_only=True)
    con.execute(f"attach '{data / 'warehouse.duckdb'}' as full_build (read_only)")
    for relation in INCREMENTAL:
        assert row_difference(con, relation) == (0, 0), relation
    con.close()


def test_lookback_is_declared_once_per_source():
    text = (REPO / "dbt_project" / "dbt_project.yml").read_text()
    assert "incremental_lookback_days:" in text
    for source in ("jepx", "tso", "jma"):
        assert f"\n    {source}:" in text


def test_a_skipped_export_is_caught_up_and_daily_tests_read_the_rebuilt_days(built, incremental, tmp_path,
                                                                             monkeypatch):
    """The daily job's build (unit tests excluded, PMD_TEST_SCOPE=rebuilt) of the second half,
    with the export left out (as when an upstream test fails and dbt skips it): the generic tests
    of the rebuilt incremental models read the rebuilt dates only, and the dates wait in
    pmd_incremental.windows until exports_manifest runs, which then writes what a full build
    writes, byte for byte."""
    full, _ = built
    data = tmp_path / "data"
    shutil.copytree(incremental[0].parent / "half_data", data)
    from extract.core.config import DEMO_ARCHIVE

    extract(data, DEMO_ARCHIVE)
    monkeypatch.setenv("PMD_TEST_SCOPE", "rebuilt")
    build(data, "--exclude", "exports_manifest", "--exclude-resource-type", "unit_test")
    monkeypatch.delenv("PMD_TEST_SCOPE")
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    windows = {m: (c, str(s), str(e)) for m, c, s, e in con.execute(
        "select model_name, date_column, since, export_since from pmd_incremental.windows").fetchall()}
    con.close()
    column, since, export_since = windows["fct_jepx_spot_area_prices"]
    assert column == "delivery_date" and "2024-01-01" < since < "9999-12-31"
    assert export_since == since  # not exported yet
    assert windows["fct_weather_hourly"][0] == "observed_date"
    # every generic test of the mart reads the rebuilt days only
    tests = [p.read_text() for p in (data / "dbt_target" / "compiled").rglob("*.sql")
             if '"fct_jepx_spot_area_prices"' in p.read_text() and "/_core__models.yml/" in str(p)]
    assert tests and all(f""""delivery_date" >= date '{since}'""" in t for t in tests)
    # the tests of a view whose mart reads it through a macro (no ref: dbt may build the mart
    # before or after them) read the days that mart rebuilt, whichever ran first
    manifest = json.loads((data / "dbt_target" / "manifest.json").read_text())
    followed = {node["name"]: node["config"]["meta"]["test_window"] for node in manifest["nodes"].values()
                if node["resource_type"] == "model" and node["config"].get("meta", {}).get("test_window")}
    checked = 0
    for node in manifest["nodes"].values():
        view = node.get("attached_node", "") or ""
        name = view.split(".")[-1]
        if node["resource_type"] != "test" or name not in followed:
            continue
        window = followed[name]
        rebuilt = windows[window["model"]][1]
        compiled = (data / "dbt_target" / "compiled" / "powermarketdata" / node["original_file_path"]
                    / node["path"]).read_text()
        assert f"{window['date']} >= date '{rebuilt}'" in compiled, (node["name"], rebuilt)
        checked += 1
    assert checked >= 9
    # singular tests and tests of table models still read everything
    singular = next((data / "dbt_target" / "compiled").rglob("dq_tso_day_incomplete.sql")).read_text()
    assert "dbt_subquery" not in singular

    build(data, "-s", "exports_manifest")
    assert file_hashes(data / "exports") == file_hashes(full / "exports")
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    pending = con.execute("select count(*) from pmd_incremental.windows "
                          "where export_since < date '9999-12-31' and model_name like 'fct_jepx_spot%'").fetchone()[0]
    con.close()
    assert pending == 0


def test_plain_build_tests_every_row(incremental):
    """Without PMD_TEST_SCOPE=rebuilt (the default: all), a generic test reads its whole model."""
    data, _, _ = incremental
    tests = [p.read_text() for p in (data / "dbt_target" / "compiled").rglob("*.sql")
             if '"fct_jepx_spot_area_prices"' in p.read_text() and "/_core__models.yml/" in str(p)]
    assert tests and not any("delivery_date\" >= date" in t for t in tests)
