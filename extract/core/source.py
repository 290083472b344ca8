"""What a source provides to the platform.

A source is a package ``extract/sources/<name>/`` whose ``__init__`` exposes ``SOURCE``, a
:class:`Source`:

* ``datasets``: one :class:`Dataset` per kind of published file: how to parse one archived file
  (columns by header name) into one Arrow table — or several, one per :class:`Table` it feeds —,
  each table's grain (primary key), and how new versions replace old ones (``mode``);
* ``plan(ctx)``: the :class:`~extract.core.archive.RemoteFile` list for a date range; a remote
  file may carry its own multi-step ``fetch`` routine (login → token → download);
* ``identify(name, data)``: which dataset and period a hand-downloaded file belongs to;
* ``options``: a frozen dataclass of typed options with defaults; fields declared with
  :func:`cli_option` become command-line flags (``--areas``) and every field can be set through
  the environment as ``SOURCES__<NAME>__<FIELD>`` (dlt's naming);
* ``hosts``: per-host politeness and TLS (:class:`~extract.core.http.HostPolicy`).

Dropping such a package into ``extract/sources/`` registers it: the CLI, the importer and the
contract tests find it there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import pyarrow as pa

from .archive import Archive, ArchivedFile, RemoteFile
from .http import HostPolicy, SourceHttp

Mode = Literal["latest", "history"]


@dataclass(frozen=True)
class Table:
    """One raw table ``raw_<source>.<name>``: its Arrow schema, grain and write mode.

    * ``latest``: a newer file version replaces the rows of the same ``merge_key`` (default:
      the primary key) — the table holds today's published values.
    * ``history``: every file version's rows are kept, told apart by ``_fetched_at`` /
      ``_source_file``; the same version loaded twice is still one copy. Use it where the
      publisher revises values, so that "what was known at time T" can be asked.
    """

    name: str
    primary_key: tuple[str, ...]
    schema: pa.Schema
    merge_key: tuple[str, ...] | None = None
    mode: Mode = "latest"
    description: str = ""

    def __post_init__(self):
        names = set(self.schema.names)
        missing = [c for c in (*self.primary_key, *(self.merge_key or ())) if c not in names]
        if missing:
            raise ValueError(f"table {self.name}: key column(s) {missing} not in its schema")
        if self.mode not in ("latest", "history"):
            raise ValueError(f"table {self.name}: unknown mode {self.mode!r}")


@dataclass(frozen=True)
class Dataset:
    """A kind of published file. ``parse(bytes, label)`` returns the table of this dataset, or a
    mapping {table name: Arrow table} when one file feeds several tables (``extra_tables``)."""

    name: str
    parse: Callable[[bytes, str], pa.Table | Mapping[str, pa.Table]]
    primary_key: tuple[str, ...]
    schema: pa.Schema
    merge_key: tuple[str, ...] | None = None
    mode: Mode = "latest"
    description: str = ""
    extra_tables: tuple[Table, ...] = ()
    # the column holding the data's own date/time, and the columns that split a file into parts
    # (area, station): every loaded version records its extent per part, so the warehouse can
    # tell when each day first appeared (publication lags); a part named ``area_code`` also
    # gives the extent its area (dq_publication_lag's grain; other parts count for every area)
    data_time: str | None = None
    extent_by: tuple[str, ...] = ()
    # False when the extent is no measure of freshness — forecasts for days ahead, snapshots of
    # event updates: ``status``/``due`` then treat the dataset as fetched on every run
    extent_is_freshness: bool = True
    # rows a complete file of a CLOSED period must have (e.g. days × 48), from the archived
    # version's period; None when unknown. Fewer rows in a version fetched after its period
    # closed (``ArchivedFile.immutable``) is a ParseError: the file is truncated.
    closed_rows: Callable[[ArchivedFile], int | None] | None = None

    @property
    def tables(self) -> tuple[Table, ...]:
        main = Table(self.name, self.primary_key, self.schema, self.merge_key, self.mode,
                     self.description)
        return (main, *self.extra_tables)

    def parse_tables(self, data: bytes, label: str) -> dict[str, pa.Table]:
        return self.as_tables(self.parse(data, label))

    def as_tables(self, out: pa.Table | Mapping[str, pa.Table]) -> dict[str, pa.Table]:
        """What ``parse`` returned, as {table name: Arrow table}."""
        if isinstance(out, pa.Table):
            return {self.name: out}
        return dict(out)


@dataclass(frozen=True)
class Identified:
    """What ``identify`` found. ``tables`` is the dataset's own parse of the file when identify
    ran it (what ``Dataset.parse`` returns for these bytes): the importer loads it instead of
    parsing the file a second time. Leave it None when identify parsed only part of the file or
    in another way than the dataset's parse."""

    dataset: str
    name: str  # logical file name in the archive
    period_start: date | None
    period_end: date | None
    tables: pa.Table | Mapping[str, pa.Table] | None = field(default=None, compare=False,
                                                             repr=False)


@dataclass(frozen=True)
class NoOptions:
    """A source without options."""


@dataclass
class RunContext:
    """What a plan sees: the date range, the source's options, the archive and the network."""

    start: date | None
    end: date | None
    today: date
    offline: bool = False
    options: Any = field(default_factory=NoOptions)  # the source's options dataclass
    archive: Archive | None = None  # what is archived already (to fetch only what is new)
    http: SourceHttp | None = None  # to read a publisher's file list; None when offline
    datasets: tuple[str, ...] | None = None  # restrict to these datasets (None: all)

    def wants(self, dataset: str) -> bool:
        return self.datasets is None or dataset in self.datasets


@dataclass(frozen=True)
class Source:
    name: str
    description: str
    datasets: Mapping[str, Dataset]
    plan: Callable[[RunContext], list[RemoteFile]]
    identify: Callable[[str, bytes], Identified]
    # a quick check of a downloaded body before it is archived as a version (HTML page...)
    validate: Callable[[RemoteFile, bytes], None] | None = None
    options: type = NoOptions
    hosts: Mapping[str, HostPolicy] = field(default_factory=dict)

    def tables(self) -> list[Table]:
        return [t for ds in self.datasets.values() for t in ds.tables]

    def dataset_of_table(self, table: str) -> Dataset:
        for ds in self.datasets.values():
            if any(t.name == table for t in ds.tables):
                return ds
        raise KeyError(table)


# -- options ------------------------------------------------------------------------------------
def cli_option(default: Any, flag: str, help: str, *, parse: Callable[[str], Any] | None = None,
               metavar: str | None = None) -> Any:
    """A dataclass field that is also a command-line flag (shared by every source declaring it).

    ``parse`` turns the flag's text into the field's value and raises ``ValueError`` with a
    message for a bad value (the CLI then exits 2).
    """
    return field(default=default, metadata={"cli": flag, "help": help, "parse": parse,
                                            "metavar": metavar})


def option_fields(options_type: type) -> list[dataclasses.Field]:
    return list(dataclasses.fields(options_type))


# lineage columns every raw table carries (the archived version a row came from)
LINEAGE_FIELDS = (
    pa.field("_source_file", pa.string(), nullable=False),
    pa.field("_fetched_at", pa.timestamp("us", tz="UTC"), nullable=False),
)


def raw_schema(table: Table) -> pa.Schema:
    """The schema of ``raw_<source>.<table>``: the table's columns + lineage."""
    return pa.schema([*table.schema, *LINEAGE_FIELDS])
