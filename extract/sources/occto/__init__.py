"""OCCTO (電力広域的運営推進機関): interconnectors, wide-area reserve margin, demand forecasts.

Two systems (``../shared/reference/occto.md``):

* **web-kohyo** (広域予備率Web公表システム), plain ``GET downloadCsv?jhSybt=NN&tgtYmdFrom&tgtYmdTo``,
  one calendar month per request, served from April of the previous fiscal year:
  reserve margin by block/area (``jhSybt`` 02 翌日・当日, 05 翌々日, 01 週間) → ``kohyo_reserve_margin``;
  interconnectors (04 翌日・当日, 06 翌々日: capacity, margin, planned flow, free capacity, split
  flags) → ``kohyo_interconnectors``. Same-day values are re-published about every 30 minutes:
  both tables keep every fetched version (``history``) with the file's UPDATE stamp as
  ``published_at_jst``.
* **OCCTONET3** (系統情報サービス, screen CF01S010C; anonymous session → ``ok`` → ``download``,
  :mod:`.fetch`): 5-minute actual interconnector flows from 2025-04-01 →
  ``occtonet_interconnector_flows``; interconnector free capacity by horizon (05/06/07) →
  ``occtonet_interconnector_capacity`` (history); area demand forecast / peak supply (翌日 and 当日
  from 2016, 翌々日 from 2024-03-13) → ``occtonet_demand_forecast``.

Without ``--start`` a run asks for the previous and the current month (and what is published
ahead: up to two days, two weeks for the weekly reserve margin); an archived closed month is
never asked again and an open one is kept as a new version only when its bytes changed.
``--start`` backfills as far as each server keeps data; earlier dates are named in a warning.
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

from ...core.archive import RemoteFile, logical_name
from ...core.errors import ParseError
from ...core.source import Dataset, Identified, RunContext, Source
from ...core.textio import decode, decode_lenient, looks_like_html, reject_html
from ...core.timeutil import fiscal_year, periods
from . import fetch, kohyo, occtonet
from .settings import (
    HOSTS,
    IMMUTABLE_AFTER_DAYS,
    KOHYO_LINES,
    KOHYO_REQUEST_PERIOD,
    KOHYO_RESERVE,
    KOHYO_RETENTION_FISCAL_YEARS,
    KOHYO_URL,
    NET_AREA_BOXES,
    NET_CAPACITY,
    NET_DEMAND,
    NET_FLOWS,
    NET_SCREEN_URL,
    SOURCE,
    DataKind,
    kinds_of,
)

log = logging.getLogger(__name__)

DATASETS = {
    KOHYO_RESERVE: Dataset(
        name=KOHYO_RESERVE, parse=kohyo.parse_reserve, primary_key=kohyo.RESERVE_KEY,
        schema=kohyo.RESERVE_SCHEMA, mode="history",
        data_time="target_date", extent_by=("area_code",), extent_is_freshness=False,
        description="web-kohyo 広域予備率ブロック情報 (jhSybt 02 翌日・当日, 05 翌々日, 01 週間): block and "
        "area demand/supply/reserve per 30-minute period (end labels, text as published); every "
        "published version kept with its UPDATE stamp"),
    KOHYO_LINES: Dataset(
        name=KOHYO_LINES, parse=kohyo.parse_lines, primary_key=kohyo.LINE_KEY,
        schema=kohyo.LINE_SCHEMA, mode="history",
        data_time="target_date", extent_by=("line_name",), extent_is_freshness=False,
        description="web-kohyo 広域予備率連系線情報 (jhSybt 04 翌日・当日, 06 翌々日): operating capacity, "
        "margin, planned flow, free capacity, split flags per line and period; every published "
        "version kept with its UPDATE stamp"),
    NET_FLOWS: Dataset(
        name=NET_FLOWS, parse=occtonet.parse_flows, primary_key=occtonet.FLOW_KEY,
        schema=occtonet.FLOW_SCHEMA,
        data_time="target_date", extent_by=("line_name",),
        description="OCCTONET3 連系線潮流実績: 5-minute actual flow per line (signed along the line's "
        "順方向) with capacities and planned flow, from 2025-04-01"),
    NET_CAPACITY: Dataset(
        name=NET_CAPACITY, parse=occtonet.parse_capacity, primary_key=occtonet.CAPACITY_KEY,
        schema=occtonet.CAPACITY_SCHEMA, mode="history",
        data_time="target_date", extent_by=("line_name",), extent_is_freshness=False,
        description="OCCTONET3 連系線空容量 by horizon (05 翌々日, 06 翌日, 07 当日): one row per line, "
        "period and direction with its own update time; every fetched version kept"),
    NET_DEMAND: Dataset(
        name=NET_DEMAND, parse=occtonet.parse_demand, primary_key=occtonet.DEMAND_KEY,
        schema=occtonet.DEMAND_SCHEMA,
        data_time="target_date", extent_by=("area_code",), extent_is_freshness=False,
        description="OCCTONET3 需要予想・ピーク時供給力 (05 翌日, 06 当日 from 2016; 32 翌々日 from "
        "2024-03-13): daily min/max demand forecast, peak supply, usage and reserve per area"),
}

# how far ahead each horizon is published (an update asks up to today + this)
AHEAD_DAYS = {"weekly": 14, "two_days_ahead": 2, "day_ahead_same_day": 1, "day_ahead": 1,
              "same_day": 0, "actual": 0}


# ------------------------------------------------------------------------------ plan
def _window(ctx: RunContext, kind: DataKind) -> tuple[date, date] | None:
    """The dates to ask ``kind`` for: [start, end] within what the server keeps."""
    today = ctx.today
    end = min(ctx.end or date.max, today + timedelta(days=AHEAD_DAYS[kind.horizon]))
    if ctx.start is None:
        prev = date(today.year, today.month, 1) - timedelta(days=1)
        start = date(prev.year, prev.month, 1)
    else:
        start = ctx.start
    if kind.first_date is None:  # web-kohyo: from April of the previous fiscal year, rolling
        first = date(fiscal_year(today) - KOHYO_RETENTION_FISCAL_YEARS, 4, 1)
        where = "web-kohyo keeps data from April of the previous fiscal year"
    else:
        first = kind.first_date
        where = "OCCTONET3 serves it from that date"
    if ctx.start is not None and start < first:
        log.warning("occto: %s (%s %s) is served from %s only (%s); %s … %s not requested",
                    kind.name_ja, kind.system, kind.code, first, where, start,
                    min(end, first - timedelta(days=1)))
    start = max(start, first)
    return (start, end) if start <= end else None


def _immutable(ctx: RunContext, last: date) -> bool:
    return (ctx.today - last).days > IMMUTABLE_AFTER_DAYS


def _kohyo_files(ctx: RunContext, kind: DataKind) -> list[RemoteFile]:
    window = _window(ctx, kind)
    if window is None:
        return []
    out = []
    for first, last in periods(*window, KOHYO_REQUEST_PERIOD):
        out.append(RemoteFile(
            source=SOURCE, dataset=kind.dataset, name=f"kohyo_{kind.code}_{first:%Y%m}.csv",
            url=KOHYO_URL, period_start=first, period_end=last,
            immutable=_immutable(ctx, last), fetch=fetch.kohyo,
            params={"jhSybt": kind.code, "tgtYmdFrom": f"{first:%Y/%m/%d}",
                    "tgtYmdTo": f"{last:%Y/%m/%d}"}))
    return out


def _net_form(kind: DataKind, first: date, last: date) -> dict[str, str]:
    if kind.dataset == NET_DEMAND:
        return {"tabSntk": "1", "areaDataKnd": kind.code, "allAreaSectDwld": "11",
                **NET_AREA_BOXES, "areaSum": "11", "areaNngpFrom": f"{first:%Y/%m/%d}",
                "areaNngpTo": f"{last:%Y/%m/%d}"}
    return {"tabSntk": "0", "rklDataKnd": kind.code, "dvlSlashLblUpdaf": "1",
            "rklNngpFrom": f"{first:%Y/%m/%d}", "rklNngpTo": f"{last:%Y/%m/%d}",
            "allTgtRklSectDwld": "Y"}


def _net_files(ctx: RunContext, kind: DataKind) -> list[RemoteFile]:
    window = _window(ctx, kind)
    if window is None:
        return []
    label = {NET_FLOWS: "flows", NET_CAPACITY: "capacity", NET_DEMAND: "demand"}[kind.dataset]
    every = "fiscal-year" if kind.dataset == NET_DEMAND else "month"
    out = []
    for first, last in periods(*window, every):
        tag = f"FY{fiscal_year(first)}" if every == "fiscal-year" else f"{first:%Y%m}"
        out.append(RemoteFile(
            source=SOURCE, dataset=kind.dataset, name=f"occtonet_{label}_{kind.code}_{tag}.csv",
            url=NET_SCREEN_URL, period_start=first, period_end=last, method="POST",
            immutable=_immutable(ctx, last), fetch=fetch.occtonet,
            form=_net_form(kind, first, last)))
    return out


def plan(ctx: RunContext) -> list[RemoteFile]:
    out: list[RemoteFile] = []
    for dataset in DATASETS:
        if not ctx.wants(dataset):
            continue
        for kind in kinds_of(dataset):
            out += _kohyo_files(ctx, kind) if kind.system == "kohyo" else _net_files(ctx, kind)
    return out


# ------------------------------------------------------------------------------ checks
def validate(rf: RemoteFile, data: bytes) -> None:
    """An OCCTONET3 error page (HTTP 200) names its message; a CSV must start as expected."""
    if looks_like_html(data):
        text = re.sub(r"<[^>]+>", " ", decode_lenient(data[:8192]))
        raise ParseError(SOURCE, rf.name, "the server answered an HTML page instead of the CSV: "
                         f"{' '.join(text.split())[:160]!r}", line=1)
    if rf.dataset in (KOHYO_RESERVE, KOHYO_LINES):
        first_line = data.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0]
        kohyo.stamp(first_line.decode("utf-8", "replace"), rf.name)


def _kohyo_code(name: str, text: str) -> str:
    base = logical_name(name)
    m = re.search(r"jhSybt=?(\d{2})|^kohyo_(\d{2})_", base, re.I)
    if m:
        return m.group(1) or m.group(2)
    sniffed = kohyo.sniff(text)
    if sniffed:
        return sniffed
    if "週間" in base:
        return "01"
    if "翌々日" in base:
        return "05"
    raise ParseError(SOURCE, name, "a web-kohyo reserve-margin file with 区分名 is either 週間 "
                     "(jhSybt=01) or 翌々日 (05): put kohyo_01_ or kohyo_05_ in front of its name")


_NET_KIND = {"翌々日": "05", "翌日": "06", "当日": "07"}


def identify(name: str, data: bytes) -> Identified:
    """Which dataset a hand-downloaded OCCTO CSV is (by its content; names are free-form)."""
    reject_html(data, source=SOURCE, file=name)
    if data.startswith(b"\xef\xbb\xbf") or b"UPDATE" in data[:64]:
        text = decode(data, source=SOURCE, file=name, encodings=("utf-8",))
        kohyo.stamp(text, name)
        code = _kohyo_code(name, text)
        dataset = KOHYO_LINES if code in ("04", "06") else KOHYO_RESERVE
        probe = f"kohyo_{code}_import.csv"
        table = DATASETS[dataset].parse(data, probe)
        return _identified(dataset, f"kohyo_{code}", table, name)
    text = decode(data[:4096].rsplit(b"\n", 1)[0] if len(data) > 4096 else data,
                  source=SOURCE, file=name, encodings=("cp932",))
    header = text.split("\n", 1)[0]
    if "潮流実績" in header and "連系線" in header:
        dataset, label, code = NET_FLOWS, "flows", "11"
    elif header.startswith("対象断面"):
        first_row = (text.splitlines() + ["", ""])[1]
        code = _NET_KIND.get(first_row.split(",", 1)[0].strip('"'))
        if code is None:
            raise ParseError(SOURCE, name, f"unknown 対象断面 {first_row[:20]!r}", line=2)
        dataset, label = NET_CAPACITY, "capacity"
    elif header.startswith("策定日") and "対象エリア" in header:
        dataset, label, code = NET_DEMAND, "demand", _demand_code(name, data)
    else:
        raise ParseError(SOURCE, name, "not an OCCTO file: expected a web-kohyo CSV (UPDATE stamp, "
                         "UTF-8) or an OCCTONET3 連系線潮流実績 / 連系線空容量 / 需要予想 CSV (CP932)",
                         line=1)
    table = DATASETS[dataset].parse(data, f"occtonet_{label}_{code}_import.csv")
    return _identified(dataset, f"occtonet_{label}_{code}", table, name)


def _demand_code(name: str, data: bytes) -> str:
    """areaDataKnd from the gap between 策定日 and 対象日付 (2: 翌々日, 1: 翌日, 0: 当日)."""
    table = occtonet.parse_demand(data, f"occtonet_demand_00_{logical_name(name)}")
    gaps = {(t - f).days for f, t in zip(table.column("formulation_date").to_pylist(),
                                          table.column("target_date").to_pylist(), strict=True)}
    codes = {2: "32", 1: "05", 0: "06"}
    if len(gaps) != 1 or next(iter(gaps)) not in codes:
        raise ParseError(SOURCE, name, f"策定日 and 対象日付 are {sorted(gaps)} days apart: not one "
                         "of 翌々日 (2), 翌日 (1), 当日 (0)")
    return codes[gaps.pop()]


def _identified(dataset: str, stem: str, table, name: str) -> Identified:
    if table.num_rows == 0:
        raise ParseError(SOURCE, name, "the file has no data rows")
    days = table.column("target_date").to_pylist()
    first, last = min(days), max(days)
    return Identified(dataset, f"{stem}_{first:%Y%m%d}-{last:%Y%m%d}.csv", first, last,
                      tables=table)


SPEC = Source(
    name=SOURCE,
    description="OCCTO: interconnector capacity/planned and actual flows, wide-area reserve "
    "margin (web-kohyo, OCCTONET3), area demand forecasts",
    datasets=DATASETS,
    plan=plan,
    identify=identify,
    validate=validate,
    hosts=HOSTS,
)
