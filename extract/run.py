"""Command line of the extractors.

    python -m extract.run SOURCE... [--start D] [--end D] [--offline] [source options]
    python -m extract.run list [SOURCE...]
    python -m extract.run import SOURCE PATH...
    python -m extract.run config | status [SOURCE...] | due [SOURCE...]
    python -m extract.run                  (in a terminal: the interactive menu)
    python -m extract.run verify [SOURCE...] [--rebuild-manifest]

``SOURCE`` is ``all`` or one or more registered sources (``python -m extract.run list``). Each
source declares its own options (``--areas`` …); they are added here from the registry.
Exit code 0 only when every selected source succeeded; 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from datetime import date
from pathlib import Path

import duckdb

from . import registry
from .core.archive import Archive
from .core.config import (
    OptionError,
    archive_dir,
    data_dir,
    exports_dir,
    resolve_options,
    warehouse_path,
)
from .core.errors import ExtractError
from .core.http import HttpClient, OfflineClient
from .core.load import ensure_raw_tables
from .core.lock import DataDirLocked, data_dir_lock
from .core.pipeline import SourceResult, WarehouseReader, import_files, run_source
from .core.source import RunContext, Source
from .core.timeutil import today_jst
from .ops.journal import record_runs

log = logging.getLogger("extract")
COMMANDS = ("list", "import", "verify", "config", "status", "due", "calendar")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _usage() -> str:
    return ("python -m extract.run SOURCE... [options]   (SOURCE: all | "
            + " | ".join(registry.names()) + ")\n"
            "       python -m extract.run list [SOURCE...]\n"
            "       python -m extract.run import SOURCE PATH... [options]\n"
            "       python -m extract.run verify [SOURCE...] [--rebuild-manifest]\n"
            "       python -m extract.run config | status [SOURCE...] [--json] | due [SOURCE...]\n"
            "       python -m extract.run calendar [--write]   (the publication calendar table)\n"
            "       python -m extract.run   (no arguments, in a terminal: interactive menu)")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir",
        help="data directory holding archive/, warehouse.duckdb and exports/ "
        "(default: $PMD_DATA_DIR or ./data)",
    )
    p.add_argument("--reload", action="store_true",
                   help="load archived files again even when the warehouse already has them")
    p.add_argument("--allow-shrink", action="store_true",
                   help="let a file replace a period's rows with FEWER rows than the warehouse "
                   "holds (refused by default: a shrinking month is usually a cut download)")
    p.add_argument("--wait-lock", type=float, default=0.0, metavar="SECONDS",
                   help="when another run holds the data directory, wait up to this long "
                   "(default: stop at once)")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging; list each file")
    p.add_argument("-q", "--quiet", action="store_true", help="warnings and errors only")


def _sources() -> list[Source]:
    out = []
    for name in registry.names():
        try:
            out.append(registry.get(name))
        except Exception as exc:  # reported when the source is selected
            log.debug("cannot import %s: %s", name, exc)
    return out


def source_flags(sources: list[Source]) -> dict[str, tuple[dataclasses.Field, list[str]]]:
    """CLI flag → (its field, names of the sources that declare it)."""
    flags: dict[str, tuple[dataclasses.Field, list[str]]] = {}
    for src in sources:
        for f in dataclasses.fields(src.options):
            flag = f.metadata.get("cli")
            if flag:
                flags.setdefault(flag, (f, []))[1].append(src.name)
    return flags


def build_parser(sources: list[Source] | None = None) -> argparse.ArgumentParser:
    sources = _sources() if sources is None else sources
    p = argparse.ArgumentParser(
        prog="python -m extract.run",
        usage=_usage(),
        description="Download, archive and load Japanese power-market data into DuckDB "
        "(raw_<source> schemas).",
        epilog="Commands: 'list [SOURCE...]' shows sources, datasets and raw tables; "
        "'import SOURCE PATH...' loads files you downloaded or bought (see 'import --help').",
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="'all' or source names")
    p.add_argument("--start", type=_date, help="first delivery date, JST (YYYY-MM-DD)")
    p.add_argument("--end", type=_date, help="last delivery date, JST (default: today)")
    p.add_argument("--offline", action="store_true",
                   help="make no network request: load only what the archive holds")
    p.add_argument("--datasets", help="comma-separated dataset names (default: all of the "
                   "selected sources'; see 'list')")
    p.add_argument("--refetch", action="store_true",
                   help="download closed-period files again even when archived "
                   "(a new version is kept only if the bytes changed)")
    group = p.add_argument_group("source options")
    for flag, (f, owners) in source_flags(sources).items():
        group.add_argument(flag, dest=f"opt_{f.name}", metavar=f.metadata.get("metavar"),
                           help=f"{f.metadata.get('help', '')} [{', '.join(owners)}]")
    _common(p)
    return p


def build_import_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m extract.run import",
        description="Copy files you downloaded by hand (or bought) into the archive and load them "
        "with the same parser as the downloader. Every good file is loaded; every file that is "
        "not recognised or does not parse is named with the reason (its bytes are kept) and "
        "the exit code is 1.",
    )
    p.add_argument("source", help="source name: " + ", ".join(registry.names()))
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
    headers = ("source", "downloaded", "imported", "archived", "unchanged", "files loaded",
               "rows loaded", "status")
    rows = [
        (r.source, str(r.downloaded), str(r.imported), str(r.already_archived), str(r.unchanged),
         str(r.files_loaded), f"{r.rows_loaded:,}",
         "ok" if r.ok else f"FAILED ({len(r.errors)})")
        for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    print("\n" + "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)), file=out)
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


def _ensure_all_raw_tables(data: Path, reader: WarehouseReader | None = None) -> str | None:
    """Create the missing raw tables; a message instead of a traceback when that fails.
    ``reader``: the run's read connection, to see first whether anything is missing at all (a
    run that loaded nothing then never opens the warehouse for writing)."""
    try:
        sources = _sources()
        if reader is not None:
            if reader.raw_tables_complete(sources):
                return None
            reader.close()
        for table in ensure_raw_tables(data, sources):
            log.info("created empty %s (no data loaded yet)", table)
    except ExtractError as exc:
        return f"could not create the empty raw tables: {exc}"
    except duckdb.Error as exc:
        return f"could not create the empty raw tables: {type(exc).__name__}: {exc}"
    return None


def _finish(results: list[SourceResult], data: Path, note: str | None = None) -> int:
    """Print the closing table (always) and return the exit code."""
    print_summary(results, data)
    if note:
        print(f"error: {note}")
    return 0 if results and all(r.ok for r in results) and not note else 1


def cmd_list(argv: list[str]) -> int:
    unknown = [n for n in argv if n not in registry.SOURCES]
    if unknown:
        print(f"error: unknown source(s) {', '.join(unknown)}; known: "
              f"{', '.join(registry.names())}", file=sys.stderr)
        return 2
    for name in argv or registry.names():
        spec = registry.get(name)
        print(f"{name:10s} {spec.description}")
        for ds in spec.datasets.values():
            tables = ", ".join(f"raw_{name}.{t.name} ({t.mode})" for t in ds.tables)
            print(f"{'':10s}   {ds.name}: {ds.description}\n{'':10s}     → {tables}")
        flags = [f.metadata["cli"] for f in dataclasses.fields(spec.options) if f.metadata.get("cli")]
        if flags:
            print(f"{'':10s}   options: {' '.join(flags)}")
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
    try:
        with data_dir_lock(data, wait=args.wait_lock):
            result = import_files(spec, list(args.paths), data, reload=args.reload,
                                  allow_shrink=args.allow_shrink)
            note = _ensure_all_raw_tables(data)
    except DataDirLocked as exc:
        return _finish([SourceResult(spec.name, errors=[str(exc)])], data)
    return _finish([result], data, note)


def cmd_verify(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="python -m extract.run verify",
        description="Check the raw archive: every manifest entry's file exists and matches its "
        "sha256; files without an entry and unreadable manifest lines are listed. Exit 1 when "
        "anything is wrong.")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="sources (default: all in the "
                   "archive)")
    p.add_argument("--rebuild-manifest", action="store_true",
                   help="write a new manifest.jsonl from the archived files (the old one is "
                   "kept as manifest.jsonl.bak-<stamp>); changed files are left out and listed")
    p.add_argument("--data-dir", help="data directory (default: $PMD_DATA_DIR or ./data)")
    args = p.parse_args(argv)
    setup_logging(False, False)
    data = data_dir(args.data_dir)
    archive = Archive(archive_dir(data))
    names = args.sources or archive.sources()
    ok = True
    for name in names:
        if args.rebuild_manifest:
            try:
                with data_dir_lock(data):
                    report = archive.rebuild_manifest(name)
            except DataDirLocked as exc:
                print(f"error: {exc}")
                return 1
        else:
            report = archive.verify(name)
        mpath = archive.manifest_path(name)
        for line in report.bad_lines:
            print(f"{name}: unreadable manifest line: {line}"
                  + (" (left out of the rebuilt manifest)" if args.rebuild_manifest else ""))
        if report.manifest_missing and report.unlisted and not args.rebuild_manifest:
            print(f"{name}: {mpath} is missing")
        for path in report.missing:
            print(f"{name}: MISSING {path} (listed in the manifest, file gone)")
        for path in report.changed:
            print(f"{name}: CHANGED {path} (sha256 differs from the manifest/its name)")
        for path in report.unlisted:
            print(f"{name}: {'ADDED' if args.rebuild_manifest else 'UNLISTED'} {path}"
                  + ("" if args.rebuild_manifest else " (no manifest entry)"))
        if args.rebuild_manifest:
            print(f"{name}: wrote {mpath} with {report.checked} entries")
            ok &= not (report.missing or report.changed)
        else:
            print(f"{name}: {report.checked} file(s) ok" + ("" if report.ok else
                  f"; problems found — `python -m extract.run verify --rebuild-manifest {name}` "
                  "rebuilds the manifest from the files"))
            ok &= report.ok
    if not names:
        print(f"no archive at {archive_dir(data)}")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("config", "status", "due", "calendar"):
        from .ops.commands import dispatch
        return dispatch(argv, _usage())
    if argv and argv[0] == "import":
        return cmd_import(argv[1:])
    if argv and argv[0] == "verify":
        return cmd_verify(argv[1:])
    if argv and argv[0] == "list":
        return cmd_list(argv[1:])
    sources = _sources()
    parser = build_parser(sources)
    args = parser.parse_args(argv)
    names = registry.names() if args.sources == ["all"] else args.sources
    unknown = [n for n in names if n not in registry.SOURCES]
    if unknown:
        parser.error(f"unknown source(s) {', '.join(unknown)}; known: all, "
                     f"{', '.join(registry.names())}, or a command: {', '.join(COMMANDS)}")
    if args.start and args.end and args.start > args.end:
        parser.error("--start is after --end")
    setup_logging(args.verbose, args.quiet)

    # each selected source's options, from the flags it declares (+ environment, defaults)
    flags = source_flags(sources)
    selected = [s for s in sources if s.name in names]
    for flag, (f, owners) in flags.items():
        if getattr(args, f"opt_{f.name}") is not None and not set(owners) & set(names):
            parser.error(f"{flag} applies to {', '.join(owners)}, not to {', '.join(names)}")
    datasets = None
    if args.datasets:
        datasets = tuple(d.strip() for d in args.datasets.split(",") if d.strip())
        known = {d for s in selected for d in s.datasets}
        bad = [d for d in datasets if d not in known]
        if bad:
            parser.error(f"unknown dataset(s) {', '.join(bad)} for {', '.join(names)}; known: "
                         f"{', '.join(sorted(known))}")
    contexts: dict[str, RunContext] = {}
    for spec in selected:
        given = {f.name: getattr(args, f"opt_{f.name}", None)
                 for f in dataclasses.fields(spec.options) if f.metadata.get("cli")}
        try:
            options = resolve_options(spec.name, spec.options, given)
        except OptionError as exc:
            parser.error(str(exc))
        contexts[spec.name] = RunContext(
            start=args.start, end=args.end, today=today_jst(), offline=args.offline,
            options=options,
            datasets=tuple(d for d in datasets if d in spec.datasets) if datasets else None)

    data = data_dir(args.data_dir)
    data.mkdir(parents=True, exist_ok=True)
    exports_dir(data).mkdir(parents=True, exist_ok=True)
    client = OfflineClient() if args.offline else HttpClient()
    results: list[SourceResult] = []
    note = None
    reader = WarehouseReader(data)  # one connection for the ledger reads of every source
    try:
        with data_dir_lock(data, wait=args.wait_lock), reader:
            for name in names:
                log.info("source %s: %s", name,
                         "offline replay of the archive" if args.offline else "run")
                if name not in contexts:  # its package failed to import
                    try:
                        registry.get(name)
                    except Exception as exc:
                        results.append(SourceResult(name, errors=[f"[{name}] cannot load "
                                                                  f"module: {exc}"]))
                    continue
                results.append(run_source(registry.get(name), contexts[name], data, client,
                                          reload=args.reload, refetch=args.refetch,
                                          allow_shrink=args.allow_shrink, reader=reader))
            note = _ensure_all_raw_tables(data, reader)
    except DataDirLocked as exc:
        results = [SourceResult(name, errors=[str(exc)]) for name in names]
    except BaseException as exc:  # the closing table is printed whatever happened
        done = {r.source for r in results}
        results += [SourceResult(n, errors=[f"[{n}] not run: {type(exc).__name__}: {exc}"])
                    for n in names if n not in done]
        _finish(results, data)
        raise
    code = _finish(results, data, note)
    record_runs(results, data)
    print(f"exports (after dbt build): {exports_dir(data)}")
    return code


if __name__ == "__main__":
    sys.exit(main())
