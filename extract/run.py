"""Command line: ``python -m extract.run all | <source>... | list | import <source> PATH...``.

Examples::

    python -m extract.run list
    python -m extract.run all --offline                  # replay the archive, no network
    python -m extract.run jepx --start 2016-04-01        # backfill JEPX from FY2016
    python -m extract.run import jepx ~/Downloads/spot_summary_2024.csv

Exit code 0 only when every selected source succeeded.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

from . import registry
from .config import data_dir, exports_dir, warehouse_path
from .http import HttpClient, OfflineClient
from .pipeline import SourceResult, ensure_raw_tables, import_files, run_source
from .source import RunContext
from .timeutil import today_jst

log = logging.getLogger("extract")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir",
        help="data directory holding archive/, warehouse.duckdb and exports/ "
        "(default: $PMD_DATA_DIR or ./data)",
    )
    p.add_argument("--reload", action="store_true",
                   help="load archived files again even when the warehouse already has them")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    p.add_argument("-q", "--quiet", action="store_true", help="warnings and errors only")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m extract.run",
        description="Download, archive and load Japanese power-market data into DuckDB "
        "(raw_<source> schemas). Sources: " + ", ".join(registry.names()) + ".",
        epilog="Also: 'python -m extract.run list' shows the sources; "
        "'python -m extract.run import SOURCE PATH...' loads files downloaded by hand "
        "(see 'python -m extract.run import --help').",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="'all', 'list', or one or more source names")
    p.add_argument("--start", type=_date, help="first delivery date, JST (YYYY-MM-DD)")
    p.add_argument("--end", type=_date, help="last delivery date, JST (default: today)")
    p.add_argument("--offline", action="store_true",
                   help="make no network request: load only what the archive holds")
    p.add_argument("--areas", help="comma-separated area codes 01..10 (sources with areas)")
    p.add_argument("--refetch", action="store_true",
                   help="download closed-period files again even when archived "
                   "(a new version is kept only if the bytes changed)")
    _common(p)
    return p


def build_import_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m extract.run import",
        description="Copy files you downloaded by hand (or bought) into the archive and load them "
        "with the same parser as the downloader.",
    )
    p.add_argument("source", help="source name, e.g. jepx")
    p.add_argument("paths", nargs="+", type=Path, help="files to import")
    _common(p)
    return p


def setup_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
                        datefmt="%H:%M:%S")
    for noisy in ("dlt", "urllib3", "filelock"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def print_summary(results: list[SourceResult], data: Path, out=None) -> None:
    out = out or sys.stdout
    headers = ("source", "downloaded", "archived", "unchanged", "files loaded", "rows loaded",
               "status")
    rows = [
        (r.source, str(r.downloaded), str(r.already_archived), str(r.unchanged),
         str(r.files_loaded), f"{r.rows_loaded:,}", "ok" if r.ok else f"FAILED ({len(r.errors)})")
        for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print("\n" + line, file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)), file=out)
    for r in results:
        for err in r.errors:
            print(f"error: {err}", file=out)
    for r in results:
        if r.unavailable:
            print(f"note: {r.source}: {r.unavailable} file(s) no longer served (404), skipped",
                  file=out)
    print(f"\nwarehouse: {warehouse_path(data)}", file=out)


def _ensure_all_raw_tables(data: Path) -> None:
    specs = []
    for name in registry.names():
        try:
            specs.append(registry.get(name))
        except Exception as exc:  # reported by the run itself
            log.debug("cannot import %s: %s", name, exc)
    for table in ensure_raw_tables(data, specs):
        log.info("created empty %s (no data loaded yet)", table)


def cmd_list() -> int:
    for name in registry.names():
        spec = registry.get(name)
        print(f"{name:10s} {spec.description}")
        for ds in spec.datasets.values():
            print(f"{'':10s}   raw_{name}.{ds.name}: {ds.description}")
    return 0


def cmd_import(argv: list[str]) -> int:
    args = build_import_parser().parse_args(argv)
    setup_logging(args.verbose, args.quiet)
    data = data_dir(args.data_dir)
    try:
        spec = registry.get(args.source)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    missing = [str(p) for p in args.paths if not p.is_file()]
    if missing:
        print(f"error: not a file: {', '.join(missing)}", file=sys.stderr)
        return 2
    data.mkdir(parents=True, exist_ok=True)
    exports_dir(data).mkdir(parents=True, exist_ok=True)
    result = import_files(spec, list(args.paths), data, reload=args.reload)
    _ensure_all_raw_tables(data)
    print_summary([result], data)
    return 0 if result.ok else 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "import":
        return cmd_import(argv[1:])
    args = build_parser().parse_args(argv)
    if args.sources == ["list"]:
        return cmd_list()
    setup_logging(args.verbose, args.quiet)
    names = registry.names() if args.sources == ["all"] else args.sources
    unknown = [n for n in names if n not in registry.SOURCES]
    if unknown:
        print(f"error: unknown source(s) {unknown}; known: {registry.names()}", file=sys.stderr)
        return 2
    if args.start and args.end and args.start > args.end:
        print("error: --start is after --end", file=sys.stderr)
        return 2
    data = data_dir(args.data_dir)
    data.mkdir(parents=True, exist_ok=True)
    options = {}
    if args.areas:
        options["areas"] = [a.strip().zfill(2) for a in args.areas.split(",") if a.strip()]
    ctx = RunContext(start=args.start, end=args.end, today=today_jst(), offline=args.offline,
                     options=options)
    client = OfflineClient() if args.offline else HttpClient()
    exports_dir(data).mkdir(parents=True, exist_ok=True)
    results = []
    for name in names:
        log.info("source %s: %s", name, "offline replay of the archive" if args.offline else "run")
        try:
            spec = registry.get(name)
        except Exception as exc:  # a broken module must not stop the others
            results.append(SourceResult(name, errors=[f"[{name}] cannot load module: {exc}"]))
            continue
        results.append(
            run_source(spec, ctx, data, client, reload=args.reload, refetch=args.refetch)
        )
    _ensure_all_raw_tables(data)
    print_summary(results, data)
    print(f"exports (after dbt build): {exports_dir(data)}")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
