"""TSO common-format files (eria_jukyu_YYYYMM_NN.csv): real samples, look-alikes, plan, loads."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import duckdb
import pytest
from conftest import sample

from extract.core.config import warehouse_path
from extract.core.errors import ParseError
from extract.core.http import HttpClient, Response
from extract.core.pipeline import import_files, run_source
from extract.core.source import RunContext
from extract.sources import tso
from extract.sources.tso import common
from extract.sources.tso.settings import COMMON, TsoOptions

# name, area, rows, first (date, label), first demand MW, last (date, minutes label), 22 columns
REAL = [
    ("eria_jukyu_202604_01.csv", "01", 100, (date(2026, 4, 1), "00:00"), 2930, (date(2026, 4, 3), 90), True),
    ("realtime_jukyu_20260415_02.csv", "02", 43, (date(2026, 4, 15), "0:00"), 7224, (date(2026, 4, 15), 1260), True),
    ("eria_jukyu_202604_03.csv", "03", 100, (date(2026, 4, 1), "0:00"), 23907, (date(2026, 4, 3), 90), False),
    ("eria_jukyu_202603_04.csv", "04", 100, (date(2026, 3, 1), "00:00"), 10846, (date(2026, 3, 3), 90), False),
    ("eria_jukyu_202604_05.csv", "05", 100, (date(2026, 4, 1), "0:00"), 2533, (date(2026, 4, 3), 90), True),
    ("eria_jukyu_202604_06.csv", "06", 100, (date(2026, 4, 1), "0:00"), 11575, (date(2026, 4, 3), 90), False),
    ("eria_jukyu_202604_07.csv", "07", 100, (date(2026, 4, 1), "00:00"), 5201, (date(2026, 4, 3), 90), True),
    ("eria_jukyu_202604_08.csv", "08", 100, (date(2026, 4, 1), "0:00"), 2102, (date(2026, 4, 3), 90), False),
    ("eria_jukyu_202604_09.csv", "09", 100, (date(2026, 4, 1), "0:30"), 7838, (date(2026, 4, 3), 120), False),
    ("eria_jukyu_202604_10.csv", "10", 100, (date(2026, 4, 1), "0:00"), 714, (date(2026, 4, 3), 90), True),
    ("eria_jukyu_202404_09.excerpt_0401-0402.csv", "09", 96, (date(2024, 4, 1), "0:30"), 6980,
     (date(2024, 4, 2), 1440), False),
    ("eria_jukyu_202404_10.excerpt_0429-0430.csv", "10", 96, (date(2024, 4, 29), "0:00:00"), 851.8,
     (date(2024, 4, 30), 1410), False),
]
GENERATION = [c for c in common.VALUE_COLUMNS.values()
              if c not in ("demand_mw", "total_mw") and "curtailment" not in c]


def parse_sample(name):
    return common.parse_file(sample("tso", name).read_bytes(), name)


@pytest.mark.samples
@pytest.mark.parametrize(("name", "area", "rows", "first", "demand", "last", "wide"), REAL)
def test_real_common_format_files_parse(name, area, rows, first, demand, last, wide):
    table = parse_sample(name)
    assert table.schema == common.SCHEMA and table.num_rows == rows
    top, bottom = table.slice(0, 1).to_pylist()[0], table.slice(rows - 1).to_pylist()[0]
    assert top["area_code"] == area and (top["slot_date"], top["time_label"]) == first
    assert top["demand_mw"] == demand
    assert (bottom["slot_date"], bottom["time_minutes"]) == last
    # the 22-column variant fills the curtailment columns; the 20-column one leaves them NULL
    assert (top["thermal_curtailment_mw"] is not None) == wide


@pytest.mark.samples
@pytest.mark.parametrize("name", [r[0] for r in REAL])
def test_generation_adds_up_to_total_with_kyushu_sign_flipped(name):
    for row in parse_sample(name).to_pylist():
        sign = -1 if row["area_code"] == "09" else 1  # Kyushu publishes exports as positive
        generation = sum((row[c] or 0) * (sign if c == "interconnection_mw" else 1) for c in GENERATION)
        assert abs(generation - row["total_mw"]) <= 3, row


@pytest.mark.samples
def test_kyushu_is_end_labelled_and_its_day_ends_at_24_00():
    rows = parse_sample("eria_jukyu_202404_09.excerpt_0401-0402.csv").to_pylist()
    assert (rows[0]["time_label"], rows[0]["time_minutes"]) == ("0:30", 30)  # staging: 00:00 start
    day_end = rows[47]
    assert (day_end["slot_date"], day_end["time_label"], day_end["time_minutes"]) == (
        date(2024, 4, 1), "24:00:00", 1440)
    quoted = parse_sample("eria_jukyu_202604_09.csv").to_pylist()  # all fields quoted, YYYYMMDD
    assert quoted[0]["interconnection_mw"] == 1716 and quoted[0]["thermal_lng_mw"] == 734


@pytest.mark.samples
def test_okinawa_mixes_seconds_and_decimals_in_one_file():
    rows = parse_sample("eria_jukyu_202404_10.excerpt_0429-0430.csv").to_pylist()
    labels = {r["time_label"].count(":") for r in rows}
    assert labels == {1, 2}  # H:MM:SS on 4/29, H:MM on 4/30
    assert [r["time_minutes"] for r in rows[:3]] == [0, 30, 60]
    assert rows[48]["time_label"] == "0:00" and rows[48]["slot_date"] == date(2024, 4, 30)


@pytest.mark.samples
def test_tepco_is_utf8_and_kansai_full_width_names_match():
    tepco = parse_sample("eria_jukyu_202604_03.csv").slice(0, 1).to_pylist()[0]
    assert tepco["thermal_lng_mw"] == 9737 and tepco["total_mw"] == 23908
    kansai = parse_sample("eria_jukyu_202604_06.csv").slice(0, 1).to_pylist()[0]
    assert (kansai["thermal_lng_mw"], kansai["thermal_coal_mw"]) == (3003, 1489)  # 火力（ＬＮＧ）


@pytest.mark.samples
def test_tohoku_realtime_future_slots_are_not_loaded():
    rows = parse_sample("realtime_jukyu_20260415_02.csv").to_pylist()
    assert len(rows) == 43 and rows[-1]["time_label"] == "21:00"
    assert all(r["demand_mw"] is not None for r in rows)


@pytest.mark.samples
@pytest.mark.parametrize("name", ["202504_jyukyu2_chugoku.zip", "202310_power_usage.zip",
                                  "juyo-d1-j_20231007_1455.csv"])
def test_look_alike_datasets_are_rejected_not_loaded(name):
    raw = sample("tso", name).read_bytes()
    with pytest.raises(ParseError, match="not a|not an"):
        tso.identify(name, raw)
    with pytest.raises(ParseError):  # even when renamed like a supply-demand file
        common.parse_file(raw, "eria_jukyu_202310_03.csv" if name.endswith(".csv") else "eria_jukyu_2023.zip")


# --------------------------------------------------------------------------- bad input
HEADER = ("DATE,TIME,エリア需要,原子力,火力(LNG),火力(石炭),火力(石油),火力(その他),水力,地熱,バイオマス,"
          "太陽光発電実績,太陽光出力制御量,風力発電実績,風力出力制御量,揚水,蓄電池,連系線,その他,合計")


def tiny(rows: list[str], preamble: str = "単位[MW平均],,,供給力") -> bytes:
    return "\n".join([preamble, HEADER, *rows, ""]).encode("cp932")


ROW = "2024/4/1,{t},100,0,50,20,0,0,10,0,0,0,0,5,0,0,0,15,0,100"


def test_start_labels_outside_the_day_and_a_bad_value_name_line_and_column():
    ok = common.parse_file(tiny([ROW.format(t="0:00"), ROW.format(t="0:30")]), "eria_jukyu_202404_03.csv")
    assert ok.column("time_minutes").to_pylist() == [0, 30]
    with pytest.raises(ParseError, match="labelled by their start") as exc:
        common.parse_file(tiny([ROW.format(t="24:00")]), "eria_jukyu_202404_03.csv")
    assert exc.value.line == 3
    with pytest.raises(ParseError, match="labels slots by their end"):
        common.parse_file(tiny([ROW.format(t="0:00")]), "eria_jukyu_202404_09.csv")
    with pytest.raises(ParseError, match="not a valid float") as exc:
        common.parse_file(tiny([ROW.format(t="0:00").replace(",100,", ",1O0,", 1)]), "eria_jukyu_202404_03.csv")
    assert exc.value.line == 3 and exc.value.column == "エリア需要"


def test_dash_is_null_and_a_row_of_another_month_is_an_error():
    row = ROW.format(t="0:00").replace(",10,0,0,", ",10,－,0,")
    table = common.parse_file(tiny([row]), "eria_jukyu_202404_08.csv")
    assert table.column("geothermal_mw").to_pylist() == [None]
    with pytest.raises(ParseError, match="outside the file's period 2024-05"):
        common.parse_file(tiny([row]), "eria_jukyu_202405_08.csv")


def test_changed_header_unit_and_html_are_clear_errors():
    with pytest.raises(ParseError, match="lacks required column"):
        common.parse_file(tiny([ROW.format(t="0:00")]).replace("揚水".encode("cp932"), b"X"),
                          "eria_jukyu_202404_03.csv")
    with pytest.raises(ParseError, match="unit changed"):
        common.parse_file(tiny([ROW.format(t="0:00")], preamble="単位[万kW]"), "eria_jukyu_202404_03.csv")
    with pytest.raises(ParseError, match="HTML"):
        common.parse_file(b"<html><title>Error</title></html>", "eria_jukyu_202404_03.csv")


def test_chubu_fiscal_year_zip_members_are_parsed():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("eria_jukyu_2023/eria_jukyu_202403_04.csv", tiny([ROW.format(t="0:00").replace("2024/4/1", "2024/3/1")]))
        z.writestr("readme.txt", "x")
    table = common.parse_file(buf.getvalue(), "eria_jukyu_2023.zip")
    assert table.column("area_code").to_pylist() == ["04"]
    assert table.column("slot_date").to_pylist() == [date(2024, 3, 1)]


# --------------------------------------------------------------------------- plan
TODAY = date(2026, 4, 20)


def plan(start=None, end=None, areas=None, client=None):
    options = TsoOptions(areas=tuple(areas)) if areas else TsoOptions()
    http = client.for_source("tso") if client else None
    return tso.plan(RunContext(start=start, end=end, today=TODAY, options=options, http=http))


def test_update_plans_previous_and_current_month_per_area_and_tohoku_realtime():
    files = {f.name: f for f in plan()}
    assert files["eria_jukyu_202604_03.csv"].url == (
        "https://www.tepco.co.jp/forecast/html/images/eria_jukyu_202604_03.csv")
    assert files["eria_jukyu_202603_09.csv"].url == (
        "https://www.kyuden.co.jp/td_area_jukyu/csv/eria_jukyu_202603_09.csv")
    assert files["eria_jukyu_202604_04.csv"].url.startswith("https://powergrid.chuden.co.jp/")
    assert "eria_jukyu_2025.zip" in files  # Chubu's March sits in its FY2025 zip...
    assert "eria_jukyu_202603_04.csv" in files  # ...or, just after month end, still standalone
    realtime = sorted(n for n in files if n.startswith("realtime_"))
    assert realtime[0] == "realtime_jukyu_20260410_02.csv" and realtime[-1] == "realtime_jukyu_20260420_02.csv"
    assert files[realtime[-1]].url == ("https://setsuden.nw.tohoku-epco.co.jp/common/demand/"
                                       "realtime_jukyu/realtime_jukyu_20260420_02.csv")
    assert not any(f.immutable for f in files.values())  # recent months are revised
    assert files["eria_jukyu_202604_06.csv"].headers["Referer"] == COMMON["06"].page
    assert not any(f.dataset == "area_supply_demand_legacy" for f in files.values())


def test_backfill_starts_at_each_area_first_month_and_areas_limit():
    files = plan(start=date(2016, 4, 1), end=date(2024, 4, 30), areas=["03", "09"])
    names = [f.name for f in files]
    assert "area-2016.csv" in names and "area_jyukyu_jisseki_H28_1Q.csv" in names  # legacy
    assert "eria_jukyu_202401_03.csv" in names and "eria_jukyu_202312_03.csv" not in names
    assert "eria_jukyu_202310_09.csv" in names and "eria_jukyu_202309_09.csv" not in names
    assert not any(n.endswith(("_01.csv", "_06.csv")) for n in names)
    old = next(f for f in files if f.name == "eria_jukyu_202401_03.csv")
    assert old.immutable
    chubu = [f.name for f in plan(start=date(2024, 3, 1), end=date(2024, 5, 31), areas=["04"])
             if f.dataset == "area_supply_demand"]
    assert chubu == ["eria_jukyu_2023.zip", "eria_jukyu_2024.zip"]  # closed months: zips only


class ListClient(HttpClient):
    def __init__(self, bodies):
        super().__init__(sleep=lambda s: None)
        self.bodies = bodies

    def fetch(self, source, url, **kwargs):
        return Response(url, 200, self.bodies[url], {})


def test_published_file_lists_decide_which_months_exist():
    kansai = json.dumps({"latest": [{"name": "eria_jukyu_202604_06.csv", "label": "2026年4月"}],
                         "past": [{"year": "2025", "list": [{"name": "eria_jukyu_202603_06.csv"}]}]})
    kyushu = "年度,ファイル\n2025,eria_jukyu_202603_09.csv\n".encode("cp932")
    chubu = json.dumps([{"category": "年別エリア需給実績", "path": "/denki_yoho_content_data/eria_jukyu_2025.zip"},
                        {"category": "直近のエリア需要実績", "path": "/denki_yoho_content_data/eria_jukyu_202604_04.csv"},
                        {"category": "でんき予報", "path": "/x/juyo_cepco003.csv"}])
    client = ListClient({COMMON["06"].file_list[1]: kansai.encode(), COMMON["09"].file_list[1]: kyushu,
                         COMMON["04"].file_list[1]: chubu.encode()})
    assert tso.parse_chubu_list(chubu.encode())["eria_jukyu_2025.zip"] == (
        "https://powergrid.chuden.co.jp/denki_yoho_content_data/eria_jukyu_2025.zip")
    names = {f.name for f in plan(areas=["06", "09", "04"], client=client)}
    assert {"eria_jukyu_202603_06.csv", "eria_jukyu_202604_06.csv", "eria_jukyu_202603_09.csv",
            "eria_jukyu_2025.zip", "eria_jukyu_202604_04.csv"} <= names
    assert "eria_jukyu_202604_09.csv" not in names  # not listed by Kyushu yet


def test_an_unreadable_list_falls_back_to_the_name_patterns():
    client = ListClient({COMMON["06"].file_list[1]: b"<html>maintenance</html>"})
    names = {f.name for f in plan(areas=["06"], client=client)}
    assert names == {"eria_jukyu_202603_06.csv", "eria_jukyu_202604_06.csv"}


# --------------------------------------------------------------------------- loads
def count(data_dir, where="true"):
    con = duckdb.connect(str(warehouse_path(data_dir)), read_only=True)
    try:
        return con.execute(f"select count(*), sum(demand_mw) from raw_tso.area_supply_demand where {where}").fetchone()
    finally:
        con.close()


def test_import_is_idempotent_and_a_revised_month_replaces_the_area_month(data_dir, tmp_path):
    first = tmp_path / "v1" / "eria_jukyu_202404_03.csv"
    first.parent.mkdir()
    first.write_bytes(tiny([ROW.format(t="0:00"), ROW.format(t="0:30")]))
    other = tmp_path / "v1" / "eria_jukyu_202404_08.csv"
    other.write_bytes(tiny([ROW.format(t="0:00")]))
    assert import_files(tso.SPEC, [first, other], data_dir).ok
    assert import_files(tso.SPEC, [first, other], data_dir, reload=True).ok
    assert count(data_dir) == (3, 300)  # no duplicates
    revised = tmp_path / "v2" / "eria_jukyu_202404_03.csv"
    revised.parent.mkdir()
    revised.write_bytes(tiny([ROW.format(t="0:00").replace(",100,", ",90,", 1)]))  # one row, revised
    refused = import_files(tso.SPEC, [revised], data_dir)  # a month shrinking is never silent
    assert not refused.ok and "2 in the warehouse, 1 in" in refused.errors[0]
    assert count(data_dir, "area_code = '03'") == (2, 200)
    result = import_files(tso.SPEC, [revised], data_dir, reload=True, allow_shrink=True)
    assert result.ok, result.errors
    assert count(data_dir, "area_code = '03'") == (1, 90)  # the whole area-month replaced
    assert count(data_dir, "area_code = '08'") == (1, 100)  # other areas untouched


def test_one_area_failing_to_download_does_not_stop_the_others(data_dir):
    from extract.core.errors import FetchError

    class Flaky(HttpClient):
        def __init__(self):
            super().__init__(sleep=lambda s: None)

        def fetch(self, source, url, **kwargs):
            if "_03.csv" in url:
                raise FetchError(source, url, "HTTP 503 after 4 attempts", status=503)
            # a closed month: every slot of its 31 days
            rows = [ROW.format(t=f"{m // 60}:{m % 60:02d}").replace("2024/4/1", f"2024/3/{d}")
                    for d in range(1, 32) for m in range(0, 1440, 30)]
            return Response(url, 200, tiny(rows), {})

    ctx = RunContext(start=date(2024, 3, 1), end=date(2024, 3, 31), today=date(2024, 6, 1),
                     options=TsoOptions(areas=("03", "08")), datasets=("area_supply_demand",))
    result = run_source(tso.SPEC, ctx, data_dir, Flaky())
    assert not result.ok and "_03.csv" in result.errors[0]
    assert result.rows_loaded == 31 * 48  # Shikoku's month still loaded


def test_rows_are_checked_at_once_but_the_first_offending_row_is_named():
    rows = [ROW.format(t="0:00"), ROW.format(t="0:45"), ROW.format(t="1:00").replace("2024/4/1", "2024/4/31")]
    with pytest.raises(ParseError, match="TIME '0:45' is not a 30-minute label") as exc:
        common.parse_file(tiny(rows), "eria_jukyu_202404_03.csv")
    assert (exc.value.line, exc.value.column) == (4, "TIME")
    with pytest.raises(ParseError, match="cannot read DATE '2024/4/31'") as exc:
        common.parse_file(tiny([rows[0], rows[2]]), "eria_jukyu_202404_03.csv")
    assert exc.value.line == 4
    with pytest.raises(ParseError, match="2024-04-01 0:00 appears twice") as exc:
        common.parse_file(tiny([rows[0], ",,,,,,,,,,,,,,,,,,,", rows[0]]), "eria_jukyu_202404_03.csv")
    assert exc.value.line == 5  # the blank row in between is skipped but still counted


def test_python_whitespace_is_what_the_vectorised_checks_strip():
    from extract.core.tabular import PY_WHITESPACE

    assert "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) == PY_WHITESPACE
