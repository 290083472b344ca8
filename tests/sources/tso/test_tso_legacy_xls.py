"""Issue 10 item 5: Hokkaido's FY2018 Q2 legacy quarter, published only as an Excel 97–2003
``.xls``, is read by the same name-based legacy parser (xlrd reads the workbook), imported and
replayed offline; a broken or foreign binary file is still refused with a message that says what
it is and where."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import pyarrow.compute as pc
import pytest
import xlrd
from conftest import sample

from extract.core.config import warehouse_path
from extract.core.errors import ParseError
from extract.run import main
from extract.sources.tso import identify, legacy
from extract.sources.tso.legacy import LEGACY_SCHEMA, parse_legacy

pytestmark = pytest.mark.samples

XLS = "sup_dem_results_2018_2q.xls"
SHEET = "sup_dem_results_2018_2q"


@pytest.fixture(scope="module")
def data() -> bytes:
    return sample("tso", XLS).read_bytes()


@pytest.fixture(scope="module")
def table(data):
    return parse_legacy(data, XLS)


@pytest.fixture(scope="module")
def sheet(data):
    return xlrd.open_workbook(file_contents=data).sheet_by_index(0)


def test_the_whole_quarter_is_read_hour_by_hour(table):
    assert table.schema == LEGACY_SCHEMA
    assert table.num_rows == 92 * 24  # 2018-07-01 … 2018-09-30, one row per hour
    assert set(table.column("area_code").to_pylist()) == {"01"}
    assert set(table.column("source_unit").to_pylist()) == {"MWh"}
    first, last = table.slice(0, 1).to_pylist()[0], table.slice(table.num_rows - 1).to_pylist()[0]
    assert (first["slot_date"], first["time_minutes"], first["time_label"]) == \
        (date(2018, 7, 1), 0, "0時")
    assert (last["slot_date"], last["time_minutes"], last["time_label"]) == \
        (date(2018, 9, 30), 1380, "23時")
    keys = table.group_by(["slot_date", "time_minutes"]).aggregate([([], "count_all")])
    assert keys.num_rows == table.num_rows  # the CSV legacy grain: area × date × hour


def test_cells_match_what_xlrd_shows(table, sheet):
    """Header names (row 3) pick the columns, not positions; values are the cells as stored."""
    assert sheet.row_values(2)[:3] == ["月日", "時刻", "エリア需要"]
    assert sheet.cell_type(4, 0) == xlrd.XL_CELL_DATE
    assert xlrd.xldate.xldate_as_datetime(sheet.cell_value(4, 0), 0) == datetime(2018, 7, 1)
    by_key = {(r["slot_date"], r["time_minutes"]): r for r in table.to_pylist()}
    columns = {"demand_mw": 2, "nuclear_mw": 3, "thermal_mw": 4, "hydro_mw": 5,
               "geothermal_mw": 6, "biomass_mw": 7, "solar_mw": 8, "solar_curtailment_mw": 9,
               "wind_mw": 10, "wind_curtailment_mw": 11, "pumped_storage_mw": 12,
               "interconnection_mw": 13, "total_mw": 14}
    # sheet rows 5 (2018-07-01 0時), 1000, the blackout hour 2018-09-06 4時, the last row
    blackout = 4 + (date(2018, 9, 6) - date(2018, 7, 1)).days * 24 + 4
    for r in (4, 999, blackout, sheet.nrows - 1):
        day = date(2018, 7, 1) + timedelta(days=(r - 4) // 24)  # 24 rows a day from row 5
        hour_label = sheet.cell_value(r, 1)
        row = by_key[(day, int(hour_label.rstrip("時")) * 60)]
        assert row["time_label"] == hour_label
        for name, col in columns.items():
            assert row[name] == sheet.cell_value(r, col), (r, name)
        assert row["other_mw"] is None  # Hokkaido publishes no その他 column
    assert by_key[(date(2018, 9, 6), 240)]["demand_mw"] == 0  # the real blackout zero


def test_same_rows_as_the_csv_copy_of_the_same_days(table):
    csv = parse_legacy(sample("tso", "sup_dem_results_2018_2q.excerpt_0905-0906.csv").read_bytes(),
                       "sup_dem_results_2018_2q.csv")
    days = table.filter(pc.is_in(table.column("slot_date"), csv.column("slot_date").unique()))
    assert days.num_rows == 48
    assert days.equals(csv)


def test_identify_files_it_as_the_legacy_quarter(data):
    got = identify(XLS, data)
    assert (got.dataset, got.name, got.period_start, got.period_end) == \
        ("area_supply_demand_legacy", XLS, date(2018, 7, 1), date(2018, 9, 30))


def test_import_and_offline_replay_load_it(tmp_path, data_dir, data, capsys):
    path = tmp_path / XLS
    path.write_bytes(data)
    assert main(["import", "tso", str(path), "--data-dir", str(data_dir), "-q"]) == 0
    sql = ("select count(*), min(slot_date), max(slot_date), sum(demand_mw) from "
           "raw_tso.area_supply_demand_legacy where area_code = '01'")

    def rows():
        con = duckdb.connect(str(warehouse_path(data_dir)), read_only=True)
        try:
            return con.execute(sql).fetchone()
        finally:
            con.close()

    imported = rows()
    assert imported[:3] == (2208, date(2018, 7, 1), date(2018, 9, 30))
    warehouse_path(data_dir).unlink()  # the archive alone rebuilds the warehouse
    assert main(["tso", "--offline", "--data-dir", str(data_dir), "-q"]) == 0
    assert rows() == imported


def test_a_bad_cell_names_file_sheet_row_and_column(data, monkeypatch):
    read = legacy._rows_from_xls

    def with_bad_cell(raw, file):
        rows, name = read(raw, file)
        number, cells = rows[9]
        rows[9] = (number, [*cells[:2], "12a", *cells[3:]])  # sheet row 10, column C
        return rows, name

    monkeypatch.setattr(legacy, "_rows_from_xls", with_bad_cell)
    with pytest.raises(ParseError) as exc:
        parse_legacy(data, XLS)
    assert str(exc.value) == (f"[tso] {XLS}, sheet {SHEET!r}, row 10, column 'C': demand_mw: "
                              "cannot read '12a' as a number")


def test_a_cut_workbook_is_a_clear_error(data, capsys):
    with pytest.raises(ParseError, match=r"sup_dem_results_2018_2q\.xls: not a readable Excel "
                                         r"97–2003 \(\.xls\) workbook .*truncated download\?"):
        parse_legacy(data[:200_000], XLS)
    assert capsys.readouterr().out == ""  # xlrd's own warnings do not reach the terminal


def test_other_binary_files_stay_refused_with_what_they_are():
    with pytest.raises(ParseError, match="this is a PDF document, not a CSV/text file"):
        parse_legacy(b"%PDF-1.4\n" + b"x" * 100, "sup_dem_results_2018_3q.csv")
    with pytest.raises(ParseError, match="this is a gzip file, not a CSV/text file"):
        parse_legacy(b"\x1f\x8b\x08" + b"\0" * 100, "sup_dem_results_2018_3q.csv")
