"""``python -m extract.run status``: per source × dataset, the last fetch, the latest data time,
rows, gaps (``marts.dq_coverage``) and the last error, judged against the publication calendar.

Exit code (for cron and monitoring): 0 when every scheduled dataset is fresh, 1 when one is
stale (its next data day has been public for longer than ``[pmd] stale_after_hours``), 3 when
days are LOST (a publisher that serves only its latest day(s) has dropped a day the archive
never got), 2 for bad arguments. ``--json`` prints the same for machines.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .. import registry
from ..core.config import OptionError, data_dir, pmd_setting
from ..core.timeutil import JST
from .schedule import freshness, missing_days, retention_days, to_jst_naive
from .state import DatasetState, SourceState, collect, gaps_for, planned_datasets

EXIT_OK, EXIT_STALE, EXIT_USAGE, EXIT_LOST = 0, 1, 2, 3


@dataclass
class Verdict:
    state: str  # ok | stale | lost | never loaded | not scheduled | no calendar
    detail: str = ""
    behind_days: int = 0
    overdue_hours: float = 0.0
    stale_parts: list[str] = field(default_factory=list)
    lost_days: list[date] = field(default_factory=list)
    at_risk_days: list[date] = field(default_factory=list)
    parts: list[dict] = field(default_factory=list)


def parse_now(text: str | None) -> datetime:
    """``--now``: an ISO date-time (naive = JST); default the current time."""
    if not text:
        return datetime.now(JST)
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=JST)


def evaluate(ds: DatasetState, planned: bool, now: datetime, tolerance_h: float) -> Verdict:
    if not ds.parts and not ds.rows:
        return Verdict("never loaded" if planned else "not scheduled")
    if not planned:
        return Verdict("not scheduled", "not fetched by the current plan and options")
    v = Verdict("ok")
    keep = retention_days(ds.source, ds.dataset)
    now_jst = to_jst_naive(now)
    for part, ps in sorted(ds.parts.items()):
        held = ps.last_data.date() if ps.last_data else None
        fr = freshness(ds.source, ds.dataset, part, held, now)
        if fr.rule is None:
            v.state, v.detail = "no calendar", "no publication rule for this dataset"
            return v
        v.parts.append({"part": part, "held_day": held, "expected_day": fr.expected_day,
                        "behind_days": fr.behind_days, "overdue_hours": round(fr.overdue_hours, 1),
                        "next_public_jst": fr.next_public})
        v.behind_days = max(v.behind_days, fr.behind_days)
        v.overdue_hours = max(v.overdue_hours, fr.overdue_hours)
        if fr.behind_days and fr.overdue_hours > tolerance_h:
            v.stale_parts.append(part or "*")
        if keep and ps.first_data and fr.expected_day:
            for day in missing_days(fr.rule, ps.days, ps.first_data.date(), fr.expected_day):
                gone = fr.rule.available_at(day) + timedelta(days=keep)
                (v.lost_days if now_jst > gone else v.at_risk_days).append(day)
    if v.lost_days:
        v.state = "LOST"
        v.detail = (f"{len(v.lost_days)} day(s) missed and no longer served: "
                    + ", ".join(d.isoformat() for d in sorted(set(v.lost_days))[:8]))
    elif v.stale_parts:
        v.state = "STALE"
        v.detail = (f"{v.behind_days} day(s) behind, next day public {_ago(v.overdue_hours)}"
                    + (f" (parts {', '.join(v.stale_parts[:6])})" if v.stale_parts != ["*"] else ""))
    elif v.behind_days:
        v.detail = f"next day public {_ago(v.overdue_hours)} (within {tolerance_h:g} h)"
    if v.at_risk_days and not v.lost_days:
        v.detail += ("; " if v.detail else "") + "missing, still served: " + ", ".join(
            d.isoformat() for d in sorted(set(v.at_risk_days)))
    return v


def _ago(hours: float) -> str:
    return f"{hours / 24:.0f} days ago" if hours >= 72 else f"{hours:.1f} h ago"


def _jst(text_or_dt) -> str:
    if text_or_dt is None:
        return "-"
    when = text_or_dt
    if isinstance(when, str):
        when = datetime.fromisoformat(when.replace("Z", "+00:00"))
    if when.tzinfo is None:
        return when.strftime("%Y-%m-%d %H:%M")
    return when.astimezone(JST).strftime("%Y-%m-%d %H:%M")


def _gaps_text(gaps: tuple[int, int] | None) -> str:
    if gaps is None:
        return "n/a (run dbt build)"
    months, missing = gaps
    return "none" if not missing else f"{missing:,} slots in {months} month(s)"


def build_report(states: list[SourceState], now: datetime, tolerance_h: float, data,
                 required: set[str]) -> tuple[list[dict], int]:
    rows, code = [], EXIT_OK
    for st in states:
        planned = planned_datasets(registry.get(st.source), to_jst_naive(now).date(), data)
        for ds in st.datasets:
            v = evaluate(ds, planned is None or ds.dataset in planned, now, tolerance_h)
            if v.state == "never loaded" and st.source in required:
                v.state, v.detail = "STALE", "never loaded"
            if v.state == "LOST":
                code = EXIT_LOST
            elif v.state == "STALE" and code == EXIT_OK:
                code = EXIT_STALE
            err = st.last_error
            rows.append({
                "source": st.source, "dataset": ds.dataset, "tables": list(ds.tables),
                "last_fetch": ds.last_fetch, "last_fetch_origin": ds.last_fetch_origin,
                "last_load": ds.last_load, "latest_data": ds.latest_data, "rows": ds.rows,
                "gaps": (None if st.gaps is None else dict(zip(
                    ("months_with_gaps", "missing_slots"),
                    gaps_for(st.gaps, st.source, ds.dataset), strict=True))),
                "state": v.state, "detail": v.detail, "behind_days": v.behind_days,
                "overdue_hours": round(v.overdue_hours, 1), "stale_parts": v.stale_parts,
                "lost_days": sorted({d.isoformat() for d in v.lost_days}),
                "at_risk_days": sorted({d.isoformat() for d in v.at_risk_days}),
                "rejected_body_at": ds.rejected,
                "last_error": ({"at": err["at"], "errors": err.get("errors", [])}
                               if err else None),
                "parts": v.parts,
            })
    return rows, code


def _json_default(o):
    return o.isoformat() if isinstance(o, date | datetime) else str(o)


def render(rows: list[dict], now: datetime, tolerance_h: float, console: Console) -> None:
    table = Table(title=f"powermarketdata status at {_jst(now)} JST "
                  f"(stale after {tolerance_h:g} h)", title_justify="left")
    for col in ("source", "dataset", "last fetch (JST)", "latest data (JST)", "rows", "gaps",
                "state", "last error"):
        table.add_column(col, overflow="fold", justify="right" if col == "rows" else "left")
    style = {"STALE": "bold yellow", "LOST": "bold white on red", "ok": "green"}
    for r in rows:
        err = r["last_error"]["errors"][0] if r["last_error"] and r["last_error"]["errors"] else ""
        if r["rejected_body_at"]:
            err = (err + "; " if err else "") + f"rejected body at {_jst(r['rejected_body_at'])}"
        state = r["state"] + (f": {r['detail']}" if r["detail"] else "")
        state, err = escape(state), escape(err)
        table.add_row(
            r["source"], r["dataset"], _jst(r["last_fetch"]) + (
                f" ({r['last_fetch_origin']})" if r["last_fetch_origin"] not in (None, "download")
                else ""),
            _jst(r["latest_data"]), "-" if r["rows"] is None else f"{r['rows']:,}",
            _gaps_text(None if r["gaps"] is None else tuple(r["gaps"].values())),
            f"[{style.get(r['state'], '')}]{state}[/]" if style.get(r["state"]) else state,
            err[:160])
    console.print(table)
    for r in rows:
        if r["state"] == "LOST":
            console.print(
                f"[bold white on red]!!! {r['source']}.{r['dataset']}: DATA LOST — "
                f"{', '.join(r['lost_days'])} missed; the publisher serves only its latest "
                f"day(s), so these days cannot be downloaded any more. Import them from a file "
                f"(python -m extract.run import {r['source']} FILE...) and run "
                f"'python -m extract.run due' every day (scripts/daily.sh).[/]")
        elif r["at_risk_days"]:
            console.print(
                f"[bold yellow]!!! {r['source']}.{r['dataset']}: "
                f"{', '.join(r['at_risk_days'])} not archived yet and served only briefly: "
                f"run 'python -m extract.run due' now.[/]")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m extract.run status",
        description="What is loaded and what is missing, per source and dataset. Exit code: 0 "
        "fresh, 1 a dataset is stale beyond its expected publication lag, 3 days were lost "
        "(latest-day-only publishers), 2 bad arguments.")
    p.add_argument("sources", nargs="*", metavar="SOURCE",
                   help="limit to these sources (a named source that was never loaded is stale)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--now", help="judge as of this ISO date-time (naive = JST), e.g. for tests")
    p.add_argument("--stale-after-hours", type=float,
                   help="tolerance after a day becomes public (default [pmd] stale_after_hours "
                   "or 12)")
    p.add_argument("--data-dir", help="data directory (default: $PMD_DATA_DIR, [pmd] data_dir, "
                   "./data)")
    return p


def cmd_status(argv: list[str], out=None) -> int:
    p = build_parser()
    args = p.parse_args(argv)
    unknown = [s for s in args.sources if s not in registry.SOURCES]
    if unknown:
        p.error(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(registry.names())}")
    try:
        now = parse_now(args.now)
        tolerance = args.stale_after_hours
        if tolerance is None:
            tolerance = pmd_setting("stale_after_hours", 12.0, parse=float).value
        data = data_dir(args.data_dir)
    except (ValueError, OptionError) as exc:
        p.error(str(exc))
    specs, broken = [], []
    for name in args.sources or registry.names():
        try:
            specs.append(registry.get(name))
        except Exception as exc:  # one broken source package must not hide the others
            broken.append({"source": name, "dataset": "*", "state": "ERROR",
                           "detail": f"cannot load module: {exc}", "rows": None,
                           "last_fetch": None, "last_fetch_origin": None, "latest_data": None,
                           "gaps": None, "rejected_body_at": None, "last_error": None,
                           "lost_days": [], "at_risk_days": []})
    states = collect(specs, data, now=now)
    rows, code = build_report(states, now, tolerance, data, set(args.sources))
    rows += broken
    if broken and code == EXIT_OK:
        code = EXIT_STALE
    out = out or sys.stdout
    if args.json:
        json.dump({"now": now.isoformat(), "data_dir": str(data), "stale_after_hours": tolerance,
                   "exit_code": code, "datasets": rows}, out, default=_json_default, indent=1,
                  ensure_ascii=False)
        out.write("\n")
    else:
        console = Console(file=out, width=None if out.isatty() else 200)
        render(rows, now, tolerance, console)
    return code
