"""What the archive, the warehouse and the run journal say about each source × dataset.

Read-only: the archive manifest (last fetch, rejected bodies), ``raw_<source>.pmd_file_extents``
(each archived version's first/last data time per area/station), the raw tables' row counts,
``marts.dq_coverage`` (gaps, when that mart is built) and ``<data>/ops/runs.jsonl`` (errors).
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from ..core.archive import Archive
from ..core.config import archive_dir, resolve_options, warehouse_path
from ..core.load import EXTENTS, LEDGER
from ..core.source import RunContext, Source
from .journal import read_runs
from .schedule import retention_days

log = logging.getLogger(__name__)


@dataclass
class PartState:
    part: str  # area / station ('' when the dataset is not split)
    first_data: datetime | None
    last_data: datetime | None
    days: set[date] = field(default_factory=set)  # only for datasets with a retention limit


@dataclass
class DatasetState:
    source: str
    dataset: str
    tables: tuple[str, ...]
    rows: int | None = None  # None: the raw tables do not exist yet
    last_fetch: str | None = None  # ISO UTC of the newest archived version
    last_fetch_origin: str | None = None
    last_load: datetime | None = None
    parts: dict[str, PartState] = field(default_factory=dict)
    rejected: str | None = None  # newest rejected body (ISO UTC), when newer than the last good
    planned: bool = True  # whether the source's plan fetches this dataset now

    @property
    def latest_data(self) -> datetime | None:
        times = [p.last_data for p in self.parts.values() if p.last_data]
        return max(times) if times else None


@dataclass
class SourceState:
    source: str
    datasets: list[DatasetState]
    gaps: dict[str, tuple[int, int]] | None  # dq source_name → (months with gaps, slots missing)
    last_run: dict | None
    last_error: dict | None  # journal line of the newest failed run, when after the last ok one
    import_error: str | None = None


def connect(data: Path) -> duckdb.DuckDBPyConnection | None:
    path = warehouse_path(data)
    if not path.exists():
        return None
    return duckdb.connect(str(path), read_only=True)


def _tables(con, schema: str) -> set[str]:
    return {r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = ?",
        [schema]).fetchall()}


def coverage_gaps(con) -> dict[str, tuple[int, int]] | None:
    """``marts.dq_coverage``: source_name → (months with missing slots, slots missing); None when
    the mart is not built."""
    if con is None or "dq_coverage" not in _tables(con, "marts"):
        return None
    return {name: (int(months or 0), int(missing or 0)) for name, months, missing in con.execute(
        "select source_name, count(*) filter (where missing_intervals > 0), "
        "coalesce(sum(missing_intervals), 0) from marts.dq_coverage group by 1").fetchall()}


def gaps_for(gaps: dict[str, tuple[int, int]] | None, source: str, dataset: str
             ) -> tuple[int, int] | None:
    """The coverage rows of one dataset: ``source_name`` equal to the source, or
    ``<source>_<x>`` where the dataset name starts with ``x`` (jepx_spot ↔ spot_summary)."""
    if gaps is None:
        return None
    months = missing = 0
    found = False
    for name, (m, n) in gaps.items():
        suffix = name[len(source) + 1:] if name.startswith(source + "_") else None
        if name == source or (suffix and (dataset.startswith(suffix) or suffix.startswith(dataset))):
            months, missing, found = months + m, missing + n, True
    return (months, missing) if found else (0, 0)


def planned_datasets(spec: Source, today: date, data: Path, window_days: int = 45
                     ) -> set[str] | None:
    """Datasets the source's plan fetches for the last ``window_days`` with the effective
    options (flags aside): retired or optional ones (legacy files, a fallback interface) are
    left out. None when the plan cannot be asked offline (then every dataset counts)."""
    start = today - timedelta(days=window_days)
    try:
        options = resolve_options(spec.name, spec.options)
        ctx = RunContext(start=start, end=today, today=today, offline=False, options=options,
                         archive=Archive(archive_dir(data)), http=None)
        files = spec.plan(ctx)
    except Exception as exc:  # a plan that needs the network: every dataset counts
        log.debug("%s: plan not available offline: %s", spec.name, exc)
        return None
    return {rf.dataset for rf in files if rf.period_end >= start and rf.period_start <= today}


def source_state(spec: Source, data: Path, con) -> SourceState:
    archive = Archive(archive_dir(data))
    entries = archive.entries(spec.name)
    schema = f"raw_{spec.name}"
    tables = _tables(con, schema) if con is not None else set()
    states = []
    for ds in spec.datasets.values():
        st = DatasetState(spec.name, ds.name, tuple(t.name for t in ds.tables))
        good = [e for e in entries if e.dataset == ds.name and e.origin != "rejected"]
        bad = [e for e in entries if e.dataset == ds.name and e.origin == "rejected"]
        if good:
            newest = max(good, key=lambda e: e.fetched_at)
            st.last_fetch, st.last_fetch_origin = newest.fetched_at, newest.origin
        if bad and (not good or max(e.fetched_at for e in bad) > st.last_fetch):
            st.rejected = max(e.fetched_at for e in bad)
        present = [t for t in st.tables if t in tables]
        if present:
            st.rows = sum(con.execute(f'select count(*) from {schema}."{t}"').fetchone()[0]
                          for t in present)
        states.append(st)
    by_name = {s.dataset: s for s in states}
    if EXTENTS in tables:
        for dataset, part, first, last in con.execute(
                f"select dataset, part, min(first_data), max(last_data) from {schema}.{EXTENTS} "
                "group by 1, 2").fetchall():
            if dataset in by_name and spec.datasets[dataset].extent_is_freshness:
                by_name[dataset].parts[part or ""] = PartState(part or "", first, last)
        for dataset, st in by_name.items():
            if retention_days(spec.name, dataset) is None:
                continue
            for part, first, last in con.execute(
                    f"select part, first_data, last_data from {schema}.{EXTENTS} where dataset = ?",
                    [dataset]).fetchall():
                ps = st.parts.get(part or "")
                day = first.date() if first else None
                while ps is not None and day is not None and last and day <= last.date():
                    ps.days.add(day)
                    day += timedelta(days=1)
    if LEDGER in tables:
        for dataset, loaded in con.execute(
                f"select dataset, max(loaded_at) from {schema}.{LEDGER} group by 1").fetchall():
            if dataset in by_name:
                by_name[dataset].last_load = loaded
    runs = [r for r in read_runs(data) if r.get("source") == spec.name]
    last_ok = max((r["at"] for r in runs if r.get("ok")), default="")
    failed = [r for r in runs if not r.get("ok") and r["at"] >= last_ok]
    return SourceState(spec.name, states, None, runs[-1] if runs else None,
                       failed[-1] if failed else None)


def collect(specs: list[Source], data: Path, *, now: datetime) -> list[SourceState]:
    con = connect(data)
    try:
        gaps = coverage_gaps(con)
        out = []
        for spec in specs:
            st = source_state(spec, data, con)
            st.gaps = gaps
            out.append(st)
        return out
    finally:
        if con is not None:
            con.close()


def option_fields(spec: Source) -> list[dataclasses.Field]:
    return list(dataclasses.fields(spec.options))
