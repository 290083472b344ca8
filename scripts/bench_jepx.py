"""Benchmark: JEPX spot files through the extractor vs DuckDB's own read_csv of the same bytes.

    python scripts/bench_jepx.py [FILES...]     (default: ../shared/samples/jepx/spot_summary_*.csv)

Prints, best of --repeat runs:
  parse      our parser alone (bytes -> typed Arrow table, by header name)
  load       the extractor's offline path into a fresh warehouse: read archive, parse, dlt merge
  duckdb     DuckDB read_csv of the same files into a table (auto-detected types)
and the ratios. A benchmark, not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PMD_NO_PROGRESS", "1")

import duckdb  # noqa: E402

from extract.registry import get  # noqa: E402
from extract.sources.jepx.spot import parse_spot_summary  # noqa: E402


def best(fn, repeat: int) -> float:
    """Best wall time of ``repeat`` runs (a run may return its own measured time)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        measured = fn()
        times.append(measured if isinstance(measured, float) else time.perf_counter() - t0)
    return min(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("files", nargs="*", type=Path)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    files = args.files or sorted((ROOT.parent / "shared" / "samples" / "jepx").glob("spot_summary_*.csv"))
    if not files:
        sys.exit("no files: pass spot_summary_<FY>.csv files or put ../shared/samples beside the repo")
    blobs = [f.read_bytes() for f in files]
    size = sum(len(b) for b in blobs)
    rows = sum(parse_spot_summary(b, f.name).num_rows for f, b in zip(files, blobs, strict=True))
    print(f"{len(files)} files, {size / 1e6:.1f} MB, {rows:,} rows")

    t_parse = best(lambda: [parse_spot_summary(b, f.name) for f, b in zip(files, blobs, strict=True)],
                   args.repeat)

    from extract.core.archive import Archive
    from extract.core.config import archive_dir
    from extract.core.http import OfflineClient
    from extract.core.pipeline import run_source
    from extract.core.source import RunContext
    from extract.core.timeutil import today_jst

    spec = get("jepx")
    ctx = RunContext(start=None, end=None, today=today_jst(), offline=True)

    def load():
        # the normal path: files already in the archive, parsed and merged by an offline run
        with tempfile.TemporaryDirectory() as tmp:
            archive = Archive(archive_dir(Path(tmp)))
            for f, b in zip(files, blobs, strict=True):
                archive.store(source="jepx", dataset="spot_summary", name=f.name, data=b,
                              url=f.as_uri(), origin="import", period_start=None, period_end=None)
            t0 = time.perf_counter()
            result = run_source(spec, ctx, Path(tmp), OfflineClient())
            elapsed = time.perf_counter() - t0
            assert result.ok and result.rows_loaded == rows, result.errors
            return elapsed

    t_load = best(load, args.repeat)

    def duck():
        with tempfile.TemporaryDirectory() as tmp:
            con = duckdb.connect(str(Path(tmp) / "w.duckdb"))
            con.execute("create table t as select * from read_csv(?, header=true)",
                        [[str(f) for f in files]])
            assert con.execute("select count(*) from t").fetchone()[0] == rows
            con.close()

    t_duck = best(duck, args.repeat)
    print(f"parse  (extractor parser)       {t_parse:7.3f} s  {rows / t_parse:12,.0f} rows/s")
    print(f"load   (parse+dlt merge, offline) {t_load:7.3f} s  {rows / t_load:12,.0f} rows/s")
    print(f"duckdb (read_csv into a table)  {t_duck:7.3f} s  {rows / t_duck:12,.0f} rows/s")
    print(f"ratio parse/duckdb = {t_parse / t_duck:.2f}x   load/duckdb = {t_load / t_duck:.2f}x")


if __name__ == "__main__":
    main()
