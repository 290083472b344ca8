"""Issue 8 item 7 / issue 11: ``import`` parses each file once — the tables ``identify``
parsed are what the load stages (no second parse from the archive)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date

import duckdb
import pyarrow as pa
import pytest

from extract import registry
from extract.core import pipeline
from extract.core.archive import Archive, logical_name
from extract.core.config import DEMO_ARCHIVE, warehouse_path
from extract.core.errors import ParseError
from extract.core.pipeline import import_files
from extract.core.source import Dataset, Identified, Source

SCHEMA = pa.schema([("day", pa.date32()), ("value_mw", pa.float64())])


def counting_source(calls: Counter) -> Source:
    """A registered-shape source whose one parse counts its calls per file."""

    def parse(data: bytes, label: str) -> pa.Table:
        calls[logical_name(label)] += 1
        lines = data.decode().splitlines()
        if lines[0] != "day,value_mw":
            raise ParseError("parsecount", label, "bad header", line=1)
        rows = [line.split(",") for line in lines[1:]]
        return pa.table({"day": [date.fromisoformat(r[0]) for r in rows],
                         "value_mw": [float(r[1]) for r in rows]}, schema=SCHEMA)

    def identify(name: str, data: bytes) -> Identified:
        table = parse(data, name)
        days = table.column("day").to_pylist()
        return Identified("values", name, min(days), max(days), tables=table)

    ds = Dataset(name="values", parse=parse, primary_key=("day",), schema=SCHEMA)
    return Source(name="parsecount", description="counts parse calls", datasets={"values": ds},
                  plan=lambda ctx: [], identify=identify)


def _write(tmp_path, n: int):
    paths = []
    for i in range(n):
        p = tmp_path / f"values_{i}.csv"
        p.write_text("day,value_mw\n" + "".join(f"2024-0{i + 1}-{d:02d},{d}.5\n"
                                                for d in range(1, 11)))
        paths.append(p)
    return paths


def test_each_imported_file_is_parsed_exactly_once(tmp_path, data_dir):
    calls: Counter = Counter()
    paths = _write(tmp_path, 3)
    result = import_files(counting_source(calls), paths, data_dir)
    assert result.ok, result.errors
    assert result.imported == 3 and result.files_loaded == 3 and result.rows_loaded == 30
    assert calls == Counter({p.name: 1 for p in paths})
    con = duckdb.connect(str(warehouse_path(data_dir)), read_only=True)
    try:
        assert con.execute("select count(*), sum(value_mw) from raw_parsecount.\"values\"") \
            .fetchone() == (30, 180.0)
    finally:
        con.close()


def test_over_the_memory_budget_a_file_is_parsed_again_and_still_loads(tmp_path, data_dir,
                                                                     monkeypatch):
    monkeypatch.setattr(pipeline, "IMPORT_KEEP_BYTES", 0)
    calls: Counter = Counter()
    paths = _write(tmp_path, 2)
    result = import_files(counting_source(calls), paths, data_dir)
    assert result.ok and result.rows_loaded == 20
    assert calls == Counter({p.name: 2 for p in paths})


def _counting_copy(source: Source, loads: Counter) -> Source:
    """``source`` with every dataset's parse counting the load's parse calls."""

    def wrap(ds: Dataset) -> Dataset:
        def parse(data, label, _inner=ds.parse):
            loads[logical_name(label)] += 1
            return _inner(data, label)
        return dataclasses.replace(ds, parse=parse)

    return dataclasses.replace(source, datasets={k: wrap(v) for k, v in source.datasets.items()})


@pytest.mark.parametrize("name", ["jepx", "tso", "jma"])
def test_real_sources_load_what_identify_parsed(name, tmp_path, data_dir):
    """The demo's JEPX/TSO/JMA files imported: identify parses each once and the load does
    not parse any again; the rows are those of a plain parse."""
    demo = Archive(DEMO_ARCHIVE)
    source = registry.get(name)
    entries = {(e.dataset, e.name): e for e in demo.entries(name) if e.origin != "rejected"}
    paths, expected = [], 0
    for (dataset, fname), e in sorted(entries.items()):
        latest = demo.latest(name, dataset, fname)
        if latest.path != e.path:
            continue
        p = tmp_path / fname
        p.write_bytes(demo.read(latest))
        paths.append(p)
        expected += sum(t.num_rows for t in
                        source.datasets[dataset].parse_tables(p.read_bytes(), p.name).values())
    loads: Counter = Counter()
    result = import_files(_counting_copy(source, loads), paths, data_dir)
    assert result.ok, result.errors
    assert result.files_loaded == len(paths) and result.rows_loaded == expected
    assert sum(loads.values()) == 0, f"parsed again in the load: {dict(loads)}"
