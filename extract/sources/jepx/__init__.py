"""JEPX (Japan Electric Power Exchange): day-ahead spot results (both file families), intraday,
avoidable cost / FIP reference price, and the daily bid curves and market-splitting groups.

* fiscal-year files (spot, intraday, fit_fip): keys (delivery_date, time_code), slots 1..48 JST;
* daily files (``spot_bid_curves``, ``spot_splitting_areas``, from 2022-06-01): one file per
  delivery day, published after the auction on D−1; merged by delivery_date.

URLs in :mod:`.settings`. Raw tables land in ``raw_jepx``.
"""

from __future__ import annotations

from datetime import date, timedelta

from ...core.archive import RemoteFile
from ...core.errors import ParseError
from ...core.lazy import lazy_module
from ...core.source import Identified, RunContext, Source
from ...core.textio import decode, reject_html
from ...core.timeutil import fiscal_year, fiscal_year_bounds, periods
from .bid_curves import BID_CURVES, parse_bid_curves
from .fit_fip import FIT_FIP, parse_fit_fip
from .intraday import INTRADAY, parse_intraday
from .settings import (
    BID_CURVES_PAGE,
    DAILY_FILES,
    DAILY_FIRST_DAY,
    DAILY_IMMUTABLE_AFTER_DAYS,
    DAILY_LOOKBACK_DAYS,
    FY_FILES,
    IMMUTABLE_AFTER_DAYS,
    MIN_BODY_BYTES,
    SOURCE,
)
from .splitting_areas import SPLITTING_AREAS, parse_splitting_areas
from .spot import SPOT_MARKET_EXCEL, SPOT_SUMMARY, parse_spot_market_excel, parse_spot_summary

pc = lazy_module("pyarrow.compute")

DATASETS = {ds.name: ds for ds in (SPOT_SUMMARY, SPOT_MARKET_EXCEL, INTRADAY, FIT_FIP,
                                   BID_CURVES, SPLITTING_AREAS)}


def fy_remote(dataset: str, fy: int, today: date) -> RemoteFile:
    """The fiscal-year file of ``dataset``; closed once its year ended IMMUTABLE_AFTER_DAYS ago."""
    name, url, _, headers = FY_FILES[dataset]
    start, end = fiscal_year_bounds(fy)
    return RemoteFile(
        source=SOURCE,
        dataset=dataset,
        name=name.format(fy=fy),
        url=url.format(fy=fy),
        period_start=start,
        period_end=end,
        immutable=(today - end).days > IMMUTABLE_AFTER_DAYS,
        headers=dict(headers),
    )


def daily_remote(dataset: str, day: date, today: date) -> RemoteFile:
    """The file of one delivery day; closed DAILY_IMMUTABLE_AFTER_DAYS after that day."""
    name, url = DAILY_FILES[dataset]
    ymd = f"{day:%Y%m%d}"
    return RemoteFile(
        source=SOURCE, dataset=dataset, name=name.format(ymd=ymd), url=url.format(ymd=ymd),
        period_start=day, period_end=day,
        immutable=(today - day).days > DAILY_IMMUTABLE_AFTER_DAYS,
        headers={"Referer": BID_CURVES_PAGE, "Accept": "*/*"},
    )


def plan(ctx: RunContext) -> list[RemoteFile]:
    """FY files covering [start, end] (without --start: the current fiscal year) and the daily
    files of every delivery day in [start, end] (without --start: the last
    DAILY_LOOKBACK_DAYS days and tomorrow, whose files appear after today's auction)."""
    today = ctx.today
    end = min(ctx.end or today, today)
    start = ctx.start or fiscal_year_bounds(fiscal_year(today))[0]
    out: list[RemoteFile] = []
    for fy_start, _ in periods(start, end, "fiscal-year"):
        fy = fy_start.year
        for dataset, (_, _, first_fy, _) in FY_FILES.items():
            if ctx.wants(dataset) and fy >= first_fy:
                out.append(fy_remote(dataset, fy, today))
    tomorrow = today + timedelta(days=1)
    day_end = min(ctx.end or tomorrow, tomorrow)
    day_start = max(ctx.start or today - timedelta(days=DAILY_LOOKBACK_DAYS), DAILY_FIRST_DAY)
    for dataset in DAILY_FILES:
        if ctx.wants(dataset):
            out += [daily_remote(dataset, day, today)
                    for day, _ in periods(day_start, day_end, "day")]
    return out


def validate(rf: RemoteFile, data: bytes) -> None:
    """Refuse bodies that cannot be a spot file before they become an archive version."""
    reject_html(data, source=SOURCE, file=rf.name)
    if len(data) < MIN_BODY_BYTES:
        raise ParseError(SOURCE, rf.name, f"response of {len(data)} bytes is too short to be data")


def identify(name: str, data: bytes) -> Identified:
    """Which dataset a hand-downloaded JEPX file is, and which dates it covers."""
    reject_html(data, source=SOURCE, file=name)
    if not data.strip():
        raise ParseError(SOURCE, name, f"the file is empty ({len(data)} bytes)", line=1)
    first_line = data[:4096].split(b"\n", 1)[0]
    header = decode(first_line, source=SOURCE, file=name).strip()
    # the bid-curve and splitting files say 電力受渡日, which contains the spot files' 受渡日
    if "電力受渡日" in header and "入札価格" in header:
        dataset, table = "spot_bid_curves", parse_bid_curves(data, name)
    elif "電力受渡日" in header and "エリアグループ" in header:
        dataset, table = "spot_splitting_areas", parse_splitting_areas(data, name)
    elif "受渡日" in header and "電力受渡日" not in header:
        dataset, table = "spot_summary", parse_spot_summary(data, name)
    elif "年月日" in header and "エリアプライス" in header:
        dataset, table = "spot_market_excel", parse_spot_market_excel(data, name)
    elif "年月日" in header and "始値" in header:
        dataset, table = "intraday", parse_intraday(data, name)
    elif "年月日" in header and "回避可能原価" in header:
        dataset, table = "fit_fip", parse_fit_fip(data, name)
    else:
        raise ParseError(
            SOURCE, name, "not a JEPX spot or intraday file, nor a fit_fip, bid-curve or "
            "splitting-area file (no 受渡日, 年月日 + エリアプライス, 年月日 + 始値, 年月日 + "
            "回避可能原価, 電力受渡日 + 入札価格 or 電力受渡日 + エリアグループ header)",
            line=1,
        )
    dates = table.column("delivery_date")
    if table.num_rows == 0:
        raise ParseError(SOURCE, name, "file has a header but no rows")
    first, last = pc.min(dates).as_py(), pc.max(dates).as_py()
    return Identified(dataset, name, first, last, tables=table)


SPEC = Source(
    name=SOURCE,
    description="JEPX day-ahead spot prices (FY2005→, both file families), intraday and "
    "avoidable cost/FIP (FY2016→), daily bid curves and splitting areas (2022-06-01→)",
    datasets=DATASETS,
    plan=plan,
    identify=identify,
    validate=validate,
)
