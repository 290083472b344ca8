"""Benchmark the warehouse at scale: a synthetic N-year archive of every source, loaded and built.

    python scripts/bench_scale.py                 # 5, 10 and 20 years
    python scripts/bench_scale.py --years 2 5     # other sizes
    python scripts/bench_scale.py --years 20 --keep /tmp/pmd-bench   # keep the data dirs

For each size it writes format-faithful files (the demo generators in ``scripts/demo_sources``:
JEPX spot/intraday fiscal-year files, the ten TSOs' monthly common-format files, JMA obsdl files
per station and month) ending on 2024-04-13, then measures:

* ``extract.run all --offline`` (parse + load of the whole archive),
* a full ``dbt build`` (wall, CPU, peak RSS of the dbt process, the ten slowest models),
* a one-day increment (one more day of every source: new versions of the open files) with
  ``extract.run all --offline`` and ``dbt build``,
* a no-op ``extract.run all --offline`` (nothing new).

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
PY = sys.executable
DBT = str(Path(PY).with_name("dbt"))


def _store(archive: Archive, source, dataset, name, data, start, end, fetched: datetime) -> None:
    archive.store(source=source, dataset=dataset, name=name, data=data, url=f"bench://{name}",
                  origin="bench", period_start=start, period_end=end, fetched_at=fetched)


def write_archive(archive: Archive, first: date, last: date, fetched: datetime) -> dict[str, int]:
    """Every source from ``first`` to ``last`` (inclusive) in its real file shapes."""
    files = {"jepx": 0, "tso": 0, "jma": 0}
    for fy_start, fy_end in periods(first, last, "fiscal-year"):
        lo, hi = max(fy_start, first), min(fy_end, last)
        fy = fiscal_year(fy_start)
        _store(archive, "jepx", "spot_summary", f"spot_summary_{fy}.csv",
               demo_jepx.spot_summary(lo, hi), fy_start, fy_end, fetched)
        _store(archive, "jepx", "intraday", f"intraday_{fy}.csv", demo_jepx.intraday(lo, hi),
               fy_start, fy_end, fetched)
        files["jepx"] += 2
    demo_tso.FETCHED = last + timedelta(days=1)  # every slot of every day is published
    for m_start, _ in periods(first, last, "month"):
        m_end = min(month_bounds(m_start.year, m_start.month)[1], last)
        demo_tso.FIRST = max(m_start, first)
        for area in COMMON:
            _store(archive, "tso", "area_supply_demand", f"eria_jukyu_{m_start:%Y%m}_{area}.csv",
                   demo_tso.month_file(area, m_start, m_end), m_start,
                   month_bounds(m_start.year, m_start.month)[1], fetched)
            files["tso"] += 1
        demo_jma.FIRST, demo_jma.LAST = max(m_start, first), m_end
        for st in stations():
            _store(archive, "jma", "hourly_obsdl",
                   f"obsdl_hourly_{st.station_id}_{demo_jma.FIRST:%Y%m%d}-{m_end:%Y%m%d}.csv",
                   demo_jma.obsdl_csv(st.station_id, st.area_code), demo_jma.FIRST, m_end, fetched)
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
            "stdout": proc.stdout}


def dbt_build(data: Path, env: dict, target: Path) -> dict:
    out = timed([DBT, "build", "--profiles-dir", str(ROOT), "--target-path", str(target),
                 "--log-path", str(data / "dbt_logs")], env, cwd=ROOT / "dbt_project")
    results = json.loads((target / "run_results.json").read_text())["results"]
    models = sorted(((r["unique_id"].split(".")[-1], r["execution_time"]) for r in results
                     if r["unique_id"].startswith("model.")), key=lambda x: -x[1])
    out["top_models"] = [(m, round(t, 2)) for m, t in models[:10]]
    out.pop("stdout")
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


def bench(years: int, workdir: Path) -> dict:
    data = workdir / f"y{years}"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    env = {**os.environ, "PMD_DATA_DIR": str(data), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "PMD_NO_PROGRESS": "1"}
    first = LAST - timedelta(days=round(365.25 * years) - 1)
    t0 = time.monotonic()
    files = write_archive(Archive(data / "archive"), first, LAST, datetime(2024, 4, 14, 3, tzinfo=UTC))
    gen = time.monotonic() - t0
    extract = timed([PY, "-m", "extract.run", "all", "--offline", "-q"], env)
    extract.pop("stdout")
    full = dbt_build(data, env, data / "target_full")
    rows = mart_rows(data)
    add_one_day(Archive(data / "archive"), LAST + timedelta(days=1),
                datetime(2024, 4, 15, 3, tzinfo=UTC))
    inc_extract = timed([PY, "-m", "extract.run", "all", "--offline", "-q"], env)
    inc_extract.pop("stdout")
    inc_dbt = dbt_build(data, env, data / "target_inc")
    noop = timed([PY, "-m", "extract.run", "all", "--offline", "-q"], env)
    noop.pop("stdout")
    start = timed([PY, "-c", "pass"], env)
    return {"years": years, "files": files, "generate_s": round(gen, 1), "mart_rows": rows,
            "extract": extract, "dbt_full": full, "increment_extract": inc_extract,
            "increment_dbt": inc_dbt, "noop_extract": noop, "python_start_s": start["wall_s"]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--years", type=int, nargs="+", default=[5, 10, 20])
    p.add_argument("--keep", type=Path, help="keep the data directories here")
    p.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    args = p.parse_args(argv)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="pmd-bench-scale-"))
    try:
        results = [bench(y, workdir) for y in args.years]
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2))
    head = (f"{'years':>5} {'mart rows':>10} {'extract s':>9} {'dbt wall s':>10} {'dbt cpu s':>9} "
            f"{'dbt RSS MiB':>11} {'+1 day extract s':>16} {'+1 day dbt s':>12} {'no-op s':>7}")
    print(head)
    for r in results:
        print(f"{r['years']:>5} {r['mart_rows']:>10,} {r['extract']['wall_s']:>9} "
              f"{r['dbt_full']['wall_s']:>10} {r['dbt_full']['cpu_s']:>9} "
              f"{r['dbt_full']['peak_rss_mib']:>11} {r['increment_extract']['wall_s']:>16} "
              f"{r['increment_dbt']['wall_s']:>12} {r['noop_extract']['wall_s']:>7}")
    print(f"(python start-up alone: {results[-1]['python_start_s']} s)")
    for r in results:
        print(f"\n{r['years']} years: slowest models of the full build")
        for name, secs in r["dbt_full"]["top_models"]:
            print(f"  {secs:>7.2f} s  {name}")
    if len(results) >= 2:
        import math

        a, b = results[0], results[-1]
        k = math.log(b["dbt_full"]["wall_s"] / a["dbt_full"]["wall_s"]) / math.log(b["years"] / a["years"])
        print(f"\ngrowth of the full dbt build with history: ~years^{k:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
