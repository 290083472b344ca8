"""``python -m extract.run due``: run what the publication calendar says is public now and the
archive does not hold yet.

For every dataset the source's plan fetches with the effective options, and for each of its
parts (area/station) the archive holds: when the next data day after the latest one held is
already public (its rule's availability time has passed), the dataset is due; a dataset never
loaded is due too. Each source with due datasets runs once for those datasets, from the first
missing day (the plan decides the files), with progress bars; the run is journalled and
``<data>/ops/last_due.json`` says what ran and how many rows were loaded (scripts/daily.sh runs
``dbt build`` only when that is more than zero). ``--schedule`` prints the calendar instead.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date, datetime

from rich.console import Console
from rich.table import Table

from .. import registry
from ..core.config import OptionError, data_dir, exports_dir, resolve_options
from ..core.refdata import publication_rules
from ..core.source import RunContext
from .journal import record_runs
from .schedule import (
    freshness,
    latest_public_day,
    missing_days,
    next_expected_day,
    retention_days,
    to_jst_naive,
)
from .state import collect, planned_datasets
from .status import parse_now


@dataclass
class DueItem:
    source: str
    dataset: str
    start: date | None  # first missing day (None: never loaded, the plan's default range)
    reason: str


def _parts(parts: list[str]) -> str:
    return ", ".join(parts[:4]) + (f" … ({len(parts)})" if len(parts) > 4 else "")


def due_items(names: list[str], data, now: datetime) -> list[DueItem]:
    items: list[DueItem] = []
    today = to_jst_naive(now).date()
    for st in collect([registry.get(n) for n in names], data, now=now):
        planned = planned_datasets(registry.get(st.source), today, data)
        for ds in st.datasets:
            if planned is not None and ds.dataset not in planned:
                continue
            parts = ds.parts or {"": None}
            starts: list[date | None] = []
            reasons: dict[str, list[str]] = {}  # reason → parts
            for part, ps in sorted(parts.items()):
                held = ps.last_data.date() if ps and ps.last_data else None
                fr = freshness(ds.source, ds.dataset, part, held, now)
                if fr.rule is None:
                    break
                if held is None:
                    starts.append(None)
                    reasons.setdefault("never loaded", []).append(part)
                    continue
                if fr.behind_days:
                    nxt = next_expected_day(fr.rule, held)
                    starts.append(nxt)
                    reasons.setdefault(
                        f"held to {held}; {nxt} public since {fr.next_public:%Y-%m-%d %H:%M} "
                        f"JST (up to {fr.expected_day} now)", []).append(part)
                if retention_days(ds.source, ds.dataset) and ps.first_data and fr.expected_day:
                    gaps = missing_days(fr.rule, ps.days, ps.first_data.date(), fr.expected_day)
                    if gaps:
                        starts.append(min(gaps))
                        reasons.setdefault(f"missing {', '.join(map(str, gaps[:5]))}",
                                           []).append(part)
            if reasons:
                first = None if None in starts else min(s for s in starts if s is not None)
                items.append(DueItem(ds.source, ds.dataset, first, "; ".join(
                    (_parts(parts) + ": " if any(parts) else "") + why
                    for why, parts in reasons.items())))
    return items


def describe(r) -> str:
    """A rule in words: ``D-1 12:30`` (day D's data at 12:30 the day before)."""
    if r.rule == "day_offset":
        text = f"D{r.lag_days or 0:+d} {r.available_time_jst}"
    elif r.rule == "month_day":
        text = f"day {r.month_day} of M+1 {r.available_time_jst}"
    elif r.rule == "period_end":
        text = f"{r.period} end +{r.lag_days or 0}d {r.available_time_jst}"
    else:
        text = r.rule
    return text + (f" +{r.margin_hours:g}h" if r.margin_hours else "")


def print_schedule(names: list[str], now: datetime, console: Console) -> None:
    table = Table(title=f"publication calendar at {to_jst_naive(now):%Y-%m-%d %H:%M} JST",
                  title_justify="left")
    for col in ("source", "dataset", "area", "cadence", "rule", "latest public day",
                "next day public at (JST)"):
        table.add_column(col)
    for r in publication_rules():
        if r.source not in names:
            continue
        latest = latest_public_day(r, now)
        nxt = next_expected_day(r, latest) if latest else None
        table.add_row(r.source, r.dataset, r.area_code, r.cadence, describe(r),
                      str(latest or "-"), f"{r.available_at(nxt):%Y-%m-%d %H:%M}" if nxt else "-")
    console.print(table)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m extract.run due",
        description="Run what is public now and not archived yet (from the publication "
        "calendar), then say so in <data>/ops/last_due.json. Exit 0 when every run succeeded "
        "(or nothing was due), 1 when one failed, 2 for bad arguments.")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="limit to these sources")
    p.add_argument("--dry-run", action="store_true", help="list what is due, run nothing")
    p.add_argument("--schedule", action="store_true",
                   help="print the publication calendar (when each dataset appears) and exit")
    p.add_argument("--offline", action="store_true", help="load only what the archive holds")
    p.add_argument("--now", help="as of this ISO date-time (naive = JST)")
    p.add_argument("--data-dir", help="data directory")
    p.add_argument("-q", "--quiet", action="store_true", help="warnings and errors only")
    return p


def cmd_due(argv: list[str], out=None) -> int:
    from ..core.http import HttpClient, OfflineClient
    from ..core.pipeline import WarehouseReader, run_source
    from ..run import _ensure_all_raw_tables, print_summary, setup_logging

    p = build_parser()
    args = p.parse_args(argv)
    out = out or sys.stdout
    console = Console(file=out, width=None if out.isatty() else 200)
    unknown = [s for s in args.sources if s not in registry.SOURCES]
    if unknown:
        p.error(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(registry.names())}")
    try:
        now = parse_now(args.now)
        data = data_dir(args.data_dir)
    except (ValueError, OptionError) as exc:
        p.error(str(exc))
    names = args.sources or registry.names()
    if args.schedule:
        print_schedule(names, now, console)
        return 0
    setup_logging(False, args.quiet)
    items = due_items(names, data, now)
    table = Table(title=f"due at {to_jst_naive(now):%Y-%m-%d %H:%M} JST", title_justify="left")
    for col in ("source", "dataset", "from", "why"):
        table.add_column(col, overflow="fold")
    for it in items:
        table.add_row(it.source, it.dataset, str(it.start or "plan default"), it.reason)
    console.print(table if items else "nothing is due: every scheduled dataset holds its latest "
                  "public day")
    summary = {"now": now.isoformat(), "due": [it.__dict__ | {"start": str(it.start or "")}
                                               for it in items],
               "rows_loaded": 0, "rows_by_source": {}, "ok": True, "dry_run": args.dry_run}
    if args.dry_run or not items:
        _write_last(data, summary)
        return 0
    data.mkdir(parents=True, exist_ok=True)
    exports_dir(data).mkdir(parents=True, exist_ok=True)
    client = OfflineClient() if args.offline else HttpClient()
    results = []
    with WarehouseReader(data) as reader:  # one connection for the ledger reads
        for name in dict.fromkeys(it.source for it in items):
            spec = registry.get(name)
            mine = [it for it in items if it.source == name]
            start = None if any(it.start is None for it in mine) else min(it.start for it in mine)
            try:
                options = resolve_options(name, spec.options)
            except OptionError as exc:
                p.error(str(exc))
            ctx = RunContext(start=start, end=None, today=to_jst_naive(now).date(),
                             offline=args.offline, options=options,
                             datasets=tuple(it.dataset for it in mine))
            results.append(run_source(spec, ctx, data, client, reader=reader))
        _ensure_all_raw_tables(data, reader)
    record_runs(results, data, command="due")
    print_summary(results, data, out=out)
    summary.update(rows_loaded=sum(r.rows_loaded for r in results),
                   rows_by_source={r.source: r.rows_loaded for r in results},
                   ok=all(r.ok for r in results))
    _write_last(data, summary)
    return 0 if summary["ok"] else 1


def _write_last(data, summary: dict) -> None:
    path = data / "ops" / "last_due.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=1, default=str) + "\n", encoding="utf-8")
