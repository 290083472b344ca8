"""OCCTO unit generation (ユニット別発電実績, hatsuden-kokai.occto.or.jp), 30-minute kWh per unit.

One dataset, ``unit_generation`` (raw_unitgen), ``mode="history"``: values are preliminary
(速報値) and revised, so every fetched version is kept and dbt takes the latest per unit × day.

* an update (no ``--start``) asks for each of the last ``REVISION_DAYS`` target days up to
  yesterday (D−1 is published ~15:30 JST on D), one file a day ``unitgen_YYYYMMDD.csv``; a new
  version is archived only when the bytes changed (a revision);
* ``--start`` backfills from 2024-03-25 (the first official day) in monthly requests
  ``unitgen_YYYYMM.csv``.

Every download is the disclaimer handshake of :mod:`.fetch` with every filter sent explicitly.
"""

from __future__ import annotations

from datetime import date, timedelta

from ...core.archive import RemoteFile, logical_name
from ...core.errors import ParseError
from ...core.lazy import lazy_module
from ...core.source import Dataset, Identified, RunContext, Source
from ...core.textio import decode_lenient, reject_html
from ...core.timeutil import periods
from .fetch import download
from .parse import KEY, SCHEMA, parse_unit_generation
from .settings import (
    CSV_URL,
    DATASET,
    FIRST_DAY,
    HOSTS,
    IMMUTABLE_AFTER_DAYS,
    MIN_BODY_BYTES,
    REVISION_DAYS,
    SOURCE,
)

pc = lazy_module("pyarrow.compute")

DATASETS = {
    DATASET: Dataset(
        name=DATASET, parse=parse_unit_generation, primary_key=KEY, schema=SCHEMA,
        mode="history",
        data_time="target_date", extent_by=("area_name",),
        description="30-minute generation per unit (kWh), wide as published: kwh_ending_HHMM "
        "(end-labelled 00:30..24:00), 日量 and 更新日時; every fetched version kept",
    ),
}


def _file(name: str, first: date, last: date, today: date) -> RemoteFile:
    return RemoteFile(
        source=SOURCE, dataset=DATASET, name=name, url=CSV_URL, period_start=first,
        period_end=last, immutable=(today - last).days > IMMUTABLE_AFTER_DAYS,
        params={"tgtDateDateFrom": f"{first:%Y/%m/%d}", "tgtDateDateTo": f"{last:%Y/%m/%d}"},
        fetch=download,
    )


def plan(ctx: RunContext) -> list[RemoteFile]:
    today = ctx.today
    yesterday = today - timedelta(days=1)
    end = min(ctx.end or yesterday, yesterday)
    if not ctx.wants(DATASET):
        return []
    if ctx.start is not None:
        return [_file(f"unitgen_{first:%Y%m}.csv", max(first, FIRST_DAY), last, today)
                for first, last in periods(max(ctx.start, FIRST_DAY), end, "month")]
    first = max(today - timedelta(days=REVISION_DAYS), FIRST_DAY)
    return [_file(f"unitgen_{day:%Y%m%d}.csv", day, day, today)
            for day, _ in periods(first, end, "day")]


def validate(rf: RemoteFile, data: bytes) -> None:
    reject_html(data, source=SOURCE, file=rf.name)
    if len(data) < MIN_BODY_BYTES:
        raise ParseError(SOURCE, rf.name, f"response of {len(data)} bytes is too short to be data")


def identify(name: str, data: bytes) -> Identified:
    """A hand-downloaded ユニット別発電実績 CSV (its header has 対象日 and 日量[kWh])."""
    reject_html(data, source=SOURCE, file=name)
    head = decode_lenient(data[:4096]).lstrip("\ufeff").split("\n", 1)[0]
    if "対象日" not in head or "発電所コード" not in head or "[kWh]" not in head:
        raise ParseError(SOURCE, name, "not an OCCTO unit-generation CSV (no 発電所コード, 対象日 "
                         "and [kWh] slot columns)", line=1)
    table = parse_unit_generation(data, name)
    if table.num_rows == 0:
        raise ParseError(SOURCE, name, "the file has no rows")
    days = table.column("target_date")
    return Identified(DATASET, logical_name(name), pc.min(days).as_py(), pc.max(days).as_py(),
                      tables=table)


SPEC = Source(
    name=SOURCE,
    description="OCCTO unit generation (ユニット別発電実績), 30-minute kWh per unit, 2024-03-25→; "
    "preliminary values revised, every version kept",
    datasets=DATASETS,
    plan=plan,
    identify=identify,
    validate=validate,
    hosts=HOSTS,
)
