"""What a source module provides, and the generic pieces that turn archived files into dlt data.

A source family (``extract/jepx``, ``extract/tso``, ...) defines:

* ``DATASETS``: one :class:`Dataset` per raw table: how to parse one archived file into an Arrow
  table, its primary key and its merge key (``write_disposition`` merge, ``delete-insert``);
* ``plan(ctx)``: the :class:`~extract.archive.RemoteFile` list for a date range (URLs, headers);
* ``identify(name, data)``: which dataset and period a hand-downloaded file belongs to (importer);
* a ``@dlt.source`` function built with :func:`archive_resources`.

Registering a :class:`SourceSpec` in :mod:`extract.registry` makes it available to
``python -m extract.run`` and ``python -m extract.run import``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import dlt
import pyarrow as pa

from .archive import Archive, ArchivedFile, RemoteFile


@dataclass(frozen=True)
class Dataset:
    name: str  # raw table name inside raw_<source>
    parse: Callable[[bytes, str], pa.Table]  # (bytes, file label) -> table
    primary_key: tuple[str, ...]
    merge_key: tuple[str, ...] | None = None  # rows of the same merge key are replaced
    description: str = ""
    columns: dict[str, dict] = field(default_factory=dict)  # dlt column hints
    # the Arrow schema parse() returns: lets the raw table exist (empty) before any load, so
    # dbt builds even when this source was never run (see pipeline.ensure_raw_tables)
    schema: pa.Schema | None = None


@dataclass(frozen=True)
class Identified:
    dataset: str
    name: str  # logical file name in the archive
    period_start: date | None
    period_end: date | None


@dataclass
class RunContext:
    start: date | None
    end: date | None
    today: date
    offline: bool = False
    # source-specific: "areas" (list of area codes from --areas), "archive" (the Archive, so a
    # plan can fetch only what is new), "datasets" (restrict a source to some datasets)
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SourceSpec:
    name: str
    description: str
    datasets: dict[str, Dataset]
    plan: Callable[[RunContext], list[RemoteFile]]
    identify: Callable[[str, bytes], Identified]
    dlt_source: Callable[..., object]  # (files, archive, progress) -> DltSource
    # a quick check of a downloaded body before it is archived as a version (HTML page...)
    validate: Callable[[RemoteFile, bytes], None] | None = None


# when one load holds several versions of the same row (overlapping update windows, --reload),
# the most recently fetched one wins (dlt de-duplicates on the primary key by this column)
LINEAGE_COLUMNS = {
    "_source_file": {"data_type": "text"},
    "_fetched_at": {"data_type": "timestamp", "dedup_sort": "desc"},
}


def with_lineage(table: pa.Table, entry: ArchivedFile) -> pa.Table:
    """Append the archive path of the version and its fetch time to every row."""
    n = table.num_rows
    fetched = datetime.fromisoformat(entry.fetched_at.replace("Z", "+00:00")).astimezone(UTC)
    table = table.append_column("_source_file", pa.array([entry.path] * n, pa.string()))
    return table.append_column(
        "_fetched_at", pa.array([fetched] * n, pa.timestamp("us", tz="UTC"))
    )


def _not_null(table: pa.Table, keys: Sequence[str]) -> pa.Table:
    """Declare key and lineage columns NOT NULL in the Arrow schema, as dlt does for keys."""
    names = set(keys) | set(LINEAGE_COLUMNS)
    fields = [f.with_nullable(False) if f.name in names else f for f in table.schema]
    return table.cast(pa.schema(fields))


def archive_resources(
    spec_name: str,
    datasets: dict[str, Dataset],
    files: Sequence[ArchivedFile],
    archive: Archive,
    progress: Callable[[ArchivedFile, int], None] | None = None,
) -> list:
    """One dlt resource per dataset (parsing its archived files one by one) + the file ledger.

    Files are parsed lazily, one at a time, so memory stays at one file. Any parse error stops
    the extract step, so nothing of this source is loaded and the database keeps its state.
    """
    resources = []
    loaded: list[dict] = []
    for ds in datasets.values():
        ds_files = [f for f in files if f.dataset == ds.name]
        if not ds_files:
            continue

        def rows(ds: Dataset, ds_files: list[ArchivedFile]) -> Iterator[pa.Table]:
            for entry in ds_files:
                table = ds.parse(archive.read(entry), entry.path)
                loaded.append(
                    {
                        "dataset": entry.dataset,
                        "name": entry.name,
                        "path": entry.path,
                        "sha256": entry.sha256,
                        "rows": table.num_rows,
                        "loaded_at": datetime.now(UTC),
                    }
                )
                if progress:
                    progress(entry, table.num_rows)
                if table.num_rows:
                    yield _not_null(with_lineage(table, entry), (*ds.primary_key, *(ds.merge_key or ())))

        resources.append(
            dlt.resource(
                rows(ds, ds_files),
                name=ds.name,
                primary_key=list(ds.primary_key),
                merge_key=list(ds.merge_key) if ds.merge_key else None,
                write_disposition={"disposition": "merge", "strategy": "delete-insert"},
                columns={**ds.columns, **LINEAGE_COLUMNS},
            )
        )

    expected = sum(1 for f in files if f.dataset in datasets)

    def ledger() -> Iterator[list[dict]]:
        # runs after the data resources (EXTRACT__NEXT_ITEM_MODE=fifo evaluates them in order)
        if len(loaded) != expected:
            raise RuntimeError(f"{spec_name}: file ledger evaluated before all files were parsed")
        yield list(loaded)

    if resources:
        resources.append(
            dlt.resource(
                ledger(),
                name="pmd_loaded_files",
                primary_key=["dataset", "name"],
                write_disposition={"disposition": "merge", "strategy": "delete-insert"},
            )
        )
    return resources
