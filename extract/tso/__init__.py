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

import dlt

from ..archive import RemoteFile, logical_name
from ..errors import ExtractError, ParseError
from ..source import Dataset, Identified, RunContext, SourceSpec, archive_resources
from ..textio import decode, decode_lenient, reject_html
from ..timeutil import fiscal_year, fiscal_year_bounds, month_bounds
from . import common, legacy

log = logging.getLogger(__name__)
SOURCE = "tso"
AREAS = tuple(f"{i:02d}" for i in range(1, 11))

# first month of a real common-format file per area (tso.md §2.3)
FIRST_MONTH = {
    "01": date(2024, 4, 1), "02": date(2024, 2, 1), "03": date(2024, 1, 1), "04": date(2024, 3, 1),
    "05": date(2024, 4, 1), "06": date(2024, 1, 1), "07": date(2024, 2, 1), "08": date(2024, 3, 1),
    "09": date(2023, 10, 1), "10": date(2024, 2, 1),
}
MONTHLY_URL = {
    "01": "https://www.hepco.co.jp/network/con_service/public_document/supply_demand_results/csv/"
          "eria_jukyu_{ym}_01.csv",
    "02": "https://setsuden.nw.tohoku-epco.co.jp/common/demand/eria_jukyu_{ym}_02.csv",
    "03": "https://www.tepco.co.jp/forecast/html/images/eria_jukyu_{ym}_03.csv",
    "04": "https://powergrid.chuden.co.jp/denki_yoho_content_data/eria_jukyu_{ym}_04.csv",
    "05": "https://www.rikuden.co.jp/nw/denki-yoho/csv/eria_jukyu_{ym}_05.csv",
    "06": "https://www.kansai-td.co.jp/interchange/denkiyoho/area-performance/eria_jukyu_{ym}_06.csv",
    "07": "https://www.energia.co.jp/nw/jukyuu/sys/eria_jukyu_{ym}_07.csv",
    "08": "https://www.yonden.co.jp/nw/supply_demand/csv/eria_jukyu_{ym}_08.csv",
    "09": "https://www.kyuden.co.jp/td_area_jukyu/csv/eria_jukyu_{ym}_09.csv",
    "10": "https://www.okiden.co.jp/business-support/service/supply-and-demand/csv/eria_jukyu_{ym}_10.csv",
}
PAGES = {  # the page that links the files (sent as Referer)
    "01": "https://www.hepco.co.jp/network/con_service/public_document/supply_demand_results/index.html",
    "02": "https://setsuden.nw.tohoku-epco.co.jp/download.html",
    "03": "https://www.tepco.co.jp/forecast/html/area_jukyu-j.html",
    "04": "https://powergrid.chuden.co.jp/denkiyoho/",
    "05": "https://www.rikuden.co.jp/nw/denki-yoho/results_jyukyu.html",
    "06": "https://www.kansai-td.co.jp/interchange/denkiyoho/area-performance/index.html",
    "07": "https://www.energia.co.jp/nw/jukyuu/eria_jukyu.html",
    "08": "https://www.yonden.co.jp/nw/supply_demand/data_download.html",
    "09": "https://www.kyuden.co.jp/td_area_jukyu/jukyu.html",
    "10": "https://www.okiden.co.jp/business-support/service/supply-and-demand/index.html",
}
CHUBU_ZIP_URL = "https://powergrid.chuden.co.jp/denki_yoho_content_data/eria_jukyu_{fy}.zip"
TOHOKU_REALTIME_URL = ("https://setsuden.nw.tohoku-epco.co.jp/common/demand/realtime_jukyu/"
                       "realtime_jukyu_{ymd}_02.csv")
LISTS = {
    "06": "https://www.kansai-td.co.jp/interchange/denkiyoho/area-performance/filelist.json",
    "09": "https://www.kyuden.co.jp/td_area_jukyu/csv/eria_jukyu_nendo_list.csv",
    "04": "https://powergrid.chuden.co.jp/denkiyoho/resource/php/getFilesInfo.php",
}
# TSOs revise recent months; a month is treated as closed this many days after it ends
IMMUTABLE_AFTER_DAYS = 60
REALTIME_DAYS = 10

DATASETS = {
    common.MONTHLY: Dataset(
        name=common.MONTHLY,
        parse=common.parse_file,
        primary_key=("area_code", "slot_date", "time_minutes"),
        merge_key=("area_code", "year_month"),
        description="Common-format area supply-demand actuals, 30-minute MW, labels and signs as "
        "published (Kyushu end-labelled, exports positive)",
        columns={"slot_date": {"data_type": "date"}},
        schema=common.SCHEMA,
    ),
    common.REALTIME: Dataset(
        name=common.REALTIME,
        parse=common.parse_file,
        primary_key=("area_code", "slot_date", "time_minutes"),
        merge_key=("area_code", "slot_date"),
        description="Tohoku's daily realtime supply-demand files (same columns), recent days only",
        columns={"slot_date": {"data_type": "date"}},
        schema=common.SCHEMA,
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


def _listed(area: str, ctx: RunContext) -> dict[str, str] | None:
    """{name: url} from the TSO's own file list, or None (no list / not reachable)."""
    client = ctx.options.get("client")
    if area not in LISTS or client is None:
        return None
    try:
        resp = client.fetch(SOURCE, LISTS[area], headers={"Referer": PAGES[area]})
        reject_html(resp.content, source=SOURCE, file=LISTS[area])
        if area == "06":
            base = MONTHLY_URL["06"].rsplit("/", 1)[0]
            return {n: f"{base}/{n}" for n in parse_kansai_list(resp.content)}
        if area == "09":
            base = MONTHLY_URL["09"].rsplit("/", 1)[0]
            return {n: f"{base}/{n}" for n in parse_kyushu_list(resp.content)}
        return parse_chubu_list(resp.content)
    except (ExtractError, ValueError, AttributeError) as exc:
        log.warning("tso: file list %s unreadable (%s); using the documented name patterns",
                    LISTS[area], exc)
        return None


# ------------------------------------------------------------------------------ plan
def _months(first: date, last: date):
    month = date(first.year, first.month, 1)
    while month <= last:
        yield month
        month = month_bounds(month.year, month.month)[1] + timedelta(days=1)


def _monthly(area: str, month: date, today: date, url: str | None = None) -> RemoteFile:
    start, end = month_bounds(month.year, month.month)
    ym = f"{month:%Y%m}"
    return RemoteFile(
        source=SOURCE, dataset=common.MONTHLY, name=f"eria_jukyu_{ym}_{area}.csv",
        url=url or MONTHLY_URL[area].format(ym=ym), period_start=start, period_end=end,
        immutable=(today - end).days > IMMUTABLE_AFTER_DAYS, headers={"Referer": PAGES[area]},
    )


def _chubu_zip(fy: int, today: date, url: str | None = None) -> RemoteFile:
    start, end = fiscal_year_bounds(fy)
    return RemoteFile(
        source=SOURCE, dataset=common.MONTHLY, name=f"eria_jukyu_{fy}.zip",
        url=url or CHUBU_ZIP_URL.format(fy=fy), period_start=max(start, FIRST_MONTH["04"]),
        period_end=end, immutable=(today - end).days > IMMUTABLE_AFTER_DAYS,
        headers={"Referer": PAGES["04"]},
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
    for area in ctx.options.get("areas") or AREAS:
        first = max(start, FIRST_MONTH[area])
        if first > end:
            continue
        listed = _listed(area, ctx)
        for month in _months(first, end):
            if area == "04" and (month.year, month.month) != (today.year, today.month):
                # Chubu keeps only the current month standalone; the rest sit in the FY zip. Right
                # after a month ends it may still be standalone and not yet zipped: ask for both
                # (a 404 on the open standalone file just means it is gone).
                fy = fiscal_year(month)
                name = f"eria_jukyu_{fy}.zip"
                out.setdefault(name, _chubu_zip(fy, today, (listed or {}).get(name)))
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
        if area == "02" and end >= today - timedelta(days=REALTIME_DAYS):
            for k in range(REALTIME_DAYS, -1, -1):
                day = today - timedelta(days=k)
                if day < first or day > end:
                    continue
                out[f"realtime_jukyu_{day:%Y%m%d}_02.csv"] = RemoteFile(
                    source=SOURCE, dataset=common.REALTIME, name=f"realtime_jukyu_{day:%Y%m%d}_02.csv",
                    url=TOHOKU_REALTIME_URL.format(ymd=f"{day:%Y%m%d}"), period_start=day,
                    period_end=day, immutable=False, optional=True,
                    headers={"Referer": PAGES["02"]},
                )
    return list(out.values())


def plan(ctx: RunContext) -> list[RemoteFile]:
    """Legacy hourly files (only with --start, FY2016..FY2023) then the common-format files."""
    datasets = ctx.options.get("datasets") or tuple(DATASETS)
    out = []
    if legacy.DATASET in datasets:
        out += legacy.legacy_plan(ctx)
    if common.MONTHLY in datasets or common.REALTIME in datasets:
        out += [rf for rf in common_plan(ctx) if rf.dataset in datasets]
    return out


def validate(rf: RemoteFile, data: bytes) -> None:
    """Refuse a body that cannot be the expected file before it becomes an archive version."""
    reject_html(data, source=SOURCE, file=rf.name)
    if len(data) < 64:
        raise ParseError(SOURCE, rf.name, f"response of {len(data)} bytes is too short to be data")


def identify(name: str, data: bytes) -> Identified:
    """Which dataset a hand-downloaded TSO file belongs to, by its published name (+ content)."""
    reject_html(data, source=SOURCE, file=name)
    base = logical_name(name)
    kind = common.file_kind(base)
    if kind is not None or (data[:2] == b"PK" and common.ZIP_NAME.match(base)):
        table = common.parse_file(data, base)
        if table.num_rows == 0:
            raise ParseError(SOURCE, name, "the file has no data rows")
        dataset = kind[0] if kind else common.MONTHLY
        days = table.column("slot_date").to_pylist()
        return Identified(dataset, base, min(days), max(days))
    found = legacy.identify_legacy(base, data)
    if found is not None:
        return found
    head = decode(data[:2048], source=SOURCE, file=name) if data[:2] != b"PK" else ""
    hint = " (a でんき予報 file: out of scope)" if "UPDATE" in head or "万kW" in head else ""
    raise ParseError(
        SOURCE, name, "not a TSO area supply-demand file: expected eria_jukyu_YYYYMM_NN.csv, "
        f"realtime_jukyu_YYYYMMDD_02.csv, eria_jukyu_<FY>.zip or a legacy file name{hint}",
    )


@dlt.source(name="tso", max_table_nesting=0)
def tso_source(files, archive, progress=None):
    """dlt source: one merge resource per TSO dataset, fed from the archive."""
    return archive_resources(SOURCE, DATASETS, files, archive, progress)


SPEC = SourceSpec(
    name=SOURCE,
    description="Ten TSOs' area supply-demand actuals: 30-minute common format (FY2024→) and "
    "hourly legacy files (FY2016→FY2023)",
    datasets=DATASETS,
    plan=plan,
    identify=identify,
    dlt_source=tso_source,
    validate=validate,
)

__all__ = ["SPEC", "tso_source"]
