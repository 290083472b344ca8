"""The contract every registered source keeps (one suite, parametrised over the registry).

A new package under ``extract/sources/`` gets these tests by being registered: its plan runs
on a shared fake client, every demo file parses to the declared schema with a unique primary
key, ``identify`` recognises its own demo files and rejects the other sources', and a broken
copy of a demo file is a ``ParseError`` naming the file and the line.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from extract import registry
from extract.core.archive import Archive, ArchivedFile, RemoteFile
from extract.core.config import DEMO_ARCHIVE, resolve_options
from extract.core.errors import ExtractError, FetchError, ParseError
from extract.core.http import HttpClient
from extract.core.load import _conform
from extract.core.source import RunContext, Source

SOURCES = registry.names()
TODAY = date(2024, 4, 14)


def demo_entries(name: str) -> list[ArchivedFile]:
    manifest = DEMO_ARCHIVE / name / "manifest.jsonl"
    if not manifest.exists():
        return []
    return [ArchivedFile(**json.loads(line)) for line in manifest.read_text().splitlines() if line]


DEMO = Archive(DEMO_ARCHIVE)


class NoNetwork(HttpClient):
    """The shared fake client: every request is answered 404 (nothing published)."""

    def __init__(self):
        super().__init__(sleep=lambda s: None, per_host_delay=0.0)
        self.urls: list[str] = []

    def fetch(self, source, url, **kwargs):
        self.urls.append(url)
        raise FetchError(source, url, "HTTP 404 Not Found (contract test)", status=404)


@pytest.fixture(params=SOURCES)
def source(request) -> Source:
    return registry.get(request.param)


def test_registry_finds_every_source_package():
    pkgs = {p.name for p in (Path(registry.__file__).parent / "sources").iterdir()
            if p.is_dir() and (p / "__init__.py").exists()}
    assert set(SOURCES) == pkgs


def test_declares_datasets_tables_and_options(source: Source):
    assert source.datasets and source.description
    names = [t.name for t in source.tables()]
    assert len(names) == len(set(names)), "a raw table is fed by two datasets"
    for table in source.tables():
        assert table.primary_key and set(table.primary_key) <= set(table.schema.names)
        assert not {"_source_file", "_fetched_at"} & set(table.schema.names)
    opts = resolve_options(source.name, source.options, {}, environ={})  # defaults suffice
    assert dataclasses.is_dataclass(opts)


@pytest.mark.parametrize("start", [None, TODAY - timedelta(days=40)])
def test_plan_runs_on_the_shared_fake_client(source: Source, start, tmp_path):
    ctx = RunContext(start=start, end=None, today=TODAY, options=source.options(),
                     archive=Archive(tmp_path), http=NoNetwork().for_source(source.name))
    files = source.plan(ctx)
    assert isinstance(files, list)
    for rf in files:
        assert isinstance(rf, RemoteFile)
        assert rf.source == source.name and rf.dataset in source.datasets
        assert rf.url.startswith("https://") or rf.url.startswith("http://")
        assert rf.period_start <= rf.period_end
    assert len({(rf.dataset, rf.name) for rf in files}) == len(files), "a file planned twice"


def _demo_params():
    return [pytest.param(name, e, id=f"{name}:{e.name}") for name in SOURCES
            for e in demo_entries(name)]


def test_every_source_ships_demo_files():
    for name in SOURCES:
        assert demo_entries(name), f"{name}: no demo files (scripts/demo_sources/)"


@pytest.mark.parametrize(("name", "entry"), _demo_params())
def test_demo_file_parses_to_the_declared_schema_with_a_unique_key(name, entry):
    source = registry.get(name)
    ds = source.datasets[entry.dataset]
    tables = ds.parse_tables(DEMO.read(entry), entry.path)
    assert tables and set(tables) <= {t.name for t in ds.tables}
    specs = {t.name: t for t in ds.tables}
    assert sum(t.num_rows for t in tables.values()) > 0
    for tname, table in tables.items():
        spec = specs[tname]
        conformed = _conform(table, spec, entry.path, name)
        assert conformed.schema.names == spec.schema.names
        keys = list(spec.primary_key)
        for k in keys:
            assert conformed.column(k).null_count == 0, f"{tname}.{k} has NULLs"
        grouped = conformed.group_by(keys).aggregate([([], "count_all")])
        dupes = grouped.filter(pc.greater(grouped["count_all"], 1))
        assert dupes.num_rows == 0, f"{tname}: duplicate keys {dupes.slice(0, 3).to_pylist()}"


@pytest.mark.parametrize(("name", "entry"), _demo_params())
def test_identify_recognises_its_own_demo_file(name, entry):
    got = registry.get(name).identify(entry.name, DEMO.read(entry))
    assert got.dataset == entry.dataset


@pytest.mark.parametrize(("name", "entry"), _demo_params())
def test_identify_hands_the_load_the_same_tables_it_would_parse(name, entry):
    """``import`` loads the tables identify parsed (one parse per file): they must be exactly
    what the dataset's parse gives for the archived version."""
    source = registry.get(name)
    data = DEMO.read(entry)
    got = source.identify(entry.name, data)
    assert got.tables is not None, f"{name}.identify parsed {entry.name} but did not return it"
    ds = source.datasets[got.dataset]
    mine = ds.as_tables(got.tables)
    loads = ds.parse_tables(data, entry.path)
    assert set(mine) == set(loads)
    for tname, table in loads.items():
        assert mine[tname].equals(table, check_metadata=False), tname


@pytest.mark.parametrize("name", SOURCES)
def test_identify_rejects_the_other_sources_files(name):
    source = registry.get(name)
    others = [(o, e) for o in SOURCES if o != name for e in demo_entries(o)[:3]]
    for other, entry in others:
        with pytest.raises(ExtractError):
            source.identify(entry.name, DEMO.read(entry))
            pytest.fail(f"{name}.identify accepted {other}'s {entry.name}")


def _text_entries():
    out = []
    for name in SOURCES:
        seen = set()
        for e in demo_entries(name):
            data = DEMO.read(e)
            if e.dataset in seen or data[:2] == b"PK":
                continue
            seen.add(e.dataset)
            out.append(pytest.param(name, e, id=f"{name}:{e.dataset}"))
    return out


@pytest.mark.parametrize(("name", "entry"), _text_entries())
def test_a_broken_copy_is_a_parse_error_naming_file_and_line(name, entry):
    """A garbage row in the middle of the data: an error with the file and the line, never a
    silently loaded row or a traceback."""
    ds = registry.get(name).datasets[entry.dataset]
    data = DEMO.read(entry)
    lines = data.split(b"\n")
    middle = len(lines) // 2
    broken = b"\n".join([*lines[:middle], "壊れた行,#?,@@,!!".encode("cp932"), *lines[middle:]])
    with pytest.raises(ParseError) as exc:
        ds.parse_tables(broken, entry.path)
    err = exc.value
    assert err.source == name and entry.path in str(err)
    assert err.line is not None, str(err)


def test_table_schemas_are_arrow_schemas(source: Source):
    for table in source.tables():
        assert isinstance(table.schema, pa.Schema)
