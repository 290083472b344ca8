"""The ten TSOs' area supply-demand actuals (エリア需給実績): common 30-minute files + legacy hourly.

Datasets (raw_tso):

* ``area_supply_demand``: the common format ``eria_jukyu_YYYYMM_NN.csv`` (monthly, 30-minute MW),
  from each TSO's first month (2023-10 … 2024-04); Chubu's past months from its FY zip.
  Merged by (area_code, year_month): a re-fetched month replaces that area-month.
* ``area_supply_demand_realtime``: Tohoku's daily ``realtime_jukyu_YYYYMMDD_02.csv`` for the
  recent days its monthly file does not cover yet. Merged by (area_code, date).
* ``area_supply_demand_legacy``: the hourly legacy files FY2016 → FY2023 (:mod:`.legacy`).

``python -m extract.run tso --start 2016-04-01`` backfills everything; without ``--start`` a run
fetches the previous and current month (TSOs revise recent months) and Tohoku's last 10 days.
``--areas 03,09`` limits the areas. Where a TSO's page publishes a machine-readable list
(Kansai ``filelist.json``, Kyushu ``eria_jukyu_nendo_list.csv``, Chubu ``getFilesInfo.php``), the
plan asks it which files exist instead of guessing; when the list cannot be read it falls back to
the documented name patterns.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import date, timedelta

from ...core.archive import RemoteFile, logical_name
from ...core.errors import ExtractError, ParseError
from ...core.source import Dataset, Identified, RunContext, Source
from ...core.textio import decode, decode_lenient, reject_html, require_final_newline
from ...core.timeutil import (
    closed_period_slots,
    fiscal_year,
    fiscal_year_bounds,
    month_bounds,
    periods,
)
from . import common, legacy
from .settings import (
    COMMON,
    IMMUTABLE_AFTER_DAYS,
    MIN_BODY_BYTES,
    MONTHLY,
    REALTIME,
    REALTIME_DAYS,
    SOURCE,
    TsoOptions,
)

log = logging.getLogger(__name__)

def parse_common(data: bytes, file: str):
    """A common-format file: whole lines (every TSO ends its CSV with a newline; a zip's members
    are checked by its CRC), then :func:`common.parse_file`."""
    if data[:2] != b"PK":
        require_final_newline(data, source=SOURCE, file=file)
    return common.parse_file(data, file)


def monthly_closed_rows(entry) -> int | None:
    """A closed area-month (or a FY zip's months) has every 30-minute slot of its days."""
    return closed_period_slots(entry.period_start, entry.period_end)


DATASETS = {
    MONTHLY: Dataset(
        name=MONTHLY,
        parse=parse_common,
        primary_key=("area_code", "slot_date", "time_minutes"),
        merge_key=("area_code", "year_month"),
        schema=common.SCHEMA,
        data_time="slot_date",
        extent_by=("area_code",),
        description="Common-format area supply-demand actuals, 30-minute MW, labels and signs as "
        "published (Kyushu end-labelled, exports positive)",
        closed_rows=monthly_closed_rows,
    ),
    REALTIME: Dataset(
        name=REALTIME,
        parse=parse_common,
        primary_key=("area_code", "slot_date", "time_minutes"),
        schema=common.SCHEMA,
        mode="history",
        data_time="slot_date",
        extent_by=("area_code",),
        description="Tohoku's daily realtime supply-demand files (same columns), recent days "
        "only; every fetched version kept (the values are revised during the day)",
    ),
    legacy.DATASET: legacy.LEGACY,
}


# ------------------------------------------------------------------------------ file lists
def parse_kansai_list(body: bytes) -> set[str]:
    """Kansai ``filelist.json``: ``{past: [{year, list: [{name, label, size}]}], latest: [...]}``."""
    doc = json.loads(decode_lenient(body))
    names = set()
    entries = [*doc.get("latest", [])]
    for year in doc.get("past", []):
        entries += year.get("list", [])
    for entry in entries:
        name = entry.get("name", "") if isinstance(entry, dict) else str(entry)
        names.add(name.rsplit("/", 1)[-1])
    return names


def parse_kyushu_list(body: bytes) -> set[str]:
    """Kyushu ``eria_jukyu_nendo_list.csv``: any cell naming ``eria_jukyu_YYYYMM_09.csv``."""
    return set(re.findall(r"eria_jukyu_\d{6}_09\.csv", decode_lenient(body)))


def parse_chubu_list(body: bytes) -> dict[str, str]:
    """Chubu ``getFilesInfo.php``: items ``{category, path}`` → {file name: absolute URL} for the
    area supply-demand categories (年別エリア需給実績 zips, 直近のエリア需要実績 monthly CSVs)."""
    doc = json.loads(decode_lenient(body))
    items = doc if isinstance(doc, list) else doc.get("items", doc.get("data", []))
    out = {}
    for item in items:
        if not isinstance(item, dict) or "エリア需" not in str(item.get("category", "")):
            continue
        path = str(item.get("path", ""))
        url = path if path.startswith("http") else "https://powergrid.chuden.co.jp/" + path.lstrip("/")
        out[path.rsplit("/", 1)[-1]] = url
    return out


LIST_PARSERS = {  # file-list kind (settings.CommonFormat.file_list) → parser
    "kansai": lambda body, base: {n: f"{base}/{n}" for n in parse_kansai_list(body)},
    "kyushu": lambda body, base: {n: f"{base}/{n}" for n in parse_kyushu_list(body)},
    "chubu": lambda body, base: parse_chubu_list(body),
}


def _listed(area: str, ctx: RunContext) -> dict[str, str] | None:
    """{name: url} from the TSO's own file list, or None (no list / not reachable)."""
    conf = COMMON[area]
    if conf.file_list is None or ctx.http is None:
        return None
    kind, url = conf.file_list
    try:
        resp = ctx.http.get(url, headers={"Referer": conf.page})
        reject_html(resp.content, source=SOURCE, file=url)
        return LIST_PARSERS[kind](resp.content, conf.monthly_url.rsplit("/", 1)[0])
    except (ExtractError, ValueError, AttributeError) as exc:
        log.warning("tso: file list %s unreadable (%s); using the documented name patterns",
                    url, exc)
        return None


# ------------------------------------------------------------------------------ plan
def _monthly(area: str, month: date, today: date, url: str | None = None) -> RemoteFile:
    start, end = month_bounds(month.year, month.month)
    ym = f"{month:%Y%m}"
    return RemoteFile(
        source=SOURCE, dataset=MONTHLY, name=f"eria_jukyu_{ym}_{area}.csv",
        url=url or COMMON[area].monthly_url.format(ym=ym), period_start=start, period_end=end,
        immutable=(today - end).days > IMMUTABLE_AFTER_DAYS,
        headers={"Referer": COMMON[area].page},
    )


def _fy_zip(area: str, fy: int, today: date, url: str | None = None) -> RemoteFile:
    conf = COMMON[area]
    start, end = fiscal_year_bounds(fy)
    return RemoteFile(
        source=SOURCE, dataset=MONTHLY, name=f"eria_jukyu_{fy}.zip",
        url=url or conf.fy_zip_url.format(fy=fy), period_start=max(start, conf.first_month),
        period_end=end, immutable=(today - end).days > IMMUTABLE_AFTER_DAYS,
        headers={"Referer": conf.page},
    )


def _realtime(area: str, day: date) -> RemoteFile:
    name = f"realtime_jukyu_{day:%Y%m%d}_{area}.csv"
    return RemoteFile(
        source=SOURCE, dataset=REALTIME, name=name,
        url=COMMON[area].realtime_url.format(ymd=f"{day:%Y%m%d}"), period_start=day,
        period_end=day, immutable=False, optional=True, headers={"Referer": COMMON[area].page},
    )


def common_plan(ctx: RunContext) -> list[RemoteFile]:
    today = ctx.today
    end = min(ctx.end or today, today)
    if ctx.start is None:  # an update: the previous and the current month
        prev = date(today.year, today.month, 1) - timedelta(days=1)
        start = date(prev.year, prev.month, 1)
    else:
        start = ctx.start
    out: dict[str, RemoteFile] = {}
    for area in ctx.options.areas:
        conf = COMMON[area]
        first = max(start, conf.first_month)
        if first > end:
            continue
        listed = _listed(area, ctx) if ctx.wants(MONTHLY) else None
        for month, _ in periods(first, end, "month") if ctx.wants(MONTHLY) else ():
            current = (month.year, month.month) == (today.year, today.month)
            if conf.fy_zip_url and not current:
                # past months sit in the FY zip (Chubu). Right after a month ends it may still be
                # standalone and not yet zipped: ask for both (a 404 on the open standalone file
                # just means it is gone).
                fy = fiscal_year(month)
                name = f"eria_jukyu_{fy}.zip"
                out.setdefault(name, _fy_zip(area, fy, today, (listed or {}).get(name)))
                recent = _monthly(area, month, today)
                if not recent.immutable:
                    out[recent.name] = recent
                continue
            rf = _monthly(area, month, today)
            if listed is not None:
                if rf.name not in listed:
                    if rf.immutable:
                        log.info("tso: %s is not in the TSO's file list; skipped", rf.name)
                    continue
                rf = _monthly(area, month, today, listed[rf.name])
            out[rf.name] = rf
        if conf.realtime_url and ctx.wants(REALTIME):
            recent_first = max(first, today - timedelta(days=REALTIME_DAYS))
            for day, _ in periods(recent_first, end, "day"):
                rf = _realtime(area, day)
                out[rf.name] = rf
    return list(out.values())


def plan(ctx: RunContext) -> list[RemoteFile]:
    """Legacy hourly files (only with --start, FY2016..FY2023) then the common-format files."""
    out = legacy.legacy_plan(ctx) if ctx.wants(legacy.DATASET) else []
    return out + common_plan(ctx)


def validate(rf: RemoteFile, data: bytes) -> None:
    """Refuse a body that cannot be the expected file before it becomes an archive version."""
    reject_html(data, source=SOURCE, file=rf.name)
    if len(data) < MIN_BODY_BYTES:
        raise ParseError(SOURCE, rf.name, f"response of {len(data)} bytes is too short to be data")


def identify(name: str, data: bytes) -> Identified:
    """Which dataset a hand-downloaded TSO file belongs to, by its published name (+ content)."""
    reject_html(data, source=SOURCE, file=name)
    base = logical_name(name)
    kind = common.file_kind(base)
    if kind is not None or (data[:2] == b"PK" and common.ZIP_NAME.match(base)):
        table = parse_common(data, base)  # the load's own parse: the import reuses it
        if table.num_rows == 0:
            raise ParseError(SOURCE, name, "the file has no data rows")
        dataset = kind[0] if kind else MONTHLY
        days = table.column("slot_date").to_pylist()
        return Identified(dataset, base, min(days), max(days), tables=table)
    found = legacy.identify_legacy(base, data)
    if found is not None:
        return found
    head = decode(data[:2048], source=SOURCE, file=name) if data[:2] != b"PK" else ""
    hint = " (a でんき予報 file: out of scope)" if "UPDATE" in head or "万kW" in head else ""
    raise ParseError(
        SOURCE, name, "not a TSO area supply-demand file: expected eria_jukyu_YYYYMM_NN.csv, "
        f"realtime_jukyu_YYYYMMDD_02.csv, eria_jukyu_<FY>.zip or a legacy file name{hint}",
    )


SPEC = Source(
    name=SOURCE,
    description="Ten TSOs' area supply-demand actuals: 30-minute common format (FY2024→) and "
    "hourly legacy files (FY2016→FY2023)",
    datasets=DATASETS,
    plan=plan,
    identify=identify,
    validate=validate,
    options=TsoOptions,
)
