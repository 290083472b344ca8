"""Benchmark the warehouse at scale: a synthetic N-year archive of every source, loaded and built.

    python scripts/bench_scale.py                 # 5, 10 and 20 years
    python scripts/bench_scale.py --years 2 5     # other sizes
    python scripts/bench_scale.py --years 20 --keep /tmp/pmd-bench   # keep the data dirs
    python scripts/bench_scale.py --years 20 --history tso=10 jma=10  # 10 of the 20 years of TSO, JMA

For each size it writes format-faithful files (the demo generators in ``scripts/demo_sources``:
JEPX spot/intraday fiscal-year files, the ten TSOs' monthly common-format files, JMA obsdl files
per station and month) ending on 2024-04-13, then measures:

* ``extract.run all --offline`` (parse + load of the whole archive),
* a full ``dbt build --exclude-resource-type unit_test`` (the production build; wall, CPU, peak
  RSS of the dbt process, the ten slowest models, nodes and their summed execution time),
* a one-day increment (one more day of every source: new versions of the open files) with
  ``extract.run all --offline`` and the daily job's ``dbt build`` (scripts/daily.sh: unit tests
  excluded, ``PMD_TEST_SCOPE=rebuilt``: data tests read the rewritten dates; only the nodes
  downstream of the sources that loaded rows, ``--select source:jepx+ source:tso+ source:jma+``,
  views excluded: the code is unchanged),
* a no-op ``extract.run all --offline`` (nothing new; the daily job then runs no dbt at all) and
  a build of every node with nothing new (``PMD_TEST_SCOPE=rebuilt``),
* the unit tests alone (``dbt test --select test_type:unit``; independent of history),
* ``EXPLAIN ANALYZE`` (DuckDB's JSON profile) of ``ml_features`` and the ``feat_*`` models on the
  built warehouse: the most expensive operators.

Every figure carries the 1-minute load average at its start (the machine may be shared).

It is a benchmark, not a test: it prints a table and, with ``--json``, the raw figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import demo_sources.jepx as demo_jepx  # noqa: E402
import demo_sources.jma as demo_jma  # noqa: E402
import demo_sources.tso as demo_tso  # noqa: E402

from extract.core.archive import Archive  # noqa: E402
from extract.core.timeutil import fiscal_year, fiscal_year_bounds, month_bounds, periods  # noqa: E402
from extract.sources.jma import stations  # noqa: E402
from extract.sources.tso.settings import COMMON  # noqa: E402

LAST = date(2024, 4, 13)
JEPX_FIRST = date(2005, 4, 1)  # JEPX spot trading began on 2005-04-01 (dbt var dim_date_start)
PY = sys.executable
DBT = str(Path(PY).with_name("dbt"))


def _store(archive: Archive, source, dataset, name, data, start, end, fetched: datetime) -> None:
    archive.store(source=source, dataset=dataset, name=name, data=data, url=f"bench://{name}",
                  origin="bench", period_start=start, period_end=end, fetched_at=fetched)


def first_day(last: date, years: float) -> date:
    """The first day of ``years`` years of history ending on ``last``."""
    return last - timedelta(days=round(365.25 * years) - 1)


def write_archive(archive: Archive, first: date, last: date, fetched: datetime,
                  history: dict[str, int] | None = None) -> dict[str, int]:
    """Every source from ``first`` to ``last`` (inclusive) in its real file shapes; ``history``
    ({source: years}) gives a source fewer years than the others."""

    def start(source: str) -> date:
        if history and source in history:
            return max(first, first_day(last, history[source]))
        return first

    files = {"jepx": 0, "tso": 0, "jma": 0}
    for fy_start, fy_end in periods(max(start("jepx"), JEPX_FIRST), last, "fiscal-year"):
        lo, hi = max(fy_start, start("jepx")), min(fy_end, last)
        fy = fiscal_year(fy_start)
        _store(archive, "jepx", "spot_summary", f"spot_summary_{fy}.csv",
               demo_jepx.spot_summary(lo, hi), fy_start, fy_end, fetched)
        _store(archive, "jepx", "intraday", f"intraday_{fy}.csv", demo_jepx.intraday(lo, hi),
               fy_start, fy_end, fetched)
        files["jepx"] += 2
    demo_tso.FETCHED = last + timedelta(days=1)  # every slot of every day is published
    for m_start, _ in periods(min(start("tso"), start("jma")), last, "month"):
        m_end = min(month_bounds(m_start.year, m_start.month)[1], last)
        if m_end >= start("tso"):
            demo_tso.FIRST = max(m_start, start("tso"))
            for area in COMMON:
                _store(archive, "tso", "area_supply_demand", f"eria_jukyu_{m_start:%Y%m}_{area}.csv",
                       demo_tso.month_file(area, m_start, m_end), m_start,
                       month_bounds(m_start.year, m_start.month)[1], fetched)
                files["tso"] += 1
        if m_end >= start("jma"):
            demo_jma.FIRST, demo_jma.LAST = max(m_start, start("jma")), m_end
            for st in stations():
                _store(archive, "jma", "hourly_obsdl",
                       f"obsdl_hourly_{st.station_id}_{demo_jma.FIRST:%Y%m%d}-{m_end:%Y%m%d}.csv",
                       demo_jma.obsdl_csv(st.station_id, st.area_code), demo_jma.FIRST, m_end,
                       fetched)
                files["jma"] += 1
    return files


def add_one_day(archive: Archive, day: date, fetched: datetime) -> None:
    """The next day as a live run would see it: new versions of the open FY/month files and a
    new JMA window."""
    fy_start, fy_end = fiscal_year_bounds(fiscal_year(day))
    m_start = date(day.year, day.month, 1)
    fy = fiscal_year(day)
    first_fy_day = max(fy_start, m_start - timedelta(days=400))
    _store(archive, "jepx", "spot_summary", f"spot_summary_{fy}.csv",
           demo_jepx.spot_summary(first_fy_day, day), fy_start, fy_end, fetched)
    _store(archive, "jepx", "intraday", f"intraday_{fy}.csv", demo_jepx.intraday(first_fy_day, day),
           fy_start, fy_end, fetched)
    demo_tso.FETCHED, demo_tso.FIRST = day + timedelta(days=1), m_start
    for area in COMMON:
        _store(archive, "tso", "area_supply_demand", f"eria_jukyu_{m_start:%Y%m}_{area}.csv",
               demo_tso.month_file(area, m_start, day), m_start,
               month_bounds(m_start.year, m_start.month)[1], fetched)
    demo_jma.FIRST, demo_jma.LAST = day, day
    for st in stations():
        _store(archive, "jma", "hourly_obsdl", f"obsdl_hourly_{st.station_id}_{day:%Y%m%d}-{day:%Y%m%d}.csv",
               demo_jma.obsdl_csv(st.station_id, st.area_code), day, day, fetched)


def timed(cmd: list[str], env: dict, cwd: Path | None = None) -> dict:
    """Run ``cmd`` under GNU time: wall, user+sys CPU and peak RSS of the process tree's largest."""
    load = round(os.getloadavg()[0], 1)
    t0 = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], env=env, cwd=cwd, capture_output=True,
                          text=True)
    wall = time.monotonic() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")

    def field(name: str) -> float:
        m = re.search(rf"{name}: ([\d.:]+)", proc.stderr)
        return float(m.group(1)) if m else float("nan")

    return {"wall_s": round(wall, 2), "cpu_s": round(field("User time \\(seconds\\)")
                                                     + field("System time \\(seconds\\)"), 2),
            "peak_rss_mib": round(field("Maximum resident set size \\(kbytes\\)") / 1024),
            "load_avg": load, "stdout": proc.stdout}


# the production build: dbt's unit tests check model logic on fixed inputs, so they run in CI
# and development (README command 2), not in every build of the data (dbt's own advice); they
# are measured once, apart (unit_tests)
PRODUCTION = ["--exclude-resource-type", "unit_test"]
# the daily job's build (scripts/daily.sh) with the project's code unchanged: data tests read
# only the rows the build rewrote, incremental runs keep their tables' comments
DAILY_ENV = {"PMD_TEST_SCOPE": "rebuilt", "PMD_DOCS_UNCHANGED": "1"}
# the sources add_one_day() gives a new day: the daily job builds the nodes downstream of them,
# views excluded (unchanged while the code is; their tests still run)
DAILY_SELECT = ["--select", "source:jepx+", "source:tso+", "source:jma+",
                "--indirect-selection", "empty", "--exclude", "config.materialized:view"]


def dbt_build(data: Path, env: dict, args: list[str], extra_env: dict | None = None,
              command: str = "build") -> dict:
    """One dbt build in the data dir's own target folder (dbt keeps its parsed project there:
    later builds parse only what changed, as a daily job's do); results copied per step."""
    target = data / "target"
    out = timed([DBT, command, "--profiles-dir", str(ROOT), "--target-path", str(target),
                 "--log-path", str(data / "dbt_logs"), *args], {**env, **(extra_env or {})},
                cwd=ROOT / "dbt_project")
    out["command"] = " ".join([*(f"{k}={v}" for k, v in (extra_env or {}).items()), "dbt", command,
                               *args])
    results = json.loads((target / "run_results.json").read_text())["results"]
    models = sorted(((r["unique_id"].split(".")[-1], r["execution_time"]) for r in results
                     if r["unique_id"].startswith("model.")), key=lambda x: -x[1])
    out["top_models"] = [(m, round(t, 2)) for m, t in models[:10]]
    kinds: dict[str, list[float]] = {}
    for r in results:
        kind = kinds.setdefault(r["unique_id"].split(".")[0], [0, 0.0])
        kind[0] += 1
        kind[1] += r["execution_time"]
    # nodes and the sum of their execution times (dbt runs two at once: threads = 2)
    out["nodes"] = {k: (n, round(t, 1)) for k, (n, t) in sorted(kinds.items())}
    out.pop("stdout")
    return out


def _operators(node: dict) -> list[tuple[float, str, int, str]]:
    """(seconds, operator, rows, detail) of every node of a DuckDB JSON profile."""
    if "operator" in node:  # the profile's root (DuckDB >= 1.3): the plan is a list of nodes
        return [op for child in node["operator"] for op in _operators(child)]
    name = node.get("operator_name") or node.get("name") or node.get("operator_type", "?")
    timing = node.get("operator_timing", node.get("timing", 0.0)) or 0.0
    info = {k: v for k, v in (node.get("extra_info") or {}).items() if k != "Projections"}
    detail = json.dumps(info, ensure_ascii=False)[:110] if info else ""
    rows = int(node.get("operator_cardinality", node.get("intermediate_rows", 0)) or 0)
    out = [(float(timing), str(name).strip(), rows, detail)]
    for child in node.get("children", []):
        out.extend(_operators(child))
    return out


def explain(data: Path, target: Path, models: list[str], top: int = 8) -> dict:
    """The ``top`` most expensive operators of each model's compiled SQL, re-run on the built
    warehouse with DuckDB's JSON profiler (EXPLAIN ANALYZE's figures)."""
    import duckdb

    out = {}
    con = duckdb.connect(str(data / "warehouse.duckdb"))
    try:
        con.execute("set threads = 2")
        for model in models:
            found = list((target / "compiled").rglob(f"{model}.sql"))
            if not found:
                continue
            sql = found[0].read_text()
            prof = data / f"profile_{model}.json"
            con.execute("pragma enable_profiling = 'json'")
            con.execute(f"pragma profiling_output = '{prof}'")
            t0 = time.monotonic()
            con.execute(f"create or replace temp table _bench_explain as {sql}")
            wall = time.monotonic() - t0
            con.execute("pragma disable_profiling")
            ops = _operators(json.loads(prof.read_text()))
            ops.sort(key=lambda o: -o[0])
            out[model] = {"wall_s": round(wall, 2),
                          "operators": [(n, round(t, 3), c, d) for t, n, c, d in ops[:top]]}
    finally:
        con.close()
    return out


def mart_rows(data: Path) -> int:
    import duckdb

    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        tables = con.execute("select schema_name, table_name from duckdb_tables() where "
                             "schema_name in ('marts', 'ml')").fetchall()
        return sum(con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables)
    finally:
        con.close()


def bench(years: int, workdir: Path, history: dict[str, int] | None = None) -> dict:
    data = workdir / (f"y{years}" + "".join(f"-{s}{n}" for s, n in sorted((history or {}).items())))
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    env = {**os.environ, "PMD_DATA_DIR": str(data), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "PMD_NO_PROGRESS": "1"}
    first = first_day(LAST, years)
    t0 = time.monotonic()
    files = write_archive(Archive(data / "archive"), first, LAST, datetime(2024, 4, 14, 3, tzinfo=UTC),
                          history)
    gen = time.monotonic() - t0
    extract = timed([PY, "-m", "extract.run", "all", "--offline", "-q"], env)
    extract.pop("stdout")
    full = dbt_build(data, env, PRODUCTION)
    shutil.copytree(data / "target", data / "target_full")  # its compiled SQL, for explain()
    rows = mart_rows(data)
    add_one_day(Archive(data / "archive"), LAST + timedelta(days=1),
                datetime(2024, 4, 15, 3, tzinfo=UTC))
    inc_extract = timed([PY, "-m", "extract.run", "all", "--offline", "-q"], env)
    inc_extract.pop("stdout")
    inc_dbt = dbt_build(data, env, [*PRODUCTION, *DAILY_SELECT], DAILY_ENV)
    noop = timed([PY, "-m", "extract.run", "all", "--offline", "-q"], env)
    noop.pop("stdout")
    noop_dbt = dbt_build(data, env, PRODUCTION, DAILY_ENV)
    unit = dbt_build(data, env, ["--select", "test_type:unit"], command="test")
    start = timed([PY, "-c", "pass"], env)
    feats = ["ml_features", *sorted(p.stem for p in (ROOT / "dbt_project" / "models" / "ml" / "features").glob("feat_*.sql"))]
    profile = explain(data, data / "target_full", feats)
    return {"years": years, "history": history or {}, "files": files,
            "generate_s": round(gen, 1), "mart_rows": rows,
            "extract": extract, "dbt_full": full, "increment_extract": inc_extract,
            "increment_dbt": inc_dbt, "noop_extract": noop, "noop_dbt": noop_dbt,
            "unit_tests": unit,
            "python_start_s": start["wall_s"], "explain": profile}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--years", type=int, nargs="+", default=[5, 10, 20])
    p.add_argument("--keep", type=Path, help="keep the data directories here")
    p.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    p.add_argument("--history", nargs="+", default=[], metavar="SOURCE=YEARS",
                   help="fewer years of a source than the size, e.g. tso=10 jma=10 (issue 11's "
                        "own measurement: 20 years of JEPX, 10 of TSO and JMA)")
    args = p.parse_args(argv)
    history = {}
    for item in args.history:
        source, _, n = item.partition("=")
        if source not in ("jepx", "tso", "jma") or not n.isdigit():
            p.error(f"--history: SOURCE=YEARS with SOURCE jepx, tso or jma, not {item!r}")
        history[source] = int(n)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="pmd-bench-scale-"))
    try:
        results = []
        for y in args.years:
            results.append(bench(y, workdir, history))
            # each size as soon as it is measured (a long run can be stopped between sizes)
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2))
    print("| years | mart rows | step | wall s | CPU s | peak RSS MiB | load avg |")
    print("|---|---|---|---|---|---|---|")
    steps = [("extract", "extract (all, offline)"), ("dbt_full", "dbt build, full"),
             ("increment_extract", "+1 day extract"), ("increment_dbt", "+1 day dbt build"),
             ("noop_extract", "no-op extract"), ("noop_dbt", "no-op dbt build"),
             ("unit_tests", "dbt unit tests alone")]
    for r in results:
        for key, label in steps:
            m = r[key]
            print(f"| {r['years']} | {r['mart_rows']:,} | {label} | {m['wall_s']} | {m['cpu_s']} | "
                  f"{m['peak_rss_mib']} | {m['load_avg']} |")
    print(f"(python start-up alone: {results[-1]['python_start_s']} s)")
    for r in results:
        for key, label in (("dbt_full", "full build"), ("increment_dbt", "+1 day build")):
            print(f"\n{r['years']} years: slowest models of the {label}")
            for name, secs in r[key]["top_models"]:
                print(f"  {secs:>7.2f} s  {name}")
            print("  nodes (count, summed execution s): " + ", ".join(
                f"{k} {n} / {t}" for k, (n, t) in r[key]["nodes"].items()))
        for model, prof in r["explain"].items():
            print(f"\n{r['years']} years: EXPLAIN ANALYZE {model} ({prof['wall_s']} s): top operators")
            for name, secs, rows, detail in prof["operators"]:
                print(f"  {secs:>7.3f} s  {rows:>12,} rows  {name}  {detail}")
    if len(results) >= 2:
        import math

        a, b = results[0], results[-1]
        for key in ("wall_s", "cpu_s"):
            k = math.log(b["dbt_full"][key] / a["dbt_full"][key]) / math.log(b["years"] / a["years"])
            print(f"\ngrowth of the full dbt build ({key}) with history: ~years^{k:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
