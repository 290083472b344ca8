"""Benchmark: three years of JEPX bid curves through the loader and dbt, on this machine.

    python scripts/bench_bid_curves.py [--days 1096] [--keep DIR]

Builds a synthetic archive in a temp dir from the real samples' shapes
(../shared/samples/jepx/spot_bid_curves_2024{0101,0815}.csv, alternated, dates rewritten; 35k
and 42k rows a day, ~1.3 MB each), then measures, each step in a fresh process:

  load        python -m extract.run jepx --offline (parse + dlt stage + one DuckDB transaction)
              with its peak RSS, rows/s
  read_csv    DuckDB read_csv of the same files into a table (the reference), rows/s
  dbt full    dbt build of the bid-curve models (first run: full build of the incremental marts)
  increment   one more day archived, then extract.run + dbt build of the same selection

Goals (issue 14): load ≤ 2 × read_csv, peak RSS < 2 GiB, daily increment < 30 s. A benchmark,
not a test: numbers depend on the machine and its load (CPU seconds are printed beside wall
time for a shared machine). Each synthetic file is archived with the fetch time a daily run
would give it (10:30 JST on D−1), so the increment's tests see one new day.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLES = ROOT.parent / "shared" / "samples" / "jepx"
BASES = ("20240101", "20240815")
FIRST = date(2022, 6, 1)
PY = sys.executable
DBT = str(Path(sys.executable).with_name("dbt"))
# the bid-curve models and their tests (the seeds and dim_area they read are built first, not
# timed); the clearing-vs-spot test needs the spot marts, which this warehouse does not have
SELECT = ["stg_jepx__spot_bid_curves+", "stg_jepx__spot_splitting_areas+"]
EXCLUDE = ["assert_jepx_bid_curve_clearing_matches_spot"]


def synthetic_day(blobs: dict[str, bytes], day: date) -> bytes:
    """The real file of one of the two sample days with its dates rewritten to ``day``."""
    base = BASES[day.toordinal() % 2]
    return blobs[base].replace(f"\n{base},".encode(), f"\n{day:%Y%m%d},".encode())


def store_days(data: Path, blobs: dict[str, bytes], days: list[date]) -> tuple[int, int]:
    from extract.core.archive import Archive
    from extract.core.config import archive_dir
    from extract.sources.jepx.settings import BID_CURVES_URL

    archive = Archive(archive_dir(data))
    size = rows = 0
    for day in days:
        body = synthetic_day(blobs, day)
        ymd = f"{day:%Y%m%d}"
        # fetched as a daily run would: 10:30 JST on D−1, after the auction
        fetched = datetime.combine(day - timedelta(days=1), dt_time(1, 30), tzinfo=UTC)
        archive.store(source="jepx", dataset="spot_bid_curves", name=f"spot_bid_curves_{ymd}.csv",
                      data=body, url=BID_CURVES_URL.format(ymd=ymd), origin="import",
                      period_start=day, period_end=day, fetched_at=fetched)
        size += len(body)
        rows += body.count(b"\n") - 1
    return size, rows


def run(cmd: list[str], env: dict, cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def rss_of(cmd: list[str], env: dict, cwd: Path | None = None) -> tuple[float, float, float]:
    """Wall seconds, the child's own peak RSS (MiB) and its CPU seconds (user + sys), measured
    with /usr/bin/time (on a shared machine the CPU time is the fairer comparison)."""
    timer = "/usr/bin/time"
    if not Path(timer).exists():
        wall, rss = run(cmd, env, cwd)
        return wall, rss, float("nan")
    t0 = time.perf_counter()
    proc = subprocess.run([timer, "-f", "%M %U %S", *cmd], env=env, cwd=cwd, capture_output=True,
                          text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    rss, user, system = proc.stderr.strip().splitlines()[-1].split()
    return elapsed, int(rss) / 1024, float(user) + float(system)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--days", type=int, default=1096, help="delivery days (default: 3 years)")
    p.add_argument("--keep", type=Path, help="use this data directory and keep it")
    args = p.parse_args()
    if not all((SAMPLES / f"spot_bid_curves_{b}.csv").exists() for b in BASES):
        sys.exit(f"needs the real samples in {SAMPLES}")
    blobs = {b: (SAMPLES / f"spot_bid_curves_{b}.csv").read_bytes() for b in BASES}
    data = args.keep or Path(tempfile.mkdtemp(prefix="pmd-bench-bid-curves-"))
    data.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PMD_DATA_DIR": str(data), "PMD_NO_PROGRESS": "1",
           "RUNTIME__DLTHUB_TELEMETRY": "false", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    days = [FIRST + timedelta(days=i) for i in range(args.days)]
    t0 = time.perf_counter()
    size, rows = store_days(data, blobs, days)
    print(f"archive: {len(days)} days, {size / 1e9:.2f} GB, {rows:,} rows "
          f"(written in {time.perf_counter() - t0:.0f} s) in {data}")
    results: dict[str, float] = {"days": len(days), "rows": rows, "csv_gb": size / 1e9}

    load_s, load_rss, load_cpu = rss_of([PY, "-m", "extract.run", "jepx", "--offline", "-q"],
                                        env, ROOT)
    results.update(load_s=load_s, load_cpu_s=load_cpu, load_rows_per_s=rows / load_s,
                   load_peak_rss_mib=load_rss)
    print(f"load      {load_s:8.1f} s  {rows / load_s:12,.0f} rows/s  CPU {load_cpu:.0f} s  "
          f"peak RSS {load_rss:,.0f} MiB")

    import duckdb

    files = str(data / "archive" / "jepx" / "spot_bid_curves" / "*.csv")
    target = data / "read_csv.duckdb"
    script = ("import duckdb,sys; con = duckdb.connect(sys.argv[1]); con.execute('create table t "
              "as select * from read_csv(?, header=true)', [sys.argv[2]]); "
              "print(con.execute('select count(*) from t').fetchone()[0])")
    duck_s, duck_rss, duck_cpu = rss_of([PY, "-c", script, str(target), files], env, ROOT)
    con = duckdb.connect(str(target), read_only=True)
    n = con.execute("select count(*) from t").fetchone()[0]
    con.close()
    target.unlink()
    assert n == rows, (n, rows)
    results.update(read_csv_s=duck_s, read_csv_cpu_s=duck_cpu, read_csv_rows_per_s=rows / duck_s,
                   ratio_wall=load_s / duck_s, ratio_cpu=load_cpu / duck_cpu)
    print(f"read_csv  {duck_s:8.1f} s  {rows / duck_s:12,.0f} rows/s  CPU {duck_cpu:.0f} s  "
          f"load/read_csv = {load_s / duck_s:.2f}x wall, {load_cpu / duck_cpu:.2f}x CPU")

    dbt = [DBT, "build", "--profiles-dir", str(ROOT), "--select", *SELECT, "--exclude", *EXCLUDE]
    dbt_dir = ROOT / "dbt_project"
    dbt_env = {**env, "DBT_TARGET_PATH": str(data / "dbt_target"), "DBT_LOG_PATH": str(data / "dbt_logs")}
    run([DBT, "seed", "--profiles-dir", str(ROOT)], dbt_env, dbt_dir)
    run([DBT, "run", "--profiles-dir", str(ROOT), "--select", "dim_area"], dbt_env, dbt_dir)
    full_s, full_rss, full_cpu = rss_of(dbt, dbt_env, dbt_dir)
    results.update(dbt_full_s=full_s, dbt_full_cpu_s=full_cpu, dbt_full_peak_rss_mib=full_rss)
    print(f"dbt full  {full_s:8.1f} s  CPU {full_cpu:.0f} s (bid-curve models + their tests)  "
          f"peak RSS {full_rss:,.0f} MiB")

    nxt = days[-1] + timedelta(days=1)
    store_days(data, blobs, [nxt])
    inc_load_s, inc_rss, inc_load_cpu = rss_of(
        [PY, "-m", "extract.run", "jepx", "--offline", "-q"], env, ROOT)
    inc_dbt_s, inc_dbt_rss, inc_dbt_cpu = rss_of(dbt, dbt_env, dbt_dir)
    results.update(increment_extract_s=inc_load_s, increment_dbt_s=inc_dbt_s,
                   increment_total_s=inc_load_s + inc_dbt_s,
                   increment_cpu_s=inc_load_cpu + inc_dbt_cpu,
                   increment_peak_rss_mib=max(inc_rss, inc_dbt_rss))
    print(f"increment {inc_load_s + inc_dbt_s:8.1f} s  (extract.run {inc_load_s:.1f} s + dbt build "
          f"{inc_dbt_s:.1f} s; CPU {inc_load_cpu + inc_dbt_cpu:.0f} s) for {nxt}")
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    steps = con.execute("select count(*) from marts.fct_jepx_bid_curve_steps").fetchone()[0]
    con.close()
    results["mart_rows"] = steps
    print(json.dumps(results, indent=1))
    if args.keep is None:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
