"""Issue 9.3: truncation on a boundary is never silent — a closed period's file must have its
whole extent, a line cut before its newline is an error (JEPX, TSO common format: every real
sample ends with a newline), and a month shrinking in the warehouse is refused."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from extract.core.archive import Archive
from extract.core.config import DEMO_ARCHIVE, archive_dir, warehouse_path
from extract.core.errors import ParseError
from extract.run import main
from extract.sources.jepx.spot import parse_spot_summary

from .faultkit import jepx_summary_csv

pytestmark = pytest.mark.faults

DEMO = Archive(DEMO_ARCHIVE)
TSO_APRIL_03 = DEMO.read(DEMO.latest("tso", "area_supply_demand", "eria_jukyu_202404_03.csv"))


def _store(data, source, dataset, name, body, start, end, immutable=None):
    entry, _ = Archive(archive_dir(data)).store(
        source=source, dataset=dataset, name=name, data=body, url="https://example.invalid/",
        origin="download", period_start=start, period_end=end, immutable=immutable)
    return entry


def _rows(data, sql):
    con = duckdb.connect(str(warehouse_path(data)), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_jepx_line_cut_inside_its_last_number_is_an_error_not_a_wrong_value(data_dir, capsys):
    good = jepx_summary_csv(date(2024, 4, 1), date(2024, 4, 2), value="2452500")
    assert good.endswith(b",2452500\n")
    cut = good[:-4]  # the last line now ends ",2452": every field is there, the value is wrong
    with pytest.raises(ParseError) as err:
        parse_spot_summary(cut, "spot_summary_2024.csv")
    assert err.value.line == 97  # header + 96 slots
    assert "truncated: its last line does not end with a newline (it ends" in str(err.value)
    entry = _store(data_dir, "jepx", "spot_summary", "spot_summary_2024.csv", cut,
                   date(2024, 4, 1), date(2025, 3, 31), immutable=False)
    assert main(["jepx", "--offline", "--data-dir", str(data_dir), "-q"]) == 1
    out = capsys.readouterr().out
    assert f"error: [jepx] {entry.path}, line 97: the file is truncated" in out
    assert _rows(data_dir, "select count(*) from raw_jepx.spot_summary") == [(0,)]


def test_a_closed_month_with_fewer_rows_than_its_days_is_an_error(data_dir, capsys):
    entry = _store(data_dir, "tso", "area_supply_demand", "eria_jukyu_202404_03.csv",
                   TSO_APRIL_03, date(2024, 4, 1), date(2024, 4, 30), immutable=True)
    assert main(["tso", "--offline", "--data-dir", str(data_dir), "-q"]) == 1
    out = capsys.readouterr().out
    assert (f"error: [tso] {entry.path}: 648 rows, but the closed period 2024-04-01..2024-04-30 "
            "needs 1440: the file is truncated") in out
    assert "--refetch --start 2024-04-01 --end 2024-04-30" in out


def test_a_closed_jepx_year_needs_every_day_from_the_first_delivery_day(data_dir, capsys):
    fy2005 = jepx_summary_csv(date(2005, 4, 2), date(2006, 3, 31))  # FY2005 starts on 04-02
    _store(data_dir, "jepx", "spot_summary", "spot_summary_2005.csv", fy2005,
           date(2005, 4, 1), date(2006, 3, 31), immutable=True)
    short = jepx_summary_csv(date(2006, 4, 1), date(2007, 3, 30))  # one day missing
    entry = _store(data_dir, "jepx", "spot_summary", "spot_summary_2006.csv", short,
                   date(2006, 4, 1), date(2007, 3, 31), immutable=True)
    assert main(["jepx", "--offline", "--data-dir", str(data_dir), "-q"]) == 1
    out = capsys.readouterr().out
    assert f"{entry.path}: 17472 rows, but the closed period 2006-04-01..2007-03-31 needs 17520" \
        in out
    assert "FAILED (1)" in out and "1             17,472" in out  # FY2005 loaded


def test_a_month_shrinking_in_the_warehouse_is_refused_unless_allowed(data_dir, capsys):
    _store(data_dir, "tso", "area_supply_demand", "eria_jukyu_202404_03.csv", TSO_APRIL_03,
           date(2024, 4, 1), date(2024, 4, 30), immutable=False)
    assert main(["tso", "--offline", "--data-dir", str(data_dir), "-q"]) == 0
    where = "from raw_tso.area_supply_demand where area_code = '03'"
    before = _rows(data_dir, f"select count(*), sum(demand_mw), max(_source_file) {where}")
    assert before[0][0] == 648
    lines = TSO_APRIL_03.split(b"\n")
    cut = b"\n".join(lines[:300]) + b"\n"  # cut at a line end: 2 header lines + 298 rows
    entry = _store(data_dir, "tso", "area_supply_demand", "eria_jukyu_202404_03.csv", cut,
                   date(2024, 4, 1), date(2024, 4, 30), immutable=False)
    assert main(["tso", "--offline", "--data-dir", str(data_dir), "-q"]) == 1
    out = capsys.readouterr().out
    assert (f"error: [tso] {entry.path}: refused, the file would shrink the area_supply_demand "
            "rows of area_code=03, year_month=2024-04: 648 in the warehouse, 298 in") in out
    assert _rows(data_dir, f"select count(*), sum(demand_mw), max(_source_file) {where}") \
        == before
    assert main(["tso", "--offline", "--data-dir", str(data_dir), "-q"]) == 1  # still refused
    capsys.readouterr()
    assert main(["tso", "--offline", "--allow-shrink", "--data-dir", str(data_dir), "-q"]) == 0
    assert _rows(data_dir, f"select count(*), max(_source_file) {where}") == [(298, entry.path)]
