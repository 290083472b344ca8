"""Benchmark: three years of JEPX bid curves through the loader and dbt, on this machine.

    python scripts/bench_bid_curves.py [--days 1096] [--keep DIR]

Builds a synthetic archive in a temp dir from the real samples' shapes
(../shared/samples/jepx/spot_bid_curves_2024{0101,0815}.csv, alternated, dates rewritten; 35k
and 42k rows a day, ~1.3 MB each), then measures, each step in a fresh process:

  load        python -m extract.run jepx --offline (parse, dlt stages Parquet, one DuckDB
              transaction) with its peak RSS, rows/s, and the time of each step (checkpoints)
  read_csv    DuckDB read_csv of the same files into a table (the reference), rows/s
  dbt full    dbt build of the bid-curve models (first run: full build of the incremental marts)
  increment   one more day archived, then extract.run + dbt build of the same selection; the
              extract's steps are timed (dlt's fixed per-run cost: its extract, normalize and
              load of one file's stage)
  export      for reference: a whole-table Parquet COPY of fct_jepx_bid_curve_steps (what an
              export that rewrote the bid-curve mart every day would add to the increment;
              exports_manifest exports no bid-curve mart today, so the increment has none)

The machine's load average is printed at the start and the end (a shared machine).

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
# timed); the clearing-vs-spot test needs the spot marts and the feature models (feat_supply,
# ml_features, exports_manifest) the other sources' models, which this warehouse does not have
SELECT = ["stg_jepx__spot_bid_curves+", "stg_jepx__spot_splitting_areas+"]
EXCLUDE = ["assert_jepx_bid_curve_clearing_matches_spot", "feat_supply+"]


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


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system, all threads) a running process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def traced(cmd: list[str], env: dict, cwd: Path | None = None) -> dict[str, tuple[float, float]]:
    """One child run with ``PMD_CRASH_TRACE=1``: {step: (wall s, CPU s)} spent before each of
    its checkpoint labels (the per-file parse labels summed as ``parse + dlt extract``;
    ``import + plan`` is the time before the load starts, ``after`` the time after COMMIT).
    CPU is read from /proc at each checkpoint (fair on a loaded machine)."""
    steps: dict[str, tuple[float, float]] = {}
    proc = subprocess.Popen(cmd, env={**env, "PMD_CRASH_TRACE": "1"}, cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    last, last_cpu = time.perf_counter(), 0.0
    tail: list[str] = []

    def add(label: str, now: float, cpu: float) -> None:
        wall0, cpu0 = steps.get(label, (0.0, 0.0))
        steps[label] = (wall0 + now - last, cpu0 + cpu - last_cpu)

    for line in proc.stderr:
        now, cpu = time.perf_counter(), _cpu_of(proc.pid)
        if line.startswith("pmd-checkpoint "):
            label = line.split(": ", 1)[1].strip()
            label = {"load: start": "import + plan"}.get(label, label)
            if label.startswith("load: parsed "):
                label = "parse + dlt extract"
            add(label, now, cpu)
            last, last_cpu = now, cpu
        else:
            tail = (tail + [line])[-40:]
    cpu = _cpu_of(proc.pid)  # the stderr closed: the process is exiting (or a zombie)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{''.join(tail)}")
    total_cpu = usage.ru_utime + usage.ru_stime
    add("after", time.perf_counter(), total_cpu if total_cpu == total_cpu else cpu)
    return steps


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
    results: dict[str, float] = {"days": len(days), "rows": rows, "csv_gb": size / 1e9,
                                 "loadavg_start": os.getloadavg()[0]}
    print(f"load average {os.getloadavg()[0]:.1f} (this machine has {os.cpu_count()} CPUs)")

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
    results.update(increment_extract_s=inc_load_s, increment_extract_cpu_s=inc_load_cpu,
                   increment_dbt_s=inc_dbt_s, increment_dbt_cpu_s=inc_dbt_cpu,
                   increment_total_s=inc_load_s + inc_dbt_s,
                   increment_cpu_s=inc_load_cpu + inc_dbt_cpu,
                   increment_peak_rss_mib=max(inc_rss, inc_dbt_rss))
    print(f"increment {inc_load_s + inc_dbt_s:8.1f} s  (extract.run {inc_load_s:.1f} s + dbt build "
          f"{inc_dbt_s:.1f} s; CPU {inc_load_cpu:.1f} + {inc_dbt_cpu:.1f} s) for {nxt}")
    # the same increment again, its extract's steps timed: dlt's fixed cost per run is its
    # extract (of one file, with the parse), normalize and load steps
    store_days(data, blobs, [nxt + timedelta(days=1)])
    steps = traced([PY, "-m", "extract.run", "jepx", "--offline", "-q"], env, ROOT)
    dlt_steps = [v for k, v in steps.items()
                 if k == "parse + dlt extract" or k.startswith("stage: dlt")]
    dlt_fixed = (sum(w for w, _ in dlt_steps), sum(c for _, c in dlt_steps))
    results.update(increment_steps={k: [round(w, 2), round(c, 2)] for k, (w, c) in steps.items()},
                   dlt_fixed_per_run_s=dlt_fixed[0], dlt_fixed_per_run_cpu_s=dlt_fixed[1])
    print("increment steps (wall s / CPU s): " + ", ".join(
        f"{k} {w:.2f}/{c:.2f}" for k, (w, c) in steps.items()))
    print(f"dlt fixed cost per run (extract incl. one file's parse, normalize, load) "
          f"{dlt_fixed[0]:.2f} s, CPU {dlt_fixed[1]:.2f} s")
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    steps = con.execute("select count(*) from marts.fct_jepx_bid_curve_steps").fetchone()[0]
    con.close()
    results["mart_rows"] = steps
    out = data / "steps.parquet"
    script = ("import duckdb,sys; con = duckdb.connect(sys.argv[1], read_only=True); "
              "con.execute('copy (select * from marts.fct_jepx_bid_curve_steps order by "
              "delivery_date, delivery_period, curve_key, step_no) to ' + repr(sys.argv[2]) + "
              "' (format parquet)')")
    exp_s, exp_rss, exp_cpu = rss_of([PY, "-c", script, str(data / "warehouse.duckdb"), str(out)],
                                     env, ROOT)
    out.unlink(missing_ok=True)
    results.update(export_steps_s=exp_s, export_steps_cpu_s=exp_cpu,
                   increment_with_export_s=inc_load_s + inc_dbt_s + exp_s,
                   loadavg_end=os.getloadavg()[0])
    print(f"export    {exp_s:8.1f} s  CPU {exp_cpu:.0f} s (whole-table Parquet of the steps mart, "
          f"reference): increment with such an export {inc_load_s + inc_dbt_s + exp_s:.1f} s")
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(json.dumps(results, indent=1))
    if args.keep is None:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
