"""HJKS (発電情報公開システム, hjks.jepx.or.jp): unit outage/derating events and the unit list.

Datasets (raw_hjks), both ``mode="history"`` (every fetched snapshot is kept):

* ``outages``: outage and derating events (停止情報): planned/unplanned stops and output
  reductions with 認可出力, 低下量, start, expected recovery, reason and 最終更新日時. Events have
  no id and are revised, so every snapshot is kept and dbt picks the latest 最終更新日時 per
  (plant code, unit, start). Queries:

  - an update asks for the events starting from ``RECENT_DAYS`` (120) days back (new events
    and recently revised ones): ``outages_since_YYYYMMDD.csv``;
  - once a week (``--hjks-full-weekday``, default Sunday) and on the first run, the full list
    without a date filter (multi-year nuclear outages are still revised): ``outages_all.csv``;
  - ``--start`` backfills in monthly windows from 2005 (``outages_YYYYMM.csv``; closed once the
    month ended 120 days ago).
* ``units``: the unit list (ユニット一覧) with 認可出力, its change and validity dates, operation
  start/end (decommissioned units included, ``_enddtFlg=on``): ``units.csv``, every run.

Every download is the session + CSRF handshake of :mod:`.fetch` over TLS with ``SECLEVEL=1``.
"""

from __future__ import annotations

from datetime import date, timedelta

from ...core.archive import RemoteFile, logical_name
from ...core.errors import ParseError
from ...core.source import Dataset, Identified, RunContext, Source
from ...core.textio import decode_lenient, reject_html
from ...core.timeutil import periods
from . import parse
from .fetch import download
from .settings import (
    FIRST_DAY,
    HOSTS,
    MIN_BODY_BYTES,
    OUTAGE_FORM,
    OUTAGES,
    OUTAGES_URL,
    RECENT_DAYS,
    SOURCE,
    UNIT_FORM,
    UNITS,
    UNITS_URL,
    WINDOW_IMMUTABLE_AFTER_DAYS,
    HjksOptions,
)

DATASETS = {
    OUTAGES: Dataset(
        name=OUTAGES, parse=parse.parse_outages, primary_key=parse.OUTAGE_KEY,
        schema=parse.schema(parse.OUTAGE_COLUMNS, parse.OUTAGE_DATETIMES), mode="history",
        data_time="last_updated_jst", extent_is_freshness=False,
        description="HJKS outage/derating events (停止情報) as listed in each fetched snapshot; "
        "no event id: (plant_code, unit_name, outage_start_jst) + last_updated_jst",
    ),
    UNITS: Dataset(
        name=UNITS, parse=parse.parse_units, primary_key=parse.UNIT_KEY,
        schema=parse.schema(parse.UNIT_COLUMNS, frozenset({"last_updated_jst"})), mode="history",
        data_time="last_updated_jst", extent_is_freshness=False,
        description="HJKS unit list (ユニット一覧): authorised capacity (kW), its change and "
        "validity dates, operation start/end; every fetched snapshot kept",
    ),
}


def _stamp(d: date, end: bool = False) -> str:
    return f"{d:%Y/%m/%d} {'23:59' if end else '00:00'}"


def outage_file(name: str, first: date, last: date, *, immutable: bool,
                start_from: date | None, start_to: date | None) -> RemoteFile:
    form = {**OUTAGE_FORM,
            "startdtfrom": _stamp(start_from) if start_from else "",
            "startdtto": _stamp(start_to, end=True) if start_to else ""}
    return RemoteFile(source=SOURCE, dataset=OUTAGES, name=name, url=OUTAGES_URL,
                      period_start=first, period_end=last, immutable=immutable, method="POST",
                      form=form, fetch=download)


def plan(ctx: RunContext) -> list[RemoteFile]:
    today = ctx.today
    out: list[RemoteFile] = []
    if ctx.wants(UNITS):
        out.append(RemoteFile(source=SOURCE, dataset=UNITS, name="units.csv", url=UNITS_URL,
                              period_start=today, period_end=today, immutable=False,
                              method="POST", form=dict(UNIT_FORM), fetch=download))
    if not ctx.wants(OUTAGES):
        return out
    if ctx.start is not None:  # backfill: monthly windows of outage starts
        last = min(ctx.end or today, today)
        for first, end in periods(max(ctx.start, FIRST_DAY), last, "month"):
            out.append(outage_file(
                f"outages_{first:%Y%m}.csv", first, end,
                immutable=(today - end).days > WINDOW_IMMUTABLE_AFTER_DAYS,
                start_from=first, start_to=end))
        return out
    since = today - timedelta(days=RECENT_DAYS)
    out.append(outage_file(f"outages_since_{since:%Y%m%d}.csv", since, today, immutable=False,
                           start_from=since, start_to=None))
    archive = ctx.archive
    never = archive is None or archive.latest(SOURCE, OUTAGES, "outages_all.csv") is None
    if never or today.weekday() == ctx.options.full_list_weekday:
        out.append(outage_file("outages_all.csv", FIRST_DAY, today, immutable=False,
                               start_from=None, start_to=None))
    return out


def validate(rf: RemoteFile, data: bytes) -> None:
    reject_html(data, source=SOURCE, file=rf.name)
    if len(data) < MIN_BODY_BYTES:
        raise ParseError(SOURCE, rf.name, f"response of {len(data)} bytes is too short to be data")


def identify(name: str, data: bytes) -> Identified:
    """A hand-downloaded HJKS CSV: the outage list (停止日時) or the unit list (稼働開始日)."""
    reject_html(data, source=SOURCE, file=name)
    head = parse.header_name(decode_lenient(data[:2048]).split("\n", 1)[0])
    if "停止日時" in head and "発電所コード" in head:
        table = parse.parse_outages(data, name)
        if table.num_rows == 0:
            raise ParseError(SOURCE, name, "the outage list has no rows")
        starts = table.column("outage_start_jst").to_pylist()
        return Identified(OUTAGES, logical_name(name), min(starts).date(), max(starts).date(),
                          tables=table)
    if "稼働開始日" in head and "発電所コード" in head:
        table = parse.parse_units(data, name)
        if table.num_rows == 0:
            raise ParseError(SOURCE, name, "the unit list has no rows")
        stamps = table.column("last_updated_jst").to_pylist()
        day = max(stamps).date()
        return Identified(UNITS, logical_name(name), day, day, tables=table)
    raise ParseError(SOURCE, name, "not an HJKS outage list (停止日時) or unit list (稼働開始日)",
                     line=1)


SPEC = Source(
    name=SOURCE,
    description="HJKS (hjks.jepx.or.jp): unit outage/derating events and the unit list with "
    "authorised capacity, every snapshot kept",
    datasets=DATASETS,
    plan=plan,
    identify=identify,
    validate=validate,
    options=HjksOptions,
    hosts=HOSTS,
)
