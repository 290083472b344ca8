"""`status` and `due` on a real warehouse: the demo archive, loaded by `due` itself."""

from __future__ import annotations

import json

import pytest

from extract import registry
from extract.demo import seed
from extract.ops.journal import journal_path
from extract.run import main

# the demo JEPX files hold delivery days 2024-03-18 .. 2024-04-14 (the spot file of D is public
# D-1 12:30, the intraday one D+1 12:00): at FRESH nothing is missing, at LATE days are
FRESH = "2024-04-14T00:00:00+09:00"
LATE = "2024-04-20T09:00:00+09:00"


@pytest.fixture(scope="module")
def jepx_data(tmp_path_factory):
    data = tmp_path_factory.mktemp("ops") / "data"
    assert seed(data) > 0
    return data


def status(capsys, data, *args) -> tuple[int, dict]:
    code = main(["status", "jepx", "--json", "--data-dir", str(data), *args])
    return code, json.loads(capsys.readouterr().out)


def test_due_runs_what_was_never_loaded_then_nothing(jepx_data, capsys):
    data = jepx_data
    assert main(["due", "jepx", "--dry-run", "--now", FRESH, "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    jepx_datasets = set(registry.get("jepx").datasets)  # spot, intraday, fit_fip, bid curves…
    assert out.count("never loaded") == len(jepx_datasets)
    assert main(["due", "jepx", "--offline", "--now", FRESH, "--data-dir", str(data)]) == 0
    last = json.loads((data / "ops" / "last_due.json").read_text())
    # spot 1344 + market excel 672 + intraday 1344 + fit_fip 672 + bid curves 78,330 + splits 933
    assert last["ok"] and last["rows_loaded"] == 1344 + 672 + 1344 + 672 + 78_330 + 933
    # scripts/daily.sh builds the dbt nodes downstream of these sources only
    assert last["rows_by_source"] == {"jepx": last["rows_loaded"]}
    assert {d["dataset"] for d in last["due"]} == jepx_datasets
    capsys.readouterr()
    assert main(["due", "jepx", "--dry-run", "--now", FRESH, "--data-dir", str(data)]) == 0
    assert "nothing is due" in capsys.readouterr().out
    assert main(["due", "jepx", "--dry-run", "--now", LATE, "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "held to 2024-04-14; 2024-04-15 public since 2024-04-14 12:30 JST" in out


def test_status_fresh_exits_0(jepx_data, capsys):
    code, doc = status(capsys, jepx_data, "--now", FRESH)
    assert code == 0 and doc["exit_code"] == 0
    rows = {d["dataset"]: d for d in doc["datasets"]}
    assert rows["spot_summary"]["rows"] == 1344 and rows["intraday"]["rows"] == 1344
    assert rows["spot_summary"]["latest_data"].startswith("2024-04-14")
    assert rows["spot_summary"]["last_fetch_origin"] == "demo"
    assert all(d["state"] == "ok" for d in doc["datasets"])
    assert all(d["gaps"] is None for d in doc["datasets"])  # no marts.dq_coverage here
    assert main(["status", "jepx", "--now", FRESH, "--data-dir", str(jepx_data)]) == 0
    assert "n/a (run dbt build)" in capsys.readouterr().out


def test_status_stale_exits_1_and_names_the_lag(jepx_data, capsys):
    code, doc = status(capsys, jepx_data, "--now", LATE)
    assert code == 1
    spot = next(d for d in doc["datasets"] if d["dataset"] == "spot_summary")
    # held 04-14; at 04-20 09:00 the spot file is public up to 04-20 (D-1 12:30)
    assert spot["state"] == "STALE" and spot["behind_days"] == 6
    assert spot["overdue_hours"] == pytest.approx(5 * 24 + 20.5)
    # a wide tolerance makes the same warehouse fresh enough
    code, _ = status(capsys, jepx_data, "--now", LATE, "--stale-after-hours", "200")
    assert code == 0


def test_latest_only_publisher_missed_days_are_lost_exit_3(jepx_data, capsys, monkeypatch):
    # pretend the intraday file were served for one day only (as JPX's settlement file is)
    monkeypatch.setenv("PMD__RETENTION_DAYS", "jepx.intraday=1")
    code, doc = status(capsys, jepx_data, "--now", LATE)
    assert code == 3
    intraday = next(d for d in doc["datasets"] if d["dataset"] == "intraday")
    assert intraday["state"] == "LOST"
    # 04-15 public 04-16 12:00, served until 04-17 12:00: lost; 04-18 (public 04-19 12:00) is
    # still served at 04-20 09:00
    assert intraday["lost_days"] == ["2024-04-15", "2024-04-16", "2024-04-17"]
    assert intraday["at_risk_days"] == ["2024-04-18"]
    assert main(["status", "jepx", "--now", LATE, "--data-dir", str(jepx_data)]) == 3
    assert "DATA LOST" in capsys.readouterr().out


def test_status_names_the_last_error_until_a_run_succeeds(jepx_data, capsys):
    path = journal_path(jepx_data)
    before = path.read_text()
    try:
        with path.open("a") as fh:
            fh.write(json.dumps({"at": "2099-01-01T00:00:00+00:00", "source": "jepx", "ok": False,
                                 "errors": ["[jepx] spot_summary_2024.csv: HTTP 503"]}) + "\n")
        _, doc = status(capsys, jepx_data, "--now", FRESH)
        assert doc["datasets"][0]["last_error"]["errors"] == [
            "[jepx] spot_summary_2024.csv: HTTP 503"]
        with path.open("a") as fh:
            fh.write(json.dumps({"at": "2099-01-02T00:00:00+00:00", "source": "jepx",
                                 "ok": True, "errors": []}) + "\n")
        _, doc = status(capsys, jepx_data, "--now", FRESH)
        assert doc["datasets"][0]["last_error"] is None
    finally:
        path.write_text(before)


def test_a_named_source_never_loaded_is_stale(tmp_path, capsys):
    assert main(["status", "jma", "--now", FRESH, "--data-dir", str(tmp_path)]) == 1
    assert main(["status", "--now", FRESH, "--data-dir", str(tmp_path)]) == 0
    assert main(["due", "--schedule", "--now", FRESH, "--data-dir", str(tmp_path)]) == 0
    assert "D-1 12:30" in capsys.readouterr().out


def test_unknown_source_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["status", "nosuch"])
    assert exc.value.code == 2


@pytest.mark.e2e
def test_status_on_the_built_demo_reads_coverage_when_present(built, capsys):
    data, _ = built
    code, doc = (main(["status", "--json", "--now", FRESH, "--data-dir", str(data)]),
                 json.loads(capsys.readouterr().out))
    assert code == 0, [d for d in doc["datasets"] if d["state"] != "ok"]
    import duckdb

    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    has_dq = con.execute("select count(*) from information_schema.tables where table_schema = "
                         "'marts' and table_name = 'dq_coverage'").fetchone()[0]
    con.close()
    gaps = [d["gaps"] for d in doc["datasets"]]
    assert all(g is not None for g in gaps) if has_dq else all(g is None for g in gaps)


def test_a_broken_source_package_is_named_not_fatal(tmp_path, capsys, monkeypatch):
    from extract import registry

    monkeypatch.setitem(registry.SOURCES, "broken", "extract.sources.no_such_module")
    assert main(["status", "--json", "--now", FRESH, "--data-dir", str(tmp_path)]) == 1
    doc = json.loads(capsys.readouterr().out)
    broken = [d for d in doc["datasets"] if d["source"] == "broken"]
    assert broken and broken[0]["state"] == "ERROR"
    assert {d["source"] for d in doc["datasets"]} >= {"jepx", "tso", "jma"}
    assert main(["config", "--json"]) == 0
    assert any("broken cannot be loaded" in w for w in json.loads(
        capsys.readouterr().out)["warnings"])
