"""JEPX (Japan Electric Power Exchange): day-ahead spot results (both file families) and intraday.

One file per fiscal year and dataset (see :mod:`.settings` for URLs); keys are
(delivery_date, time_code), slots 1..48 JST. Raw tables land in ``raw_jepx``.
"""

from __future__ import annotations

from datetime import date

import pyarrow.compute as pc

from ...core.archive import RemoteFile
from ...core.errors import ParseError
from ...core.source import Identified, RunContext, Source
from ...core.textio import decode, reject_html
from ...core.timeutil import fiscal_year, fiscal_year_bounds, periods
from .intraday import INTRADAY, parse_intraday
from .settings import FY_FILES, IMMUTABLE_AFTER_DAYS, MIN_BODY_BYTES, SOURCE
from .spot import SPOT_MARKET_EXCEL, SPOT_SUMMARY, parse_spot_market_excel, parse_spot_summary

DATASETS = {ds.name: ds for ds in (SPOT_SUMMARY, SPOT_MARKET_EXCEL, INTRADAY)}


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


def plan(ctx: RunContext) -> list[RemoteFile]:
    """FY files covering [start, end]; without --start, the current fiscal year only."""
    today = ctx.today
    end = min(ctx.end or today, today)
    start = ctx.start or fiscal_year_bounds(fiscal_year(today))[0]
    out: list[RemoteFile] = []
    for fy_start, _ in periods(start, end, "fiscal-year"):
        fy = fy_start.year
        for dataset, (_, _, first_fy, _) in FY_FILES.items():
            if ctx.wants(dataset) and fy >= first_fy:
                out.append(fy_remote(dataset, fy, today))
    return out


def validate(rf: RemoteFile, data: bytes) -> None:
    """Refuse bodies that cannot be a spot file before they become an archive version."""
    reject_html(data, source=SOURCE, file=rf.name)
    if len(data) < MIN_BODY_BYTES:
        raise ParseError(SOURCE, rf.name, f"response of {len(data)} bytes is too short to be data")


def identify(name: str, data: bytes) -> Identified:
    """Which family a hand-downloaded spot file is, and which dates it covers."""
    reject_html(data, source=SOURCE, file=name)
    if not data.strip():
        raise ParseError(SOURCE, name, f"the file is empty ({len(data)} bytes)", line=1)
    header = decode(data[:4096], source=SOURCE, file=name).splitlines()[0]
    if "受渡日" in header:
        dataset, table = "spot_summary", parse_spot_summary(data, name)
    elif "年月日" in header and "エリアプライス" in header:
        dataset, table = "spot_market_excel", parse_spot_market_excel(data, name)
    elif "年月日" in header and "始値" in header:
        dataset, table = "intraday", parse_intraday(data, name)
    else:
        raise ParseError(
            SOURCE, name, "not a JEPX spot or intraday file (no 受渡日, 年月日 + エリアプライス "
            "or 年月日 + 始値 header)", line=1,
        )
    dates = table.column("delivery_date")
    if table.num_rows == 0:
        raise ParseError(SOURCE, name, "file has a header but no rows")
    first, last = pc.min(dates).as_py(), pc.max(dates).as_py()
    return Identified(dataset, name, first, last)


SPEC = Source(
    name=SOURCE,
    description="JEPX day-ahead spot prices (FY2005→, both file families) and intraday (FY2016→)",
    datasets=DATASETS,
    plan=plan,
    identify=identify,
    validate=validate,
)
