"""JMA (気象庁) hourly weather observations for one or more stations per power area.

Stations come from the dbt seed ``dbt_project/seeds/weather_stations.csv`` (station_id = obsdl
``stationNumList`` id, area_code, prec_no/block_no for etrn, AMeDAS code, area_weight): add a row
there to observe another station, no code change. Elements: temperature, relative humidity,
precipitation, sunshine duration, global solar radiation, wind speed and direction, with JMA's
quality (品質情報), no-phenomenon (現象なし情報) and homogeneity (均質番号) flags.

Interfaces (``../shared/reference/jma.md``):

* **obsdl** (default), ``POST https://www.data.jma.go.jp/risk/obsdl/show/table``: one request per
  station and window. A backfill (``--start``) asks for half-year windows (7 value columns ×
  ≤4,368 hours ≈ 30k values, under JMA's ~44k cap); closed half-years are immutable. An update
  (no ``--start``) asks from 10 days before the last archived hour up to yesterday (JMA corrects
  recent values; it serves nothing after yesterday). Requests to JMA are spaced 5 s apart
  (``settings.HOSTS``).
* **etrn** fallback, ``GET …/stats/etrn/view/hourly_s1.php`` (one HTML page per station-day), for
  when obsdl is down: ``python -m extract.run jma --jma-interface etrn --start …`` (or
  ``SOURCES__JMA__INTERFACE=etrn``).

Raw tables keep every fetched version (revision history): JMA corrects the last ten days, and
staging picks the latest version, or the one known at a given time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from ...core.archive import RemoteFile
from ...core.errors import ParseError
from ...core.refdata import read_seed
from ...core.source import Dataset, Identified, RunContext, Source
from ...core.textio import reject_html
from ...core.timeutil import periods
from . import parse
from .settings import (
    CORRECTION_DAYS,
    ELEMENT_CODES,
    ETRN_URL,
    FIRST_DATE,
    HOSTS,
    MAX_VALUES_PER_REQUEST,
    OBSDL_PAGE,
    OBSDL_URL,
    SOURCE,
    VALUE_COLUMNS,
    JmaOptions,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Station:
    station_id: str
    area_code: str
    name_en: str
    prec_no: str
    block_no: str


def stations() -> list[Station]:
    """The observed stations: the dbt seed ``weather_stations`` (shared with the marts)."""
    return [Station(r["station_id"].lower(), r["area_code"], r["station_name_en"], r["prec_no"],
                    r["block_no"])
            for r in read_seed("weather_stations") if r.get("station_id")]


def obsdl_form(station_id: str, first: date, last: date) -> dict[str, str]:
    """The form the obsdl page posts (reference §2.2): hours 01:00 of ``first`` … 24:00 of ``last``."""
    elements = ",".join(f'["{code}",""]' for code in ELEMENT_CODES)
    return {
        "stationNumList": f'["{station_id}"]',
        "aggrgPeriod": "9",
        "elementNumList": f"[{elements}]",
        "interAnnualType": "1",
        "ymdList": f'["{first.year}","{last.year}","{first.month}","{last.month}","{first.day}","{last.day}"]',
        "optionNumList": "[]",
        "downloadFlag": "true",
        "rmkFlag": "1",
        "disconnectFlag": "1",
        "youbiFlag": "0",
        "fukenFlag": "0",
        "kijiFlag": "0",
        "huukouFlag": "0",
        "csvFlag": "1",
        "jikantaiFlag": "0",
        "jikantaiList": "[1,24]",
        "ymdLiteral": "1",
    }


def _obsdl_file(st: Station, first: date, last: date, name: str, immutable: bool) -> RemoteFile:
    hours = ((last - first).days + 1) * 24
    if hours * VALUE_COLUMNS > MAX_VALUES_PER_REQUEST:
        raise ValueError(f"{name}: {hours} hours × {VALUE_COLUMNS} columns exceeds obsdl's cap")
    return RemoteFile(
        source=SOURCE, dataset="hourly_obsdl", name=name, url=OBSDL_URL, period_start=first,
        period_end=last, immutable=immutable, method="POST", form=obsdl_form(st.station_id, first, last),
        headers={"Referer": OBSDL_PAGE, "Accept": "text/csv,*/*"},
    )


def _half_years(first: date, last: date):
    for start, end in periods(first, last, "half-year"):
        yield start, end, f"{start.year}H{1 if start.month == 1 else 2}"


def _last_archived(ctx: RunContext, station_id: str) -> date | None:
    archive = ctx.archive
    if archive is None:
        return None
    ends = [date.fromisoformat(e.period_end) for e in archive.entries(SOURCE)
            if e.period_end and parse.station_of(e.name) == station_id]
    return max(ends) if ends else None


def plan(ctx: RunContext) -> list[RemoteFile]:
    """obsdl windows per station (or etrn pages with PMD_JMA_INTERFACE=etrn), up to yesterday."""
    yesterday = ctx.today - timedelta(days=1)
    end = min(ctx.end or yesterday, yesterday)
    interface = ctx.options.interface
    areas = ctx.options.areas
    out: list[RemoteFile] = []
    for st in stations():
        if areas and st.area_code not in areas:
            continue
        if ctx.start is not None:
            start = max(ctx.start, FIRST_DATE)
        else:  # an update: what is new, plus JMA's correction window
            last = _last_archived(ctx, st.station_id)
            start = (last if last else end) - timedelta(days=CORRECTION_DAYS)
        if start > end:
            continue
        if interface == "etrn":
            out += _etrn_files(st, start, end) if ctx.wants("hourly_etrn") else []
            continue
        if not ctx.wants("hourly_obsdl"):
            continue
        for h_start, h_end, label in _half_years(start, end):
            closed = h_end < yesterday - timedelta(days=CORRECTION_DAYS)
            if closed and ctx.start is not None:
                name = f"obsdl_hourly_{st.station_id}_{label}.csv"
                out.append(_obsdl_file(st, h_start, h_end, name, immutable=True))
            else:
                first, last = max(h_start, start), min(h_end, end)
                name = f"obsdl_hourly_{st.station_id}_{first:%Y%m%d}-{last:%Y%m%d}.csv"
                out.append(_obsdl_file(st, first, last, name, immutable=False))
    return out


def _etrn_files(st: Station, start: date, end: date) -> list[RemoteFile]:
    out = []
    day = start
    while day <= end:
        out.append(RemoteFile(
            source=SOURCE, dataset="hourly_etrn", name=f"etrn_hourly_s1_{st.station_id}_{day:%Y%m%d}.html",
            url=ETRN_URL, period_start=day, period_end=day,
            immutable=day < end - timedelta(days=CORRECTION_DAYS),
            params={"prec_no": st.prec_no, "block_no": st.block_no, "year": str(day.year),
                    "month": str(day.month), "day": str(day.day), "view": "p1"},
        ))
        day += timedelta(days=1)
    return out


def validate(rf: RemoteFile, data: bytes) -> None:
    if rf.dataset == "hourly_obsdl":
        parse.check_obsdl_body(data, rf.name)  # an error page served with HTTP 200
    elif b"tablefix1" not in data:
        raise ParseError(SOURCE, rf.name, "etrn page without the hourly table (tablefix1)")


def identify(name: str, data: bytes) -> Identified:
    """A hand-downloaded obsdl CSV (station id in its name) or a saved etrn page."""
    if name.lower().endswith((".html", ".htm")):
        table = parse.parse_etrn(data, name)
        dataset = "hourly_etrn"
    else:
        reject_html(data, source=SOURCE, file=name)
        table = parse.parse_obsdl(data, name)
        dataset = "hourly_obsdl"
    if table.num_rows == 0:
        raise ParseError(SOURCE, name, "no data rows")
    known = {st.station_id for st in stations()}
    for station in sorted(set(table.column("station_id").to_pylist()) - known):
        log.warning("jma: %s: station %s is not in seeds/weather_stations.csv; its rows are kept "
                    "in fct_weather_hourly with no area and are not weighted into any area (add a "
                    "seed row to use it)", name, station)
    first, last = parse.first_and_last(table)
    return Identified(dataset, name, first, last, tables=table)


_PK = ("station_id", "observed_label_jst")
DATASETS = {
    "hourly_obsdl": Dataset(
        name="hourly_obsdl", parse=parse.parse_obsdl, primary_key=_PK, schema=parse.SCHEMA,
        mode="history", data_time="observed_label_jst", extent_by=("station_id",),
        description="Hourly observations from the obsdl CSV (system of record), hour-END labels, "
        "with quality/no-phenomenon/homogeneity flags; every fetched version kept",
    ),
    "hourly_etrn": Dataset(
        name="hourly_etrn", parse=parse.parse_etrn, primary_key=_PK, schema=parse.SCHEMA,
        mode="history", data_time="observed_label_jst", extent_by=("station_id",),
        description="Hourly observations from etrn hourly_s1 pages (fallback), symbols → flags; "
        "every fetched version kept",
    ),
}


SPEC = Source(
    name=SOURCE,
    description="JMA hourly weather (obsdl CSV; etrn fallback) for the stations in the "
    "weather_stations seed",
    datasets=DATASETS,
    plan=plan,
    identify=identify,
    validate=validate,
    options=JmaOptions,
    hosts=HOSTS,
)
