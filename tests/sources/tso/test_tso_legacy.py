"""TSO legacy hourly files (FY2016→FY2023): every real layout parses by name, in MW."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pyarrow as pa
import pytest
from conftest import FIXTURES, sample

from extract.core.errors import ParseError
from extract.core.source import RunContext
from extract.sources.tso import legacy
from extract.sources.tso.legacy import (
    LEGACY_SCHEMA,
    VALUE_COLUMNS,
    identify_legacy,
    legacy_plan,
    parse_legacy,
)
from extract.sources.tso.settings import TsoOptions

GENERATION = [c for c in VALUE_COLUMNS
              if c not in ("demand_mw", "total_mw") and "curtailment" not in c]

# name, area, rows, first (date, label), first demand MW, last (date, minutes), unit
REAL = [
    ("sup_dem_results_2016_1q.csv", "01", 48, (date(2016, 4, 1), "0時"), 3166, (date(2016, 4, 2), 1380), "MWh"),
    ("sup_dem_results_2018_2q.excerpt_0905-0906.csv", "01", 48, (date(2018, 9, 5), "0時"), 2741,
     (date(2018, 9, 6), 1380), "MWh"),
    ("juyo_2016_tohoku_1Q.csv", "02", 48, (date(2016, 4, 1), "0:00"), 7887, (date(2016, 4, 2), 1380), "MWh"),
    ("2016_areabalance_current_term.excerpt.csv", "04", 48, (date(2016, 4, 1), "00:00"), 12372,
     (date(2016, 4, 2), 1380), "MWh"),
    ("area_jisseki_rikuden201610_12.excerpt.csv", "05", 48, (date(2016, 10, 1), "0:00"), 2630,
     (date(2016, 10, 2), 1380), "MWh"),
    ("area_jisseki_rikuden201810.excerpt.csv", "05", 48, (date(2018, 10, 1), "0:00"), 2296,
     (date(2018, 10, 2), 1380), "MWh"),
    ("area_jyukyu_jisseki_2016.csv", "06", 48, (date(2016, 4, 1), "0:00"), 12918, (date(2016, 4, 2), 1380), "MWh"),
    ("area_jyukyu_jisseki_2021.excerpt_20220201-0202.csv", "06", 48, (date(2022, 2, 1), "0:00"), 17041,
     (date(2022, 2, 2), 1380), "MWh"),
    ("kako-2016.excerpt.csv", "07", 48, (date(2016, 4, 1), "0:00"), 5814, (date(2016, 4, 2), 1380), "MWh"),
    ("jukyu2016.excerpt.xlsx", "08", 48, (date(2016, 4, 1), "0:00"), 2550, (date(2016, 4, 2), 1380), "万kW"),
    ("area_jyukyu_jisseki_2019_1Q.excerpt.csv", "09", 48, (date(2019, 4, 1), "0:00"), 7650,
     (date(2019, 4, 2), 1380), "MWh"),
    ("area_jyukyu_jisseki_H30_4Q.excerpt_0312-0313.csv", "09", 48, (date(2019, 3, 12), "0:00"), 8272,
     (date(2019, 3, 13), 1380), "MWh"),
]


def parse_sample(name: str) -> pa.Table:
    return parse_legacy(sample("tso", name).read_bytes(), name)


@pytest.mark.samples
@pytest.mark.parametrize(("name", "area", "rows", "first", "demand", "last", "unit"), REAL)
def test_real_legacy_files_parse(name, area, rows, first, demand, last, unit):
    table = parse_sample(name)
    assert table.schema == LEGACY_SCHEMA
    assert table.num_rows == rows
    top, bottom = table.slice(0, 1).to_pylist()[0], table.slice(rows - 1).to_pylist()[0]
    assert top["area_code"] == area and (top["slot_date"], top["time_label"]) == first
    assert top["time_minutes"] == 0  # every legacy file is start-labelled, Kyushu's too
    assert top["demand_mw"] == demand
    assert (bottom["slot_date"], bottom["time_minutes"]) == last
    assert set(table.column("source_unit").to_pylist()) == {unit}
    assert set(table.column("year_month").to_pylist()) == {f"{first[0]:%Y-%m}"}


@pytest.mark.samples
@pytest.mark.parametrize("name", [r[0] for r in REAL])
def test_generation_adds_up_to_demand_within_3_mw(name):
    """The row identity of tso.md §2.2 holds on every real row: the names are mapped right
    (a swapped column or a wrong sign would break it)."""
    for row in parse_sample(name).to_pylist():
        generation = sum(row[c] or 0 for c in GENERATION)
        assert abs(generation - row["demand_mw"]) <= 3, row


@pytest.mark.samples
def test_hokkaido_date_only_on_the_first_row_of_a_day_and_hour_labels():
    rows = parse_sample("sup_dem_results_2016_1q.csv").to_pylist()
    assert [(r["slot_date"], r["time_minutes"]) for r in rows[:2]] == [(date(2016, 4, 1), 0),
                                                               (date(2016, 4, 1), 60)]
    assert rows[24]["slot_date"] == date(2016, 4, 2) and rows[24]["time_label"] == "0時"
    assert rows[0]["total_mw"] == 3166  # 供給力合計


@pytest.mark.samples
def test_hokkaido_blackout_has_a_real_zero_demand_not_null():
    rows = parse_sample("sup_dem_results_2018_2q.excerpt_0905-0906.csv").to_pylist()
    zero = [r for r in rows if r["demand_mw"] == 0]
    assert (zero[0]["slot_date"], zero[0]["time_label"]) == (date(2018, 9, 6), "4時")
    assert all(r["demand_mw"] is not None for r in rows)


@pytest.mark.samples
def test_tohoku_own_column_order_and_two_spaces_between_date_and_time():
    raw = sample("tso", "juyo_2016_tohoku_1Q.csv").read_bytes()
    first = parse_legacy(raw, "juyo_2016_tohoku_1Q.csv").slice(0, 1).to_pylist()[0]
    assert (first["hydro_mw"], first["thermal_mw"], first["nuclear_mw"]) == (1812, 8072, 0)
    assert first["interconnection_mw"] == -2200
    spaced = raw.replace(b"2016/4/1 0:00,", b"2016/4/1  0:00,")
    assert parse_legacy(spaced, "juyo_2016_tohoku_1Q.csv").equals(parse_legacy(raw, "juyo_2016_tohoku_1Q.csv"))


@pytest.mark.samples
def test_hokuriku_names_come_from_the_row_above_date():
    first = parse_sample("area_jisseki_rikuden201810.excerpt.csv").slice(0, 1).to_pylist()[0]
    assert first["geothermal_mw"] is None  # blank from 2018-10: NULL, not 0
    assert (first["hydro_mw"], first["pumped_storage_mw"], first["interconnection_mw"]) == (1171, 90, -517)


@pytest.mark.samples
def test_kansai_split_names_and_quoted_thousands():
    first = parse_sample("area_jyukyu_jisseki_2021.excerpt_20220201-0202.csv").slice(0, 1).to_pylist()[0]
    assert first["thermal_mw"] == 10285  # "10,285"
    assert first["wind_mw"] == 11 and first["wind_curtailment_mw"] == 0  # 風力 / 実績, 抑制量


@pytest.mark.samples
def test_kyushu_heisei_file_quoted_negative_thousands():
    first = parse_sample("area_jyukyu_jisseki_H30_4Q.excerpt_0312-0313.csv").slice(0, 1).to_pylist()[0]
    assert first["interconnection_mw"] == -1720  # "-1,720", import-positive like every legacy file
    assert first["pumped_storage_mw"] == -246  # 揚水等


@pytest.mark.samples
def test_chugoku_dash_is_null_and_trailing_empty_rows_are_skipped():
    raw = sample("tso", "kako-2016.excerpt.csv").read_bytes()
    padded = raw + b",,,,,,,,,,,,,\r\n" * 5000  # the real kako-2016 ends with 35,064 such lines
    table = parse_legacy(padded, "kako-2016.csv")
    assert table.num_rows == 48
    first = table.slice(0, 1).to_pylist()[0]
    assert first["solar_curtailment_mw"] is None and first["wind_curtailment_mw"] is None  # －
    assert first["interconnection_mw"] == 646  # 連系線潮流


@pytest.mark.samples
def test_shikoku_excel_in_man_kw_footer_skipped():
    table = parse_sample("jukyu2016.excerpt.xlsx")
    first = table.slice(0, 1).to_pylist()[0]
    assert (first["demand_mw"], first["thermal_mw"], first["interconnection_mw"]) == (2550, 2990, -710)
    assert first["geothermal_mw"] is None  # －
    assert first["total_mw"] == 2550
    assert first["solar_curtailment_mw"] == 0 and first["wind_mw"] == 50  # 実績/制御量 under groups


def test_tepco_layout_in_man_kwh_with_names_below_date():
    raw = (FIXTURES / "tso" / "area-2016.head.csv").read_bytes()
    rows = parse_legacy(raw, "area-2016.csv").to_pylist()
    assert [r["demand_mw"] for r in rows] == [25550, 24640]  # "2,555" 万kWh → MW
    assert rows[0]["area_code"] == "03" and rows[0]["thermal_mw"] == 22580
    assert rows[0]["total_mw"] == 25550 and rows[0]["source_unit"] == "万kWh"
    assert rows[1]["pumped_storage_mw"] == -100


def test_okinawa_three_header_rows_with_newlines_and_half_width_katakana():
    raw = (FIXTURES / "tso" / "2023.head.csv").read_bytes()
    ident = identify_legacy("2023.csv", raw)
    assert ident is not None and ident.name == "okinawa_2023.csv"
    rows = parse_legacy(raw, ident.name).to_pylist()
    assert rows[0]["area_code"] == "10"
    assert (rows[0]["demand_mw"], rows[0]["thermal_mw"], rows[0]["biomass_mw"]) == (780, 771, 3)
    assert (rows[0]["wind_mw"], rows[0]["wind_curtailment_mw"], rows[0]["total_mw"]) == (6, 0, 780)
    assert rows[0]["nuclear_mw"] is None  # Okinawa has no such column: NULL


# --------------------------------------------------------------------------- bad input
KANSAI = "DATE_TIME,エリア需要〔MWh〕,原子力〔MWh〕\r\n2016/4/1 0:00,12918,0\r\n2016/4/1 1:00,12835,0\r\n".encode(
    "cp932")  # the shape of area_jyukyu_jisseki_2016.csv, two columns kept


def test_minimal_kansai_like_file_parses():
    assert parse_legacy(KANSAI, "area_jyukyu_jisseki_2016.csv").column("demand_mw").to_pylist() == [12918, 12835]


def test_a_renamed_demand_column_is_a_clear_error():
    bad = KANSAI.replace("エリア需要".encode("cp932"), "需要量合計".encode("cp932"))
    with pytest.raises(ParseError, match=r"no demand column") as exc:
        parse_legacy(bad, "area_jyukyu_jisseki_2016.csv")
    assert "tso" in str(exc.value) and "area_jyukyu_jisseki_2016.csv" in str(exc.value)
    assert exc.value.line == 1


def test_a_bad_number_names_line_and_column():
    bad = KANSAI.replace(b"12835", b"12x35")
    with pytest.raises(ParseError, match=r"demand_mw: cannot read '12x35'") as exc:
        parse_legacy(bad, "area_jyukyu_jisseki_2016.csv")
    assert (exc.value.line, exc.value.column) == (3, 2)


def test_a_repeated_hour_is_an_error():
    bad = KANSAI.replace(b"2016/4/1 1:00", b"2016/4/1 0:00")
    with pytest.raises(ParseError, match="appears twice"):
        parse_legacy(bad, "area_jyukyu_jisseki_2016.csv")


def test_html_page_and_truncated_excel_and_unknown_name_are_rejected():
    with pytest.raises(ParseError, match="HTML"):
        parse_legacy(b"<!DOCTYPE html><html><title>404</title></html>", "kako-2016.csv")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("x.txt", "x")
    with pytest.raises(ParseError, match="xlsx"):
        parse_legacy(buf.getvalue()[:30], "jukyu2016.xlsx")
    with pytest.raises(ParseError, match="which area"):
        parse_legacy(KANSAI, "my_download.csv")
    with pytest.raises(ParseError, match="no header row"):
        parse_legacy("ファイル更新日,ファイル更新時間\r\n".encode("cp932"), "kako-2016.csv")


def test_header_only_file_is_reported_as_truncated():
    with pytest.raises(ParseError, match="no data rows"):
        parse_legacy(KANSAI.split(b"\r\n")[0] + b"\r\n", "area_jyukyu_jisseki_2016.csv")


# --------------------------------------------------------------------------- importer names
def test_identify_names_areas_and_periods():
    ident = identify_legacy("area_jyukyu_jisseki_2016.csv", KANSAI)
    assert (ident.dataset, ident.name, ident.period_start) == (legacy.DATASET, "area_jyukyu_jisseki_2016.csv",
                                                            date(2016, 4, 1))
    assert identify_legacy("eria_jukyu_202404_09.csv", b"") is None  # the common format
    assert identify_legacy("2016.csv", KANSAI) is None  # bare FY name but not Okinawa's layout
    assert legacy.area_of("06_whatever.csv") == "06" and legacy.area_of("kyushu-h28.csv") == "09"
    assert legacy.area_of("data/archive/tso/x/jukyu2019@20240414T030000Z-1a2b3c4d.xlsx") == "08"


# --------------------------------------------------------------------------- plan
def plan(start, end=date(2026, 11, 24), areas=None):
    options = TsoOptions(areas=tuple(areas)) if areas else TsoOptions()
    return legacy_plan(RunContext(start=start, end=end, today=date(2026, 11, 24), options=options))


def test_no_start_plans_nothing_legacy_is_closed_history():
    assert legacy_plan(RunContext(start=None, end=None, today=date(2026, 11, 24), options=TsoOptions())) == []


def test_backfill_plans_every_area_with_the_real_urls():
    files = {f.name: f for f in plan(date(2016, 4, 1), date(2017, 3, 31))}
    assert files["sup_dem_results_2016_1q.csv"].url.startswith(
        "https://www.hepco.co.jp/network/con_service/public_document/supply_demand_results/csv/")
    assert files["juyo_2016_tohoku_4Q.csv"].url == (
        "https://setsuden.nw.tohoku-epco.co.jp/common/demand/juyo_2016_tohoku_4Q.csv")
    assert files["area-2016.csv"].url == "https://www.tepco.co.jp/forecast/html/images/area-2016.csv"
    assert files["2016_areabalance_current_term.csv"].url.startswith("https://powergrid.chuden.co.jp/")
    assert [n for n in files if n.startswith("area_jisseki_rikuden")] == [
        "area_jisseki_rikuden201604_06.csv", "area_jisseki_rikuden201607_09.csv",
        "area_jisseki_rikuden201610_12.csv", "area_jisseki_rikuden201701_03.csv"]
    kansai = files["area_jyukyu_jisseki_2016.csv"]
    assert kansai.headers["Referer"] == "https://www.kansai-td.co.jp/denkiyoho/area-performance/past.html"
    assert files["kako-2016.csv"].url.endswith("/area/csv/kako-2016.csv")
    assert files["jukyu2016.xlsx"].url == "https://www.yonden.co.jp/nw/supply_demand/jukyu2016.xlsx"
    h28 = files["area_jyukyu_jisseki_H28_1Q.csv"]
    assert h28.optional and h28.period_start == date(2016, 4, 1) and h28.period_end == date(2016, 6, 30)
    assert files["okinawa_2016.csv"].url.endswith("/jukyu/csv/2016.csv")
    assert all(f.immutable and f.dataset == legacy.DATASET for f in files.values())
    assert len(files) == 4 + 4 + 1 + 1 + 4 + 1 + 1 + 1 + 4 + 1


def test_hokuriku_turns_monthly_in_october_2018_and_chugoku_rolling_file_once():
    names = [f.name for f in plan(date(2018, 7, 1), date(2019, 1, 31), areas=["05"])]
    assert names == ["area_jisseki_rikuden201807_09.csv", "area_jisseki_rikuden201810.csv",
                     "area_jisseki_rikuden201811.csv", "area_jisseki_rikuden201812.csv",
                     "area_jisseki_rikuden201901.csv"]
    chugoku = plan(date(2020, 4, 1), areas=["07"])
    assert [f.name for f in chugoku] == ["kako-2020.csv", "eria_jyukyu.csv"]
    assert [f.name for f in plan(date(2019, 4, 1), date(2019, 6, 30), areas=["09"])] == [
        "area_jyukyu_jisseki_2019_1Q.csv"]
    assert plan(date(2024, 4, 1)) == []  # FY2024 on: the common format only


# --------------------------------------------------------------------------- row checks at once
def test_a_ragged_file_is_read_like_a_regular_one():
    ragged = KANSAI.replace(b"12835,0\r\n", b"12835,0,\r\n")  # one row with a trailing cell
    assert parse_legacy(ragged, "area_jyukyu_jisseki_2016.csv").equals(
        parse_legacy(KANSAI, "area_jyukyu_jisseki_2016.csv"))


def test_the_first_offending_row_is_reported_with_the_first_line_of_a_repeat():
    bad = KANSAI + "2016/4/1 0:00,1,0\r\n2016/2/30 1:00,1,0\r\n".encode("cp932")
    with pytest.raises(ParseError, match=r"2016-04-01 0:00 appears twice \(first on line 2\)") as exc:
        parse_legacy(bad, "area_jyukyu_jisseki_2016.csv")
    assert (exc.value.line, exc.value.column) == (4, 1)
    with pytest.raises(ParseError, match="cannot read date '2016/2/30'") as exc:
        parse_legacy(KANSAI + "2016/2/30 1:00,1,0\r\n".encode("cp932"), "area_jyukyu_jisseki_2016.csv")
    assert (exc.value.line, exc.value.column) == (4, 1)
