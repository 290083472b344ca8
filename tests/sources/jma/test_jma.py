"""JMA hourly weather: the real obsdl sample, etrn symbols, hour 24, plan/POST form, loads."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest
from conftest import FIXTURES, sample

from extract.core.config import warehouse_path
from extract.core.errors import ParseError
from extract.core.http import HttpClient
from extract.core.pipeline import import_files
from extract.core.source import RunContext
from extract.sources import jma
from extract.sources.jma import parse
from extract.sources.jma.settings import ETRN_URL, JmaOptions

HANEDA = "obsdl_hourly_a0371_haneda_2020-01-01.csv"
ETRN = FIXTURES / "jma" / "etrn_hourly_s1_s47662_20230101.html"


@pytest.mark.samples
def test_real_obsdl_hourly_sample_parses_by_label():
    table = parse.parse_obsdl(sample("jma", HANEDA).read_bytes(), HANEDA)
    assert table.schema == parse.SCHEMA and table.num_rows == 24
    rows = table.to_pylist()
    first = rows[0]
    assert (first["station_id"], first["station_name"]) == ("a0371", "羽田")
    assert first["observed_label_jst"] == datetime(2020, 1, 1, 1)  # hour ENDING 01:00
    assert (first["temperature_degc"], first["temperature_quality"], first["temperature_homogeneity"]) == (4.6, 8, 1)
    assert (first["wind_speed_m_s"], first["wind_direction"], first["wind_direction_quality"]) == (12.0, "北北西", 8)
    assert first["wind_speed_homogeneity"] == 1
    assert first["precipitation_mm"] == 0.0 and first["precipitation_quality"] == 8
    # an AMeDAS station does not observe humidity or solar radiation: NULL with quality 0, not 0
    assert first["relative_humidity_pct"] is None and first["relative_humidity_quality"] == 0
    assert first["solar_radiation_mj_m2"] is None and first["solar_radiation_quality"] == 0
    # hour 24 of 2020-01-01 is written as the next day's 00:00:00 (two-digit hour)
    assert rows[-1]["observed_label_jst"] == datetime(2020, 1, 2, 0)
    assert (rows[-1]["temperature_degc"], rows[-1]["wind_direction"]) == (6.0, "北西")
    assert parse.first_and_last(table) == (date(2020, 1, 1), date(2020, 1, 1))


@pytest.mark.samples
def test_real_daily_obsdl_file_is_rejected_as_the_wrong_dataset():
    raw = sample("jma", "obsdl_daily_tokushima_2023-08-05.cp932.csv").read_bytes()
    with pytest.raises(ParseError, match="daily values") as exc:
        parse.parse_obsdl(raw, "obsdl_hourly_s47895_20230805.csv")
    assert exc.value.line == 4


def test_cp932_staffed_layout_with_no_phenomenon_flags_and_missing_values():
    import sys

    sys.path.insert(0, str(FIXTURES.parents[1] / "scripts"))
    from demo_sources.jma import obsdl_csv

    raw = obsdl_csv("s47607", "05")
    assert raw.startswith("ダウンロードした時刻".encode("cp932")) and b"\r\n" in raw
    rows = parse.parse_obsdl(raw, "obsdl_hourly_s47607_20240316-20240413.csv").to_pylist()
    assert len(rows) == 29 * 24
    missing = [r for r in rows if r["temperature_quality"] == 1]
    assert len(missing) == 1 and missing[0]["temperature_degc"] is None  # never 0
    night = rows[0]  # 00:00-01:00: no sunshine, flagged as "no phenomenon" (a true zero)
    assert night["sunshine_h"] == 0 and night["sunshine_no_phenomenon"] is True


def test_error_page_served_with_200_is_reported_clearly():
    page = "<html><body><p>指定した期間のデータ量が多すぎます。データ量を減らしてください。</p></body></html>"
    with pytest.raises(ParseError, match="data-volume limit") as exc:
        parse.check_obsdl_body(page.encode("utf-8"), "obsdl_hourly_s47662_2024H1.csv")
    assert "jma" in str(exc.value) and "obsdl_hourly_s47662_2024H1.csv" in str(exc.value)
    with pytest.raises(ParseError, match="maintenance"):
        parse.check_obsdl_body("<html>現在メンテナンス中です</html>".encode(), "x_s47662.csv")


def test_changed_header_and_bad_value_name_line_and_column():
    raw = sample_like()
    with pytest.raises(ParseError, match="no 気温 column"):
        parse.parse_obsdl(raw.replace("気温(℃)".encode("cp932"), "気温X".encode("cp932")).replace(
            "気温X".encode("cp932"), "外気".encode("cp932")), "obsdl_hourly_s47662_x.csv")
    bad = raw.replace(b",4.6,8,1,", b",4.6x,8,1,", 1)
    with pytest.raises(ParseError, match="temperature value: cannot read") as exc:
        parse.parse_obsdl(bad, "obsdl_hourly_s47662_x.csv")
    assert exc.value.line == 7 and exc.value.column == 2


def sample_like() -> bytes:
    """A two-row staffed-style file (temperature + wind) in the real header structure."""
    lines = ["ダウンロードした時刻：2024/04/14 12:00:00", "",
             ",東京,東京,東京,東京,東京,東京,東京,東京",
             "年月日時,気温(℃),気温(℃),気温(℃),風速(m/s),風速(m/s),風速(m/s),風速(m/s),風速(m/s)",
             ",,,,,,風向,風向,", ",,品質情報,均質番号,,品質情報,,品質情報,均質番号",
             "2024/4/1 1:00:00,4.6,8,1,2.0,8,北,8,1", "2024/4/2 00:00:00,5.0,8,1,0.2,8,静穏,8,1"]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def test_etrn_symbols_become_flags_and_nulls_and_hour_24_is_next_midnight():
    rows = parse.parse_etrn(ETRN.read_bytes(), ETRN.name).to_pylist()
    by_hour = {r["observed_label_jst"]: r for r in rows}
    one = by_hour[datetime(2023, 1, 1, 1)]
    assert one["precipitation_mm"] == 0 and one["precipitation_no_phenomenon"] is True  # --
    two = by_hour[datetime(2023, 1, 1, 2)]
    assert (two["temperature_degc"], two["temperature_quality"]) == (2.8, 5)  # "2.8 )"
    assert two["wind_speed_m_s"] is None and two["wind_speed_quality"] == 1  # ×
    noon = by_hour[datetime(2023, 1, 1, 12)]
    assert (noon["temperature_degc"], noon["temperature_quality"]) == (9.4, 4)  # "9.4 ]"
    assert noon["relative_humidity_pct"] is None and noon["relative_humidity_quality"] == 1  # ///
    assert (noon["sunshine_h"], noon["solar_radiation_mj_m2"]) == (1.0, 1.85)
    midnight = by_hour[datetime(2023, 1, 2, 0)]  # hour 24 → next day 00:00
    assert midnight["precipitation_mm"] is None and midnight["precipitation_quality"] == 2  # #
    assert midnight["wind_direction"] == "静穏"
    marked = ETRN.read_bytes().replace("北北西</td>".encode(), "北北西 )</td>".encode())
    noon_marked = parse.parse_etrn(marked, ETRN.name).to_pylist()[2]
    assert (noon_marked["wind_direction"], noon_marked["wind_direction_quality"]) == ("北北西", 5)


def test_etrn_page_without_the_table_is_a_clear_error():
    with pytest.raises(ParseError, match="no hourly table"):
        parse.parse_etrn(b"<html><body>error</body></html>", "etrn_hourly_s1_s47662_20230101.html")


# --------------------------------------------------------------------------- plan
def test_stations_come_from_the_seed():
    st = jma.stations()
    assert len(st) == 10 and {s.area_code for s in st} == {f"{i:02d}" for i in range(1, 11)}
    tokyo = next(s for s in st if s.area_code == "03")
    assert (tokyo.station_id, tokyo.prec_no, tokyo.block_no) == ("s47662", "44", "47662")


def test_backfill_plans_half_year_posts_under_the_volume_cap():
    ctx = RunContext(start=date(2016, 4, 1), end=None, today=date(2024, 4, 14), options=JmaOptions(areas=("03",)))
    files = jma.plan(ctx)
    assert files[0].name == "obsdl_hourly_s47662_2016H1.csv" and files[0].period_start == date(2016, 1, 1)
    assert files[0].method == "POST" and files[0].url == jma.OBSDL_URL and files[0].immutable
    form = files[0].form
    assert form["stationNumList"] == '["s47662"]' and form["aggrgPeriod"] == "9"
    assert form["ymdList"] == '["2016","2016","1","6","1","30"]'
    assert form["elementNumList"] == '[["101",""],["201",""],["301",""],["401",""],["605",""],["610",""]]'
    assert (form["csvFlag"], form["rmkFlag"], form["disconnectFlag"], form["ymdLiteral"]) == ("1", "1", "1", "1")
    assert files[0].headers["Referer"] == jma.OBSDL_PAGE
    last = files[-1]  # the running half-year: up to yesterday, re-fetched
    assert last.name == "obsdl_hourly_s47662_20240101-20240413.csv" and not last.immutable
    assert len(files) == 17


def test_update_fetches_only_what_is_new_plus_the_correction_window(tmp_path):
    from extract.core.archive import Archive

    archive = Archive(tmp_path)
    archive.store(source="jma", dataset="hourly_obsdl", name="obsdl_hourly_s47662_2024H1.csv",
                  data=b"x", url="u", origin="download", period_start=date(2024, 1, 1),
                  period_end=date(2024, 4, 1))
    ctx = RunContext(start=None, end=None, today=date(2024, 4, 14), options=JmaOptions(), archive=archive)
    files = {f.name: f for f in jma.plan(ctx)}
    assert files["obsdl_hourly_s47662_20240322-20240413.csv"].period_end == date(2024, 4, 13)
    assert files["obsdl_hourly_s47412_20240403-20240413.csv"]  # nothing archived: last 10 days


def test_etrn_fallback_plans_one_page_per_station_day():
    ctx = RunContext(start=date(2024, 4, 1), end=date(2024, 4, 2), today=date(2024, 4, 14),
                     options=JmaOptions(areas=("03",), interface="etrn"))
    files = jma.plan(ctx)
    assert [f.name for f in files] == ["etrn_hourly_s1_s47662_20240401.html",
                                       "etrn_hourly_s1_s47662_20240402.html"]
    assert files[0].url == ETRN_URL and files[0].params["block_no"] == "47662"
    assert files[0].params["prec_no"] == "44" and files[0].params["day"] == "1"


def test_jma_requests_are_spaced_five_seconds():
    waits = []
    client = HttpClient(sleep=waits.append, clock=lambda: 100.0, hosts=jma.SPEC.hosts)
    client._wait_for_host("www.data.jma.go.jp")
    client._wait_for_host("www.data.jma.go.jp")
    client._wait_for_host("www.jepx.jp")
    assert waits == [5.0]


# --------------------------------------------------------------------------- loads
LATEST = ("select observed_label_jst, temperature_degc from raw_jma.hourly_obsdl qualify "
          "row_number() over (partition by station_id, observed_label_jst order by _fetched_at "
          "desc) = 1 order by 1")


def test_a_correction_is_kept_as_a_new_version_and_wins_as_latest(data_dir, tmp_path):
    first = tmp_path / "a" / "obsdl_hourly_s47662_20240401-20240401.csv"
    first.parent.mkdir()
    first.write_bytes(sample_like())
    assert import_files(jma.SPEC, [first], data_dir).ok
    corrected = tmp_path / "b" / "obsdl_hourly_s47662_20240401-20240401.csv"
    corrected.parent.mkdir()
    corrected.write_bytes(sample_like().replace(b",4.6,8,1,", b",4.8,8,1,"))
    result = import_files(jma.SPEC, [corrected], data_dir)
    assert result.ok, result.errors
    con = duckdb.connect(str(warehouse_path(data_dir)), read_only=True)
    rows = con.execute(LATEST).fetchall()
    versions = con.execute("select temperature_degc from raw_jma.hourly_obsdl where "
                           "observed_label_jst = timestamp '2024-04-01 01:00' order by "
                           "_fetched_at").fetchall()
    con.close()
    assert rows == [(datetime(2024, 4, 1, 1), 4.8), (datetime(2024, 4, 2, 0), 5.0)]
    assert versions == [(4.6,), (4.8,)]  # revision history: both versions, in fetch order
    assert import_files(jma.SPEC, [corrected], data_dir, reload=True).ok  # idempotent
    con = duckdb.connect(str(warehouse_path(data_dir)), read_only=True)
    assert con.execute("select count(*) from raw_jma.hourly_obsdl").fetchone()[0] == 4
    con.close()


def test_a_maintenance_page_on_download_is_named_and_quarantined(data_dir):
    from extract.core.http import Response
    from extract.core.pipeline import run_source

    class Maintenance(HttpClient):
        def __init__(self):
            super().__init__(sleep=lambda s: None)

        def fetch(self, source, url, **kwargs):
            return Response(url, 200, "<html><body>現在メンテナンス中です</body></html>".encode(), {})

    ctx = RunContext(start=date(2024, 4, 1), end=date(2024, 4, 2), today=date(2024, 4, 14),
                     options=JmaOptions(areas=("03",)))
    result = run_source(jma.SPEC, ctx, data_dir, Maintenance())
    assert not result.ok
    assert "obsdl is under maintenance" in result.errors[0]
    assert "obsdl_hourly_s47662_20240401-20240402.csv" in result.errors[0]
    assert "_rejected" in result.errors[0]


def test_in_one_load_the_most_recently_fetched_version_of_an_hour_wins(data_dir):
    """Overlapping update windows loaded together (--reload, a copied archive): JMA's later
    correction must win, whatever order the files are read in."""
    from extract.core.archive import Archive
    from extract.core.config import archive_dir
    from extract.core.pipeline import run_source

    archive = Archive(archive_dir(data_dir))
    old = sample_like().replace(b",4.6,8,1,", b",1.0,8,1,")
    new = sample_like().replace(b",4.6,8,1,", b",2.0,8,1,")
    # files are read by period start: the OLDER download covers the earlier window, so it is
    # read first (dlt would keep the first copy of a key without a dedup sort)
    archive.store(source="jma", dataset="hourly_obsdl", name="obsdl_hourly_s47662_20240325-20240401.csv",
                  data=old, url="u", origin="download", period_start=date(2024, 3, 25),
                  period_end=date(2024, 4, 1), fetched_at=datetime(2024, 4, 6, 1))
    archive.store(source="jma", dataset="hourly_obsdl", name="obsdl_hourly_s47662_20240401-20240405.csv",
                  data=new, url="u", origin="download", period_start=date(2024, 4, 1),
                  period_end=date(2024, 4, 5), fetched_at=datetime(2024, 4, 9, 1))
    ctx = RunContext(start=None, end=None, today=date(2024, 4, 14), offline=True)
    assert run_source(jma.SPEC, ctx, data_dir, HttpClient(), reload=True).ok
    con = duckdb.connect(str(warehouse_path(data_dir)), read_only=True)
    got = [t for label, t in con.execute(LATEST).fetchall() if label == datetime(2024, 4, 1, 1)]
    con.close()
    assert got == [2.0]


def test_rows_are_checked_at_once_and_a_repeated_hour_names_both_lines():
    raw = sample_like() + "2024/4/1 1:00,4.0,8,1,2.0,8,北,8,1\r\n".encode("cp932")
    with pytest.raises(ParseError, match=r"2024-04-01 01:00:00 appears twice \(line 7\)") as exc:
        parse.parse_obsdl(raw, "obsdl_hourly_s47662_x.csv")
    assert exc.value.line == 9
    bad = sample_like().replace(b",0.2,8,", b",0.2,x,")
    with pytest.raises(ParseError, match="wind_speed quality: cannot read 'x'") as exc:
        parse.parse_obsdl(bad, "obsdl_hourly_s47662_x.csv")
    assert (exc.value.line, exc.value.column) == (8, 6)
