"""Every loaded file version records its data extent, older versions of open files too: the
warehouse can tell when each day first appeared (publication lags, issue: publication calendar)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pyarrow as pa
import pytest
from conftest import FIXTURES

from extract import registry
from extract.core.archive import Archive, ArchivedFile
from extract.core.config import archive_dir, warehouse_path
from extract.core.load import extents
from extract.run import main

HEAD = (FIXTURES / "jepx" / "spot_summary_2024_head.csv").read_bytes()


def test_each_version_of_an_open_file_records_when_its_days_appeared(data_dir):
    lines = HEAD.decode().splitlines(keepends=True)
    archive = Archive(archive_dir(data_dir))
    kw = dict(source="jepx", dataset="spot_summary", name="spot_summary_2024.csv", url="u",
              origin="download", period_start=date(2024, 4, 1), period_end=date(2025, 3, 31))
    first = "".join(lines[:2]).encode()  # one slot of the first day
    archive.store(data=first, fetched_at=datetime(2024, 3, 31, 2, tzinfo=UTC), **kw)
    archive.store(data=HEAD, fetched_at=datetime(2024, 4, 1, 2, tzinfo=UTC), **kw)
    assert main(["jepx", "--offline", "--data-dir", str(data_dir)]) == 0
    con = duckdb.connect(str(warehouse_path(data_dir)), read_only=True)
    rows = con.execute("select fetched_at, first_data, last_data, rows from "
                       "raw_jepx.pmd_file_extents order by fetched_at").fetchall()
    loaded = con.execute("select count(*) from raw_jepx.spot_summary").fetchone()[0]
    con.close()
    assert [r[3] for r in rows] == [1, 3]  # the older version was measured, not loaded
    assert rows[0][0] < rows[1][0]
    assert loaded == 3
    # a second run measures nothing again and loads nothing
    assert main(["jepx", "--offline", "--data-dir", str(data_dir)]) == 0
    con = duckdb.connect(str(warehouse_path(data_dir)), read_only=True)
    assert con.execute("select count(*) from raw_jepx.pmd_file_extents").fetchone()[0] == 2
    con.close()


@pytest.mark.parametrize("name", registry.names())
def test_every_dataset_records_its_data_extent(name):
    for ds in registry.get(name).datasets.values():
        assert ds.data_time, f"{name}.{ds.name}: declare data_time so versions record extents"
        cols = set(ds.schema.names)
        assert {ds.data_time, *ds.extent_by} <= cols, f"{name}.{ds.name}: unknown column"


def _entry(dataset: str) -> ArchivedFile:
    return ArchivedFile(source="s", dataset=dataset, name="f.csv", path="s/d/f@1.csv", url="u",
                        fetched_at="2024-04-02T00:00:00Z", sha256="0", bytes=1, status=200,
                        origin="download", period_start=None, period_end=None)


def test_an_extent_split_by_area_code_records_the_area():
    occto = registry.get("occto").datasets["occtonet_demand_forecast"]
    table = pa.table({"target_date": [date(2024, 4, 1), date(2024, 4, 2), date(2024, 4, 1)],
                      "area_code": ["03", "03", None]})
    rows = {r["part"]: r for r in extents(occto, table, _entry(occto.name))}
    assert rows["03"]["area_code"] == "03" and rows["03"]["rows"] == 2
    assert str(rows["03"]["last_data"]) == "2024-04-02 00:00:00"
    assert rows["None"]["area_code"] == ""  # the 9/10-area totals: no area
    lines = registry.get("occto").datasets["kohyo_interconnectors"]
    t = pa.table({"target_date": [date(2024, 4, 1)], "line_name": ["北海道本州間"]})
    (row,) = extents(lines, t, _entry(lines.name))
    assert (row["part"], row["area_code"]) == ("北海道本州間", "")
