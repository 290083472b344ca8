"""Benchmark every registered source: parse, parse+load, and DuckDB's read_csv of the same bytes.

    python scripts/bench_sources.py [--years 10] [--repeat 3] [--sources tso,jma] [--batch 8]
    python scripts/bench_sources.py --imports [--sources tso,jma,jepx] [--repeat 3]

For every source in ``extract.registry`` it takes the files of the bundled demo archive
(``demo/archive/<source>/``); for TSO it adds a synthetic ``--years``-year archive of monthly
common-format files for the ten areas, generated into a temp dir from the demo files' layouts
(each area's preamble, header, encoding, date/time style and values; nothing is committed).

Per file set it prints, best of ``--repeat`` runs (the big synthetic set: one run):

  parse       the source's parser alone (archived bytes -> typed Arrow tables)
  load        parse + ``extract.core.load.load_files`` into a fresh warehouse (dlt stage + one
              DuckDB transaction), gross and net of dlt's fixed per-run cost; that cost is
              measured once as the load of one tiny file and printed separately
  read_csv    DuckDB ``read_csv`` of the same files into a table (auto-detected types, the
              preamble skipped); cp932 files are transcoded to UTF-8 and zips unpacked first,
              outside the timing (DuckDB reads neither); .xlsx files have no read_csv equivalent
              and are left out of that column (their rows are counted in ours)
  ratio       net load time / read_csv time, per row (goal: <= 2)

Then the load cost against warehouse size: the same batch of files (``--batch`` legacy files,
and ``--batch`` monthly common files that replace area-months already loaded) into an empty
warehouse and into the warehouse holding the synthetic archive (~2M rows at 10 years); the goal
is the same rows/s. A benchmark, not a test: numbers depend on the machine.

``--imports`` instead times ``python -m extract.run import`` (``pipeline.import_files``) of each
source's demo files (and of the synthetic ``--years`` TSO archive, one run) into a fresh data dir,
wall and CPU time: as it runs (each file parsed once, by ``identify``,
and loaded from that parse) and with the parse kept by identify disabled
(``IMPORT_KEEP_BYTES = 0``: identify parses, the load parses again — the importer before it kept
identify's parse).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PMD_NO_PROGRESS", "1")
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")

import duckdb  # noqa: E402

from extract import registry  # noqa: E402
from extract.core.archive import Archive, ArchivedFile  # noqa: E402
from extract.core.config import DEMO_ARCHIVE, archive_dir, warehouse_path  # noqa: E402
from extract.core.load import load_files  # noqa: E402
from extract.core.source import Source  # noqa: E402
from extract.core.textio import normalise_name  # noqa: E402

HEADER_STARTS = {"DATE", "DATE_TIME", "月日", "年月日", "年月日時", "受渡日"}


@dataclass
class FileSet:
    label: str
    source: Source
    files: list[tuple[ArchivedFile, bytes]]  # as stored in the set's own archive
    data: Path  # data dir whose archive holds the files


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def fresh_warehouse(data: Path) -> None:
    for p in (warehouse_path(data), warehouse_path(data).with_suffix(".duckdb.wal")):
        p.unlink(missing_ok=True)
    shutil.rmtree(data / ".dlt", ignore_errors=True)


def store_all(source: str, data: Path, items: list[dict]) -> list[tuple[ArchivedFile, bytes]]:
    archive = Archive(archive_dir(data))
    out = []
    for it in items:
        entry, _ = archive.store(source=source, dataset=it["dataset"], name=it["name"],
                                 data=it["data"], url=it.get("url", "bench:"), origin="bench",
                                 period_start=it.get("period_start"),
                                 period_end=it.get("period_end"))
        out.append((entry, it["data"]))
    return out


def demo_items(name: str) -> list[dict]:
    demo = Archive(DEMO_ARCHIVE)
    spec = registry.get(name)
    history = [n for n, ds in spec.datasets.items() if ds.mode == "history"]
    items = []
    for e in demo.files(name, all_versions=history):
        if e.dataset not in spec.datasets:
            continue
        items.append({"dataset": e.dataset, "name": e.name, "data": demo.read(e), "url": e.url,
                      "period_start": date.fromisoformat(e.period_start) if e.period_start else None,
                      "period_end": date.fromisoformat(e.period_end) if e.period_end else None})
    return items


# -- synthetic 10-year TSO archive -------------------------------------------------------------
_DATE = re.compile(r'^"?(\d{4})(/|-)?(\d{1,2})(?:/|-)?(\d{1,2})"?$')


def synthetic_tso(years: int, last_month: date = date(2024, 3, 1)) -> list[dict]:
    """Monthly ``eria_jukyu_YYYYMM_NN.csv`` for the ten areas over ``years`` years ending with
    ``last_month``, each area in the layout of its demo file: same preamble, header, encoding,
    date style (``2024/3/1``, ``2024/03/01``, ``20240301``) and the full demo days' rows (time
    label and values) cycled over the days of every month."""
    from extract.sources.tso.common import file_kind

    demo = [it for it in demo_items("tso") if it["dataset"] == "area_supply_demand"]
    layouts = {}
    for it in demo:
        data = it["data"]
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                member = next(m for m in z.namelist() if m.endswith(".csv"))
                data, name = z.read(member), member.rsplit("/", 1)[-1]
        else:
            name = it["name"]
        area = file_kind(name)[1]
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, enc = data.decode("cp932"), "cp932"
        lines = text.splitlines()
        head = next(i for i, ln in enumerate(lines) if normalise_name(ln.split(",")[0]) == "DATE")
        days: dict[str, list[str]] = {}
        style = None
        for ln in lines[head + 1:]:
            cell, _, rest = ln.partition(",")
            m = _DATE.match(cell)
            if not m or not rest.strip(",\""):
                continue
            quote = '"' if cell.startswith('"') else ""
            sep = m.group(2) or ""
            pad = len(m.group(3)) == 2 and len(m.group(4)) == 2
            style = (quote, sep, pad)
            days.setdefault(cell, []).append(rest)
        full = [rows for rows in days.values() if len(rows) == 48]
        if area not in layouts or len(full) > len(layouts[area][3]):
            layouts[area] = (lines[:head + 1], enc, style, full)
    items = []
    months = [date(last_month.year - (12 - last_month.month + k) // 12,
                   (last_month.month - 1 - k) % 12 + 1, 1) for k in range(years * 12)]
    for area, (head_lines, enc, (quote, sep, pad), full) in sorted(layouts.items()):
        k = 0
        for month in reversed(months):
            nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            body = list(head_lines)
            day = month
            while day < nxt:
                d = (f"{day.year}{sep}{day.month:02d}{sep}{day.day:02d}" if pad
                     else f"{day.year}{sep}{day.month}{sep}{day.day}")
                prefix = f"{quote}{d}{quote},"
                body += [prefix + rest for rest in full[k % len(full)]]
                k += 1
                day += timedelta(days=1)
            items.append({"dataset": "area_supply_demand",
                          "name": f"eria_jukyu_{month:%Y%m}_{area}.csv",
                          "data": ("\n".join(body) + "\n").encode(enc),
                          "period_start": month, "period_end": nxt - timedelta(days=1)})
    return items


# -- measurements ------------------------------------------------------------------------------
def parse_all(fs: FileSet) -> int:
    rows = 0
    for entry, data in fs.files:
        tables = fs.source.datasets[entry.dataset].parse_tables(data, entry.path)
        rows += sum(t.num_rows for t in tables.values())
    return rows


def load_all(fs: FileSet, files=None, fresh: bool = True) -> int:
    if fresh:
        fresh_warehouse(fs.data)
    entries = [e for e, _ in (files or fs.files)]
    report = load_files(fs.source, entries, Archive(archive_dir(fs.data)), fs.data)
    assert not report.errors, report.errors[:3]
    return report.rows_loaded


def _skip(text: str) -> int:
    for i, line in enumerate(text.splitlines()[:40]):
        if normalise_name(line.split(",", 1)[0]) in HEADER_STARTS:
            return i
    return 0


def csv_copies(fs: FileSet, out: Path) -> list[tuple[Path, int]]:
    """UTF-8 copies of the set's CSV bytes (zip members unpacked) with their preamble length."""
    out.mkdir(parents=True, exist_ok=True)
    blobs: list[tuple[str, bytes]] = []
    for entry, data in fs.files:
        if data[:2] == b"PK":
            with contextlib.suppress(zipfile.BadZipFile), zipfile.ZipFile(io.BytesIO(data)) as z:
                if any(n.endswith(".xml") for n in z.namelist()):
                    continue  # .xlsx: no read_csv equivalent
                blobs += [(n.rsplit("/", 1)[-1], z.read(n)) for n in z.namelist()
                          if n.lower().endswith(".csv")]
            continue
        blobs.append((Path(entry.path).name, data))
    paths = []
    for i, (name, data) in enumerate(blobs):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp932")
        p = out / f"{i:05d}_{name}"
        p.write_text(text, encoding="utf-8")
        paths.append((p, _skip(text)))
    return paths


def read_csv_time(paths: list[tuple[Path, int]], tmp: Path, repeat: int) -> tuple[float, int]:
    # one read_csv per group of files sharing a header (as DuckDB would read a folder)
    groups: dict[tuple[int, str], list[str]] = {}
    for p, skip in paths:
        with p.open(encoding="utf-8") as fh:
            header = [next(fh, "") for _ in range(skip + 1)][-1]
        groups.setdefault((skip, header), []).append(str(p))
    rows = 0

    def run():
        nonlocal rows
        db = tmp / "read_csv.duckdb"
        db.unlink(missing_ok=True)
        con = duckdb.connect(str(db))
        rows = 0
        for i, ((skip, _), files) in enumerate(groups.items()):
            opts = f"skip={skip}, header=true"
            # typed (sniffed on the first file); else as text, padding ragged rows if need be
            for extra in ("", ", all_varchar=true", ", all_varchar=true, null_padding=true, "
                          "parallel=false"):
                try:
                    con.execute(f"create or replace table t{i} as select * from "
                                f"read_csv(?, {opts}{extra})", [files])
                    break
                except duckdb.Error:
                    continue
            else:
                raise RuntimeError(f"read_csv cannot read {files[0]}")
            rows += con.execute(f"select count(*) from t{i}").fetchone()[0]
        con.close()

    return best(run, repeat), rows


def rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:>11,.0f}" if seconds > 0 else f"{'-':>11}"


def tiny_tso_item() -> dict:
    text = ("単位[MW平均],,,供給力\nDATE,TIME,エリア需要,原子力,火力(LNG),火力(石炭),火力(石油),"
            "火力(その他),水力,地熱,バイオマス,太陽光発電実績,太陽光出力制御量,風力発電実績,風力出力制御量,"
            "揚水,蓄電池,連系線,その他,合計\n2024/4/1,0:00,100,0,50,20,0,0,10,0,0,0,0,5,0,0,0,15,0,100\n")
    return {"dataset": "area_supply_demand", "name": "eria_jukyu_202404_03.csv",
            "data": text.encode("cp932"), "period_start": date(2024, 4, 1),
            "period_end": date(2024, 4, 30)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--years", type=int, default=10, help="years of synthetic TSO files (0: none)")
    p.add_argument("--repeat", type=int, default=3, help="runs per small measurement (best kept)")
    p.add_argument("--sources", default=",".join(registry.names()), help="comma-separated")
    p.add_argument("--batch", type=int, default=8, help="files per warehouse-size batch")
    p.add_argument("--imports", action="store_true",
                   help="time the importer on the demo files: parse once vs parse twice")
    args = p.parse_args()
    logging.basicConfig(level=logging.WARNING)
    names = [n for n in args.sources.split(",") if n]
    tmp = Path(tempfile.mkdtemp(prefix="pmd-bench-"))
    try:
        if args.imports:
            run_imports(args, names, tmp)
        else:
            run(args, names, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _import(source: Source, paths: list[Path], data: Path, keep: int) -> int:
    """One import of ``paths`` into the fresh data dir ``data``; the rows loaded."""
    from extract.core import pipeline

    pipeline.IMPORT_KEEP_BYTES = keep
    data.mkdir(parents=True)
    try:
        result = pipeline.import_files(source, paths, data)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    if result.errors:
        raise SystemExit(f"{source.name}: import failed: {result.errors[:3]}")
    return result.rows_loaded


def best_wall_cpu(fn, repeat: int) -> tuple[float, float]:
    """Best wall time and best CPU time (this process, all threads) of ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus)


def run_imports(args, names: list[str], tmp: Path) -> None:
    from extract.core import pipeline

    keep = pipeline.IMPORT_KEEP_BYTES
    runs = iter(range(10**6))
    sets = [(name, registry.get(name), demo_items(name)) for name in names]
    if args.years and "tso" in names:
        sets.append((f"tso {args.years}y synth", registry.get("tso"), synthetic_tso(args.years)))
    print(f"{'files':<16} {'n':>4} {'rows':>9} {'twice wall':>10} {'once wall':>10} "
          f"{'twice CPU':>10} {'once CPU':>10} {'CPU saved':>9}")
    for label, source, items in sets:
        paths = []
        for i, it in enumerate(items):
            path = tmp / "in" / label.replace(" ", "_") / str(i) / it["name"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(it["data"])
            paths.append(path)
        repeat = 1 if "synth" in label else args.repeat
        try:
            # warm-up: imports, dlt, the parsers' caches
            rows = _import(source, paths, tmp / "imports" / str(next(runs)), keep)
            twice = best_wall_cpu(lambda s=source, p=paths: _import(
                s, p, tmp / "imports" / str(next(runs)), 0), repeat)
            once = best_wall_cpu(lambda s=source, p=paths: _import(
                s, p, tmp / "imports" / str(next(runs)), keep), repeat)
        finally:
            pipeline.IMPORT_KEEP_BYTES = keep
        print(f"{label:<16} {len(paths):>4} {rows:>9,} {twice[0]:>9.2f}s {once[0]:>9.2f}s "
              f"{twice[1]:>9.2f}s {once[1]:>9.2f}s {1 - once[1] / twice[1]:>9.0%}")


def run(args, names: list[str], tmp: Path) -> None:
    tso = registry.get("tso")
    t0 = time.perf_counter()
    fixed_set = FileSet("tiny", tso, [], tmp / "tiny")
    fixed_set.files = store_all("tso", fixed_set.data, [tiny_tso_item()])
    fixed = best(lambda: load_all(fixed_set), args.repeat)
    print(f"dlt fixed cost (load of one 1-row file into a fresh warehouse): {fixed:.3f} s")

    sets = [FileSet(n, registry.get(n), [], tmp / n) for n in names]
    for fs in sets:
        fs.files = store_all(fs.label, fs.data, demo_items(fs.label))
    big = None
    if args.years and "tso" in names:
        g0 = time.perf_counter()
        big = FileSet(f"tso {args.years}y synth", tso, [], tmp / "tso_big")
        big.files = store_all("tso", big.data, synthetic_tso(args.years))
        print(f"synthetic TSO archive: {len(big.files)} files, "
              f"{sum(len(d) for _, d in big.files) / 1e6:.0f} MB, generated in "
              f"{time.perf_counter() - g0:.1f} s")
        sets.append(big)

    print()
    print(f"{'file set':<16} {'files':>5} {'rows':>9} {'parse r/s':>11} {'load r/s':>11} "
          f"{'net r/s':>11} {'read_csv r/s':>12} {'ratio':>6}")
    for fs in sets:
        repeat = 1 if fs is big else args.repeat
        rows = parse_all(fs)
        t_parse = best(lambda fs=fs: parse_all(fs), repeat)
        t_load = best(lambda fs=fs: load_all(fs), repeat)
        paths = csv_copies(fs, tmp / "csv" / fs.label.replace(" ", "_"))
        t_csv, csv_rows = read_csv_time(paths, tmp, repeat)
        net = t_load - fixed  # <= 0: the set is too small to tell from the fixed cost
        ratio = (net / rows) / (t_csv / csv_rows) if csv_rows and rows and net > 0 else float("nan")
        print(f"{fs.label:<16} {len(fs.files):>5} {rows:>9,} {rate(rows, t_parse)} "
              f"{rate(rows, t_load)} {rate(rows, net)} {rate(csv_rows, t_csv):>12} "
              f"{ratio:>5.2f}x")

    if big is not None:
        # big holds the synthetic archive after its (last) load: ~2M rows at 10 years
        print()
        con = duckdb.connect(str(warehouse_path(big.data)), read_only=True)
        held = con.execute("select count(*) from raw_tso.area_supply_demand").fetchone()[0]
        con.close()
        legacy = [f for f in next(s for s in sets if s.label == "tso").files
                  if f[0].dataset == "area_supply_demand_legacy" and f[1][:2] != b"PK"]
        batches = {
            f"{args.batch} legacy files": legacy[:args.batch],
            f"{args.batch} common months": big.files[-args.batch:],
        }
        print(f"load cost vs warehouse size (big = {held:,} rows in raw_tso.area_supply_demand; "
              "rows/s net of the fixed cost)")
        for label, batch in batches.items():
            small = FileSet("empty", tso, [], tmp / "empty")
            small.files = store_all("tso", small.data, [
                {"dataset": e.dataset, "name": e.name, "data": d,
                 "period_start": date.fromisoformat(e.period_start) if e.period_start else None,
                 "period_end": date.fromisoformat(e.period_end) if e.period_end else None}
                for e, d in batch])
            rows = load_all(small)
            t_empty = best(lambda s=small: load_all(s), args.repeat)
            if batch[0][0].dataset == "area_supply_demand":
                into_big = [(e, d) for e, d in big.files if e.path in {b[0].path for b in batch}]
                big_batch = FileSet("big", tso, into_big, big.data)
            else:
                big_batch = FileSet("big", tso, [], big.data)
                big_batch.files = store_all("tso", big.data, [
                    {"dataset": e.dataset, "name": e.name, "data": d,
                     "period_start": date.fromisoformat(e.period_start) if e.period_start else None,
                     "period_end": date.fromisoformat(e.period_end) if e.period_end else None}
                    for e, d in batch])
            t_big = best(lambda s=big_batch: load_all(s, fresh=False), args.repeat)
            print(f"  {label:<18} {rows:>7,} rows  empty {t_empty:6.3f} s "
                  f"{rate(rows, t_empty - fixed)} r/s   big {t_big:6.3f} s "
                  f"{rate(rows, t_big - fixed)} r/s   big/empty {t_big / t_empty:.2f}x")
            shutil.rmtree(small.data, ignore_errors=True)
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
