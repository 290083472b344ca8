"""Every loaded file version records its data extent, older versions of open files too: the
warehouse can tell when each day first appeared (publication lags, issue: publication calendar)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
from conftest import FIXTURES

from extract.core.archive import Archive
from extract.core.config import archive_dir, warehouse_path
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
