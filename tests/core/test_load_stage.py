"""The loader's per-file staging (extract/core/load.py): rows unique per file on the key."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pyarrow as pa

from extract.core.load import unique_rows


def test_unique_rows_keeps_the_first_row_of_each_key_in_file_order():
    table = pa.table({"a": [1, 2, 1, None, None, 3], "b": ["x", "y", "x", None, None, "z"],
                      "v": [1, 2, 3, 4, 5, 6]})
    assert unique_rows(table, ("a", "b")).to_pydict() == {
        "a": [1, 2, None, 3], "b": ["x", "y", None, "z"], "v": [1, 2, 4, 6]}
    unique = pa.table({"a": [3, 1, 2], "v": [1, 2, 3]})
    assert unique_rows(unique, ("a",)) is unique


def _values_source():
    from extract.core.source import Dataset, Source

    schema = pa.schema([("day", pa.date32()), ("value_mw", pa.float64())])

    def parse(data: bytes, label: str) -> pa.Table:
        rows = [line.split(",") for line in data.decode().splitlines()[1:]]
        return pa.table({"day": [date.fromisoformat(r[0]) for r in rows],
                         "value_mw": [float(r[1]) for r in rows]}, schema=schema)

    ds = Dataset(name="values", parse=parse, primary_key=("day",), schema=schema)
    return Source(name="stagecheck", description="two versions of one file",
                  datasets={"values": ds}, plan=lambda ctx: [], identify=lambda name, data: None)


def test_parquet_stage_applies_the_newest_version_and_leaves_no_stage(data_dir):
    """Two versions of one file staged in one run: the newer one's rows win (the dedup of keys
    staged by several files), a duplicate key within a file keeps its first row; afterwards no
    staged Parquet file and no stage table (one left by the older loader is dropped) remain."""
    from extract.core.archive import Archive
    from extract.core.config import archive_dir, warehouse_path
    from extract.core.load import STAGE_PREFIX, connect, ensure_raw_tables, load_files, stage_dir

    source = _values_source()
    archive = Archive(archive_dir(data_dir))
    bodies = ["day,value_mw\n2024-01-01,1\n2024-01-02,2\n",
              "day,value_mw\n2024-01-02,20\n2024-01-03,30\n2024-01-03,31\n"]
    for i, body in enumerate(bodies):
        archive.store(source="stagecheck", dataset="values", name="values.csv",
                      data=body.encode(), url="http://127.0.0.1/values.csv", origin="import",
                      period_start=date(2024, 1, 1), period_end=date(2024, 1, 3),
                      fetched_at=datetime(2024, 1, 4 + i, tzinfo=UTC))
    ensure_raw_tables(data_dir, [source])
    con = connect(data_dir)
    con.execute(f'create table raw_stagecheck."{STAGE_PREFIX}values" (day date)')
    con.close()
    report = load_files(source, archive.entries("stagecheck"), archive, data_dir)
    assert not report.errors and report.files_loaded == 2
    con = duckdb.connect(str(warehouse_path(data_dir)), read_only=True)
    try:
        rows = con.execute("select day, value_mw from raw_stagecheck.values order by day")
        assert rows.fetchall() == [(date(2024, 1, 1), 1.0), (date(2024, 1, 2), 20.0),
                                   (date(2024, 1, 3), 30.0)]
        assert not con.execute("select table_name from information_schema.tables where "
                               "table_name like '%stage%'").fetchall()
    finally:
        con.close()
    assert not stage_dir("stagecheck", data_dir).exists()
