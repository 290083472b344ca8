"""Load archived files into ``raw_<source>``: parse once, stage with dlt, apply in one transaction.

1. Every file version is parsed once (from the archive). A file that fails to parse is named in
   the run's errors and left out; the others go on.
2. A dlt pipeline stages the parsed rows file by file (Arrow tables, a ``latest`` table's rows
   made unique on its primary key within the file) as Parquet files in the data directory:
   dlt's ``filesystem`` destination, ``replace``, one folder ``_pmd_stage__<table>`` per table
   under ``<data>/.dlt/stage/<source>/``. Memory holds one file at a time, never the history;
   whatever happens to the stage, the warehouse is untouched.
3. One DuckDB transaction applies the stage (``read_parquet`` of this run's files) to the raw
   tables — ``latest`` tables delete the rows of the staged merge keys and insert the new ones
   (where several staged files share a merge key, the most recently fetched copy of a row
   wins), ``history`` tables replace only the rows of the same file version — and writes the
   ledger ``raw_<source>.pmd_loaded_files`` in the same transaction. A crash before COMMIT
   leaves the warehouse as it was and the ledger says so; the next run clears the stage and
   loads the files again. Staging writes each row once into Parquet and the apply once into
   DuckDB (a DuckDB stage table wrote it twice).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from .archive import Archive, ArchivedFile
from .config import warehouse_path
from .errors import ExtractError, ParseError
from .faults import checkpoint
from .lazy import lazy_module
from .source import Source, Table, raw_schema

pc = lazy_module("pyarrow.compute")

log = logging.getLogger(__name__)

LEDGER = "pmd_loaded_files"
STAGE_PREFIX = "_pmd_stage__"
# dlt settings of the stage, unless the environment sets them: uncompressed Parquet (the files
# live for one run; snappy took a third of the write time) and no copy of each run's files kept
# in dlt's loaded packages
STAGE_DLT_SETTINGS = {"DATA_WRITER__COMPRESSION": "none", "LOAD__DELETE_COMPLETED_JOBS": "true",
                      "RUNTIME__DLTHUB_TELEMETRY": "false"}
LEDGER_SCHEMA = pa.schema([
    ("dataset", pa.string()),
    ("name", pa.string()),
    ("path", pa.string()),
    ("sha256", pa.string()),
    ("fetched_at", pa.timestamp("us", tz="UTC")),
    ("origin", pa.string()),
    ("period_start", pa.date32()),
    ("period_end", pa.date32()),
    ("mode", pa.string()),
    ("rows", pa.int64()),
    ("loaded_at", pa.timestamp("us", tz="UTC")),
])
EXTENTS = "pmd_file_extents"
EXTENTS_SCHEMA = pa.schema([
    ("dataset", pa.string()),
    ("name", pa.string()),
    ("path", pa.string()),
    ("fetched_at", pa.timestamp("us", tz="UTC")),
    ("origin", pa.string()),
    ("part", pa.string()),  # the extent_by value(s) joined by '|' ('' when none)
    ("first_data", pa.timestamp("us")),  # the data's own time (JST wall clock)
    ("last_data", pa.timestamp("us")),
    ("rows", pa.int64()),
    # the part's area when ``extent_by`` holds ``area_code`` ('' when the dataset is not split by
    # area; NULL in rows recorded before this column existed): dq_publication_lag's grain
    ("area_code", pa.string()),
])
DLT_ONLY_COLUMNS = ("_dlt_load_id", "_dlt_id")
# file versions that failed to parse (planning downloads a closed-period file again when its
# latest archived version is listed here); a version that loads later is removed
FAILED = "pmd_failed_files"
FAILED_SCHEMA = pa.schema([
    ("dataset", pa.string()),
    ("name", pa.string()),
    ("path", pa.string()),
    ("sha256", pa.string()),
    ("error", pa.string()),
    ("failed_at", pa.timestamp("us", tz="UTC")),
])


class WarehouseBusy(ExtractError):
    """Another process holds the DuckDB file (the message names it and its PID)."""


def busy_message(db: Path, exc: BaseException) -> str | None:
    """A clear message when ``exc`` is DuckDB's lock conflict (its text names the holder's
    program and PID), else None."""
    text = str(exc)
    if "lock" not in text.lower():
        return None
    m = re.search(r"held in (.+?) \(PID (\d+)\)", text)
    holder = f"PID {m.group(2)} ({m.group(1)})" if m else "another process"
    return (f"the warehouse {db} is in use by {holder}: close that connection (a notebook, "
            "DuckDB UI or dbt run) and run again")


DEFAULT_THREADS = "2"  # the defaults of profiles.yml
DEFAULT_MEMORY_LIMIT = "1200MB"


def duckdb_config(data: Path, environ: dict[str, str] | None = None) -> dict[str, str]:
    """DuckDB settings of a loader connection, from the environment ``profiles.yml`` reads
    (``PMD_DUCKDB_THREADS``, ``PMD_DUCKDB_MEMORY_LIMIT``); spills go to
    ``<warehouse>.tmp`` inside the data directory. The apply step's dedup of a large batch stays
    within the limit (42M staged bid-curve rows: 4.6 GiB peak unlimited, 1.1 GiB at 1GB)."""
    environ = os.environ if environ is None else environ
    return {
        "threads": environ.get("PMD_DUCKDB_THREADS") or DEFAULT_THREADS,
        "memory_limit": environ.get("PMD_DUCKDB_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT,
        "temp_directory": f"{warehouse_path(data)}.tmp",
    }


def connect(data: Path, *, read_only: bool = False, who: str = "") -> duckdb.DuckDBPyConnection:
    """Open the warehouse with :func:`duckdb_config`; a lock held by another process raises
    :class:`WarehouseBusy`, a bad setting an :class:`ExtractError` naming its variable."""
    db = warehouse_path(data)
    config = duckdb_config(data)
    try:
        return duckdb.connect(str(db), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        msg = busy_message(db, exc)
        if msg is None:
            raise
        raise WarehouseBusy(f"[{who}] {msg}" if who else msg) from None
    except (duckdb.InvalidInputException, duckdb.ParserException) as exc:
        raise ExtractError(f"DuckDB settings {config} (PMD_DUCKDB_THREADS, "
                           f"PMD_DUCKDB_MEMORY_LIMIT): {exc}") from None


@dataclass
class LoadReport:
    files_loaded: int = 0
    rows_loaded: int = 0
    errors: list[str] = field(default_factory=list)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def fetched_at(entry: ArchivedFile) -> datetime:
    return datetime.fromisoformat(entry.fetched_at.replace("Z", "+00:00")).astimezone(UTC)


def with_lineage(table: pa.Table, entry: ArchivedFile) -> pa.Table:
    """Append the archive path of the version and its fetch time to every row."""
    n = table.num_rows  # constant columns built by Arrow (a Python list per row took ~1/3 s)
    table = table.append_column("_source_file", pa.repeat(pa.scalar(entry.path, pa.string()), n))
    return table.append_column(
        "_fetched_at", pa.repeat(pa.scalar(fetched_at(entry), pa.timestamp("us", tz="UTC")), n))


# -- tables ------------------------------------------------------------------------------------
_DUCK_TYPES = {
    pa.string(): "VARCHAR", pa.large_string(): "VARCHAR", pa.bool_(): "BOOLEAN",
    pa.int8(): "TINYINT", pa.int16(): "SMALLINT", pa.int32(): "INTEGER", pa.int64(): "BIGINT",
    pa.float32(): "FLOAT", pa.float64(): "DOUBLE", pa.date32(): "DATE",
}


def duck_type(t: pa.DataType) -> str:
    """The DuckDB column type of an Arrow type (the types our parsers produce)."""
    if t in _DUCK_TYPES:
        return _DUCK_TYPES[t]
    if pa.types.is_timestamp(t):
        return "TIMESTAMP WITH TIME ZONE" if t.tz else "TIMESTAMP"
    if pa.types.is_decimal(t):
        return f"DECIMAL({t.precision}, {t.scale})"
    raise TypeError(f"no DuckDB type for Arrow {t}")


def _columns(con: duckdb.DuckDBPyConnection, schema_name: str) -> dict[str, set[str]]:
    """table → its column names, for every table of ``schema_name``."""
    out: dict[str, set[str]] = {}
    for table, column in con.execute(
            "select table_name, column_name from information_schema.columns where "
            "table_schema = ?", [schema_name]).fetchall():
        out.setdefault(table, set()).add(column)
    return out


def ensure_table(con: duckdb.DuckDBPyConnection, schema_name: str, name: str,
                 schema: pa.Schema, existing: dict[str, set[str]] | None = None) -> bool:
    """Create ``schema_name.name`` from an Arrow schema, or add the columns it lacks.

    Returns True when the table was created."""
    if existing is None:
        existing = _columns(con, schema_name)
    have = existing.get(name, set())
    target = f"{_q(schema_name)}.{_q(name)}"
    if not have:
        con.execute(f"create schema if not exists {_q(schema_name)}")
        cols = ", ".join(f"{_q(f.name)} {duck_type(f.type)}" for f in schema)
        con.execute(f"create table {target} ({cols})")
        existing[name] = set(schema.names)
        return True
    for f in schema:
        if f.name not in have:
            con.execute(f"alter table {target} add column {_q(f.name)} {duck_type(f.type)}")
    for col in DLT_ONLY_COLUMNS:  # tables written by an older, dlt-merge version of the loader
        if col in have:
            con.execute(f"alter table {target} drop column {_q(col)}")
    existing[name] = have | set(schema.names)
    return False


def source_table_schemas(source: Source) -> list[tuple[str, pa.Schema, bool]]:
    """Every table ``raw_<source>`` must hold: (name, Arrow schema, is a data table) for its
    raw tables, then its ledger, extents and failed-files tables."""
    return [*((t.name, raw_schema(t), True) for t in source.tables()),
            (LEDGER, LEDGER_SCHEMA, False), (EXTENTS, EXTENTS_SCHEMA, False),
            (FAILED, FAILED_SCHEMA, False)]


def table_is_current(have: set[str], schema: pa.Schema) -> bool:
    """True when a table with columns ``have`` needs nothing from :func:`ensure_table`."""
    return set(schema.names) <= have and not have & set(DLT_ONLY_COLUMNS)


def ensure_source_tables(con: duckdb.DuckDBPyConnection, source: Source) -> list[str]:
    """Every raw table of ``source`` and its ledger exist (empty if never loaded)."""
    created = []
    schema_name = f"raw_{source.name}"
    existing = _columns(con, schema_name)
    for name, schema, is_data in source_table_schemas(source):
        if ensure_table(con, schema_name, name, schema, existing) and is_data:
            created.append(f"{schema_name}.{name}")
    return created


def ensure_raw_tables(data: Path, sources: list[Source]) -> list[str]:
    """Create every missing ``raw_<source>.<table>`` as an empty table (the landing contract:
    dbt's staging views select from every raw table, loaded or not). Returns those created."""
    warehouse_path(data).parent.mkdir(parents=True, exist_ok=True)
    con = connect(data)
    try:
        created: list[str] = []
        for source in sources:
            created += ensure_source_tables(con, source)
        return created
    finally:
        con.close()


@contextlib.contextmanager
def _using(data: Path, con, *, read_only: bool, who: str):
    """``con`` when the caller shares its connection (left open), else a new one closed after."""
    if con is not None:
        yield con
        return
    con = connect(data, read_only=read_only, who=who)
    try:
        yield con
    finally:
        con.close()


def loaded_versions(data: Path, source: Source,
                    con=None) -> tuple[dict[tuple[str, str], str], set[str]]:
    """What the warehouse holds: {(dataset, name): path} of the version loaded into ``latest``
    tables, and the set of every version path loaded into ``history`` tables. ``con``: a
    connection to read with (the run's shared one) instead of opening the warehouse."""
    db = warehouse_path(data)
    latest: dict[tuple[str, str], str] = {}
    history: set[str] = set()
    if not db.exists():
        return latest, history
    with _using(data, con, read_only=True, who=source.name) as con:
        try:
            rows = con.execute(
                f"select dataset, name, path, coalesce(mode, 'latest') from "
                f"{_q('raw_' + source.name)}.{LEDGER}").fetchall()
        except duckdb.Error:
            return latest, history
    for dataset, name, path, mode in rows:
        if mode == "history":
            history.add(path)
        else:
            latest[(dataset, name)] = path
    return latest, history


def failed_versions(data: Path, source: Source, con=None) -> set[str]:
    """Archive paths of the file versions whose last load failed to parse."""
    if not warehouse_path(data).exists():
        return set()
    with _using(data, con, read_only=True, who=source.name) as con:
        try:
            rows = con.execute(f"select path from {_q('raw_' + source.name)}.{FAILED}").fetchall()
        except duckdb.Error:
            return set()
    return {r[0] for r in rows}


def refetch_hint(source: str, entry: ArchivedFile) -> str:
    """What to do about a version that does not parse (its bytes stay in the archive)."""
    if entry.origin == "import":
        return f"the bytes stay archived as {entry.path}; import a good copy of the file"
    when = ""
    if entry.period_start and entry.period_end:
        when = f" --start {entry.period_start} --end {entry.period_end}"
    return (f"the bytes stay archived as {entry.path}; the next online run downloads the file "
            f"again (now: python -m extract.run {source} --refetch{when})")


def files_to_load(source: Source, archive: Archive, data: Path, *, start: date | None,
                  end: date | None, reload: bool = False, con=None) -> list[ArchivedFile]:
    """The archived versions the warehouse does not hold yet (every one with ``reload``)."""
    history_ds = [n for n, ds in source.datasets.items() if ds.mode == "history"]
    files = archive.files(source.name, start=start, end=end, all_versions=history_ds)
    files = [f for f in files if f.dataset in source.datasets]
    if reload:
        return files
    latest, history = loaded_versions(data, source, con)
    return [f for f in files
            if (f.path not in history if f.dataset in history_ds
                else latest.get((f.dataset, f.name)) != f.path)]


# -- load --------------------------------------------------------------------------------------
def _not_null(table: pa.Table, keys: tuple[str, ...]) -> pa.Table:
    names = set(keys) | {"_source_file", "_fetched_at"}
    fields = [f.with_nullable(False) if f.name in names else f for f in table.schema]
    return table.cast(pa.schema(fields))


def unique_rows(table: pa.Table, key: tuple[str, ...]) -> pa.Table:
    """``table`` with one row per ``key``: the first in file order (the table itself when its
    keys are already unique, the usual case). Each key column is dictionary-coded (NULL is a
    value of its own, as in GROUP BY) and the codes sorted stably."""
    if table.num_rows < 2 or not key:
        return table
    codes = [pc.dictionary_encode(table.column(k).combine_chunks(), null_encoding="encode")
             .indices.to_numpy() for k in key]
    order = np.lexsort(codes[::-1])  # stable: equal keys keep their file order
    ordered = [c[order] for c in codes]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = np.logical_or.reduce([c[1:] != c[:-1] for c in ordered])
    if starts.all():
        return table
    return table.take(pa.array(np.sort(order[starts])))


def _conform(table: pa.Table, spec: Table, label: str, source: str) -> pa.Table:
    """The parsed table in the declared column order and types (a parser bug names itself)."""
    missing = [c for c in spec.schema.names if c not in table.column_names]
    if missing:
        raise ParseError(source, label, f"parser returned no column(s) {missing} for table "
                         f"{spec.name}")
    try:
        return table.select(spec.schema.names).cast(spec.schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ParseError(source, label, f"table {spec.name}: {exc}") from exc


def extents(ds, table: pa.Table, entry: ArchivedFile) -> list[dict]:
    """The data extent of one file version per part (see ``Dataset.data_time``)."""
    if ds.data_time is None or table.num_rows == 0:
        return []
    col = pc.cast(table.column(ds.data_time), pa.timestamp("us"))
    keys = list(ds.extent_by)
    t = pa.table({"_t": col, **{k: pc.cast(table.column(k), pa.string()) for k in keys}})
    grouped = t.group_by(keys).aggregate([("_t", "min"), ("_t", "max"), ("_t", "count")])
    out = []
    for row in grouped.to_pylist():
        out.append({
            "dataset": entry.dataset, "name": entry.name, "path": entry.path,
            "fetched_at": fetched_at(entry), "origin": entry.origin,
            "part": "|".join(str(row[k]) for k in keys), "first_data": row["_t_min"],
            "last_data": row["_t_max"], "rows": row["_t_count"],
            "area_code": (row["area_code"] or "") if "area_code" in keys else "",
        })
    return out


def versions_without_extents(source: Source, archive: Archive, data: Path,
                             con=None) -> list[ArchivedFile]:
    """Older versions of ``latest`` files whose extent the warehouse does not know yet (they
    are parsed for their extent only, never loaded): the first appearance of each day."""
    measured = {ds.name for ds in source.datasets.values()
                if ds.data_time is not None and ds.mode == "latest"}
    if not measured:
        return []
    by_name: dict[tuple[str, str], list[ArchivedFile]] = {}
    for e in archive.entries(source.name):
        if e.origin != "rejected" and e.dataset in measured:
            by_name.setdefault((e.dataset, e.name), []).append(e)
    older = [e for versions in by_name.values() if len(versions) > 1 for e in versions[:-1]]
    if not older or not warehouse_path(data).exists():  # nothing to ask the warehouse
        return older
    known: set[str] = set()
    with _using(data, con, read_only=True, who=source.name) as con, \
            contextlib.suppress(duckdb.Error):
        known = {r[0] for r in con.execute(
            f"select distinct path from {_q('raw_' + source.name)}.{EXTENTS}").fetchall()}
    return [e for e in older if e.path not in known]


def _column_hints(schema: pa.Schema) -> dict[str, dict]:
    # JST wall-clock timestamps stay naive (dlt would make them timestamptz)
    return {f.name: {"data_type": "timestamp", "timezone": False} for f in schema
            if pa.types.is_timestamp(f.type) and f.type.tz is None}


def load_files(
    source: Source,
    files: list[ArchivedFile],
    archive: Archive,
    data: Path,
    *,
    progress: Callable[[ArchivedFile, int], None] | None = None,
    allow_shrink: bool = False,
    extent_only: list[ArchivedFile] = (),
    parsed: dict[str, dict[str, pa.Table]] | None = None,
) -> LoadReport:
    """Parse ``files`` from the archive and apply them to ``raw_<source>`` (see module doc).

    ``allow_shrink`` lets a file replace a merge key's rows with fewer rows (see
    :func:`apply_stage`). ``extent_only`` versions are parsed for their data extent alone
    (never loaded). ``parsed`` maps an archive path to the tables of that version parsed
    already (by the importer's ``identify``): they are used instead of parsing it again, and
    checked like a fresh parse."""
    ready = dict(parsed or {})
    report = LoadReport()
    if not files and not extent_only:
        return report
    schema_name = f"raw_{source.name}"
    specs = {t.name: t for t in source.tables()}
    warehouse_path(data).parent.mkdir(parents=True, exist_ok=True)
    checkpoint("load: start")
    con = connect(data, who=source.name)
    try:
        ensure_source_tables(con, source)
        for table in specs.values():  # stage tables of the loader before the Parquet stage
            con.execute(f"drop table if exists {_q(schema_name)}.{_q(STAGE_PREFIX + table.name)}")
    finally:
        con.close()
    clear_stage(source.name, data)  # a crashed run may have left files in the stage
    checkpoint("load: stage tables cleared")

    ledger: list[dict] = []
    failed: list[dict] = []
    spans: list[dict] = []
    staged: dict[str, int] = {}
    for entry in extent_only:
        ds = source.datasets[entry.dataset]
        try:
            table = ds.parse_tables(archive.read(entry), entry.path).get(ds.name)
        except ExtractError as exc:  # an old version that does not parse: no extent, no stop
            log.warning("%s: older version not measured: %s", source.name, exc)
            continue
        if table is not None:
            spans += extents(ds, table, entry)

    def parsed() -> Iterator:
        import dlt

        for entry in files:
            ds = source.datasets[entry.dataset]
            try:
                tables = ready.pop(entry.path, None)
                if tables is None:
                    tables = ds.parse_tables(archive.read(entry), entry.path)
                unknown = set(tables) - {t.name for t in ds.tables}
                if unknown:
                    raise ParseError(source.name, entry.path, f"parser returned unknown "
                                     f"table(s) {sorted(unknown)}")
                tables = {n: _conform(t, specs[n], entry.path, source.name)
                          for n, t in tables.items()}
                _check_extent(source.name, ds, entry, tables)
            except ExtractError as exc:
                msg = f"{exc} ({refetch_hint(source.name, entry)})"
                report.errors.append(msg)
                log.error("%s", msg)
                failed.append({"dataset": entry.dataset, "name": entry.name, "path": entry.path,
                               "sha256": entry.sha256, "error": str(exc),
                               "failed_at": datetime.now(UTC)})
                continue
            rows = sum(t.num_rows for t in tables.values())
            if ds.name in tables:
                spans.extend(extents(ds, tables[ds.name], entry))
            ledger.append({
                "dataset": entry.dataset, "name": entry.name, "path": entry.path,
                "sha256": entry.sha256, "fetched_at": fetched_at(entry), "origin": entry.origin,
                "period_start": date.fromisoformat(entry.period_start) if entry.period_start else None,
                "period_end": date.fromisoformat(entry.period_end) if entry.period_end else None,
                "mode": ds.mode, "rows": rows, "loaded_at": datetime.now(UTC),
            })
            if progress:
                progress(entry, rows)
            checkpoint(f"load: parsed {entry.path}")
            for name, table in tables.items():
                if not table.num_rows:
                    continue
                spec = specs[name]
                if spec.mode != "history":  # the apply dedups only keys staged by several files
                    table = unique_rows(table, spec.primary_key)
                staged[name] = staged.get(name, 0) + table.num_rows
                keys = (*spec.primary_key, *(spec.merge_key or ()))
                yield dlt.mark.with_table_name(_not_null(with_lineage(table, entry), keys),
                                               STAGE_PREFIX + name)

    applied = False
    try:
        stage_files = _stage(source, data, parsed, specs) if files else {}
        if ledger or spans:
            refused = dict(apply_stage(source, data, stage_files, ledger, spans,
                                       allow_shrink=allow_shrink))
            applied = True
            for path, msg in refused.items():
                report.errors.append(msg)
                log.error("%s", msg)
                row = next(r for r in ledger if r["path"] == path)
                failed.append({"dataset": row["dataset"], "name": row["name"], "path": path,
                               "sha256": row["sha256"], "error": msg,
                               "failed_at": datetime.now(UTC)})
            ledger = [r for r in ledger if r["path"] not in refused]
            report.files_loaded = len(ledger)
            report.rows_loaded = sum(r["rows"] for r in ledger)
        if applied:
            clear_stage(source.name, data)
    finally:
        try:
            record_failures(source, data, failed, ledger if applied else [])
        except (ExtractError, duckdb.Error) as exc:
            log.warning("%s: could not record the files that failed to parse: %s",
                        source.name, exc)
    return report


def record_failures(source: Source, data: Path, failed: list[dict], loaded: list[dict]) -> None:
    """Remember the versions that failed to parse; forget the failures of files that loaded."""
    if not failed and not loaded:
        return
    target = f"{_q('raw_' + source.name)}.{FAILED}"
    con = connect(data, who=source.name)
    try:
        con.execute("begin transaction")
        paths = [r["path"] for r in failed]
        files = [f"{r['dataset']}/{r['name']}" for r in loaded]
        con.execute(f"delete from {target} where list_contains(?, path) or "
                    f"list_contains(?, dataset || '/' || name)", [paths, files])
        if failed:
            con.register("_pmd_failed", pa.Table.from_pylist(failed, schema=FAILED_SCHEMA))
            cols = ", ".join(_q(c) for c in FAILED_SCHEMA.names)
            con.execute(f"insert into {target} ({cols}) select {cols} from _pmd_failed")
        con.execute("commit")
    finally:
        con.close()


def _check_extent(source: str, ds, entry: ArchivedFile, tables: dict[str, pa.Table]) -> None:
    """A version fetched after its period closed must cover the whole period."""
    if not entry.immutable or ds.closed_rows is None:
        return
    expected = ds.closed_rows(entry)
    got = tables[ds.name].num_rows if ds.name in tables else 0
    if expected is not None and got < expected:
        raise ParseError(source, entry.path, f"{got} rows, but the closed period "
                         f"{entry.period_start}..{entry.period_end} needs {expected}: the file "
                         "is truncated or incomplete")


def stage_dir(source_name: str, data: Path) -> Path:
    """Where dlt writes the stage of ``source_name`` (Parquet files, one run's worth)."""
    return data / ".dlt" / "stage" / source_name


def clear_stage(source_name: str, data: Path) -> None:
    """Remove the staged files of ``source_name`` (after an apply, or left by a crash)."""
    shutil.rmtree(stage_dir(source_name, data), ignore_errors=True)


def make_pipeline(source_name: str, data: Path):
    import dlt

    return dlt.pipeline(
        pipeline_name=f"pmd_{source_name}",
        destination=dlt.destinations.filesystem(bucket_url=str(stage_dir(source_name, data))),
        dataset_name=f"raw_{source_name}",
        pipelines_dir=str(data / ".dlt" / "pipelines"),
    )


def _stage(source: Source, data: Path, parsed: Callable[[], Iterator],
           specs: dict[str, Table]) -> dict[str, list[str]]:
    """Run the dlt pipeline over the parsed files; returns {table: its staged Parquet files}."""
    for key, value in STAGE_DLT_SETTINGS.items():
        os.environ.setdefault(key, value)
    import dlt
    from dlt.pipeline.exceptions import PipelineStepFailed

    hints: dict[str, dict] = {}
    for spec in specs.values():
        hints.update(_column_hints(spec.schema))
    resource = dlt.resource(parsed(), name=f"{source.name}_files", write_disposition="replace",
                            columns=hints or None)
    pipeline = make_pipeline(source.name, data)
    pipeline.abort_packages()  # a crashed run's half-done package is never replayed
    try:
        pipeline.extract(resource, loader_file_format="parquet")
        checkpoint("stage: dlt extract done")
        pipeline.normalize()
        checkpoint("stage: dlt normalize done")
        info = pipeline.load()
        checkpoint("stage: dlt load done")
    except PipelineStepFailed as exc:
        cause = _root_cause(exc)
        if isinstance(cause, ExtractError):
            raise cause from exc
        busy = busy_message(warehouse_path(data), cause)
        if busy:
            raise WarehouseBusy(f"[{source.name}] {busy}") from exc
        raise ExtractError(f"[{source.name}] staging failed: {type(cause).__name__}: {cause}") from exc
    root = stage_dir(source.name, data) / f"raw_{source.name}"
    out: dict[str, list[str]] = {}
    for load_id in info.loads_ids:  # this run's files only (the layout is table/load_id.file.ext)
        for name in specs:
            out.setdefault(name, []).extend(
                str(p) for p in sorted((root / (STAGE_PREFIX + name)).glob(f"{load_id}.*.parquet")))
    return {name: paths for name, paths in out.items() if paths}


def _has(table: str, keys: str, cols: tuple[str, ...]) -> str:
    """SQL condition: the row of ``table`` has its ``cols`` among the rows of ``keys``."""
    on = " and ".join(f"_k.{_q(c)} = {table}.{_q(c)}" for c in cols)
    return f"exists (select 1 from {keys} as _k where {on})"


def _multi_file_keys(con, schema_name: str, spec: Table) -> str | None:
    """For a ``latest`` table: create the temp table ``_pmd_multi`` of the merge keys whose
    staged rows come from more than one file, and return its name. Rows of any other merge key
    are unique already (one file, made unique on the primary key when staged) when the merge key
    is part of the primary key; otherwise None (every staged row may need the dedup)."""
    mk = spec.merge_key or spec.primary_key
    if not set(mk) <= set(spec.primary_key):
        return None
    stage = _q(STAGE_PREFIX + spec.name)
    cols = ", ".join(_q(k) for k in mk)
    con.execute(f"create or replace temp table _pmd_multi as select {cols} from (select "
                f"distinct {cols}, _source_file from {stage}) group by all having count(*) > 1")
    return "_pmd_multi"


def _shrinking(con, schema_name: str, spec: Table) -> list[tuple[list[str], str, int, int]]:
    """Merge keys of a ``latest`` table whose staged rows are FEWER than the rows the raw table
    holds: [(staged files, key text, staged rows, warehouse rows)]."""
    if spec.mode == "history" or not spec.merge_key:
        return []
    raw = f"{schema_name}.{_q(spec.name)}"
    stage = _q(STAGE_PREFIX + spec.name)
    mk = ", ".join(_q(k) for k in spec.merge_key)
    grain = ", ".join(_q(k) for k in dict.fromkeys([*spec.primary_key, *spec.merge_key]))
    # only the merge keys the warehouse holds can shrink: the rest of the stage is never read
    con.execute(f"create or replace temp table _pmd_held as select {mk}, count(*) as n from "
                f"{raw} where {_has(raw, f'(select distinct {mk} from {stage})', spec.merge_key)} "
                "group by all")
    rows = con.execute(
        f"with st as (select * from {stage} where {_has(stage, '_pmd_held', spec.merge_key)}), "
        f"s as (select {mk}, count(*) as n from (select distinct {grain} from st) group by all), "
        f"f as (select {mk}, list(distinct _source_file order by _source_file) as files from st "
        f"group by all) select f.files, s.n, r.n, {', '.join('s.' + _q(k) for k in spec.merge_key)}"
        f" from s join _pmd_held as r using ({mk}) join f using ({mk}) where s.n < r.n").fetchall()
    out = []
    for files, staged_n, raw_n, *key in rows:
        text = ", ".join(f"{k}={v!s}" for k, v in zip(spec.merge_key, key, strict=True))
        out.append((list(files), text, staged_n, raw_n))
    return out


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _stage_views(con, staged: dict[str, list[str]], refused: dict[str, str]) -> None:
    """Temp views ``_pmd_stage__<table>``: the rows of the staged Parquet files, less those of
    the ``refused`` file versions."""
    skip = ""
    if refused:
        skip = f" where _source_file not in ({', '.join(_literal(p) for p in refused)})"
    for name, paths in staged.items():
        con.execute(f"create or replace temp view {_q(STAGE_PREFIX + name)} as select * from "
                    f"read_parquet([{', '.join(_literal(p) for p in paths)}]){skip}")


def apply_stage(source: Source, data: Path, staged: dict[str, list[str]], ledger: list[dict],
                spans: list[dict] = (), *, allow_shrink: bool = False) -> list[tuple[str, str]]:
    """Move the staged rows (``staged``: table → its Parquet files) into the raw tables and
    record the ledger, in one transaction.

    A file that would replace a merge key's rows with FEWER rows than the warehouse holds (a
    month shrinking) is refused unless ``allow_shrink``: its rows are dropped from the stage
    and it is left out of the ledger. Returns the refused [(path, message)]."""
    schema_name = _q(f"raw_{source.name}")
    specs = {t.name: t for t in source.tables()}
    refused: dict[str, str] = {}
    con = connect(data, who=source.name)
    try:
        con.execute("begin transaction")
        _stage_views(con, staged, refused)
        checkpoint("apply: begin")
        while True:  # dropping a file may make a key it shared with another file shrink
            found = False
            for name in staged:
                for files, key, staged_n, raw_n in _shrinking(con, schema_name, specs[name]):
                    what = (f"{name} rows of {key}: {raw_n} in the warehouse, {staged_n} in "
                            f"{', '.join(files)}")
                    if allow_shrink:
                        log.warning("[%s] replacing %s (--allow-shrink)", source.name, what)
                        continue
                    for path in files:
                        if path not in refused:
                            refused[path] = (
                                f"[{source.name}] {path}: refused, the file would shrink the "
                                f"{what} (a cut download or a withdrawn period?); the warehouse "
                                "keeps its rows; --allow-shrink loads it anyway")
                            found = True
            if not found:
                break
            _stage_views(con, staged, refused)
        ledger = [r for r in ledger if r["path"] not in refused]
        for name in staged:
            spec = specs[name]
            raw = f"{schema_name}.{_q(name)}"
            stage = _q(STAGE_PREFIX + name)
            cols = ", ".join(_q(c) for c in raw_schema(spec).names)
            if spec.mode == "history":
                con.execute(f"delete from {raw} using (select distinct _source_file from {stage}) "
                            f"as s where {raw}._source_file = s._source_file")
                checkpoint(f"apply: {name} old rows of the staged versions deleted")
                con.execute(f"insert into {raw} ({cols}) select {cols} from {stage}")
            else:
                mk = spec.merge_key or spec.primary_key
                on = " and ".join(f"{raw}.{_q(k)} = s.{_q(k)}" for k in mk)
                con.execute(f"delete from {raw} using (select distinct "
                            f"{', '.join(_q(k) for k in mk)} from {stage}) as s where {on}")
                checkpoint(f"apply: {name} rows of the staged keys deleted")
                pk = ", ".join(_q(k) for k in spec.primary_key)
                dedup = (f"qualify row_number() over (partition by {pk} order by _fetched_at "
                         "desc, _source_file desc) = 1")
                multi = _multi_file_keys(con, schema_name, spec)
                if multi is None:
                    con.execute(f"insert into {raw} ({cols}) select {cols} from {stage} {dedup}")
                else:  # only keys staged from several files need the (memory-hungry) dedup
                    con.execute(f"insert into {raw} ({cols}) select {cols} from {stage} where "
                                f"not {_has(stage, multi, mk)}")
                    con.execute(f"insert into {raw} ({cols}) select {cols} from {stage} where "
                                f"{_has(stage, multi, mk)} {dedup}")
            checkpoint(f"apply: {name} inserted")
        spans = [r for r in spans if r["path"] not in refused]
        if spans:
            ext = pa.Table.from_pylist(list(spans), schema=EXTENTS_SCHEMA)
            con.register("_pmd_extents", ext)
            target = f"{schema_name}.{EXTENTS}"
            con.execute(f"delete from {target} where path in (select path from _pmd_extents)")
            ecols = ", ".join(_q(c) for c in EXTENTS_SCHEMA.names)
            con.execute(f"insert into {target} ({ecols}) select {ecols} from _pmd_extents")
        led = pa.Table.from_pylist(ledger, schema=LEDGER_SCHEMA)
        con.register("_pmd_ledger", led)
        target = f"{schema_name}.{LEDGER}"
        con.execute(f"delete from {target} using _pmd_ledger as n where "
                    f"(n.mode = 'history' and {target}.path = n.path) or (n.mode <> 'history' "
                    f"and {target}.dataset = n.dataset and {target}.name = n.name)")
        cols = ", ".join(_q(c) for c in LEDGER_SCHEMA.names)
        con.execute(f"insert into {target} ({cols}) select {cols} from _pmd_ledger")
        checkpoint("apply: ledger written, before COMMIT")
        con.execute("commit")
        checkpoint("apply: committed")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("rollback")
        raise
    finally:
        con.close()
    return list(refused.items())


def _root_cause(exc: BaseException) -> BaseException:
    seen = exc
    while True:
        nxt = getattr(seen, "exception", None) or seen.__cause__ or seen.__context__
        if nxt is None or nxt is seen:
            return seen
        if isinstance(nxt, ExtractError):
            return nxt
        seen = nxt
