"""JPX settlement CSV and open-interest workbooks: real samples, roots, delivery periods, plan."""

from __future__ import annotations

import dataclasses
import logging
from datetime import date

import pytest
from conftest import sample

from extract.core.archive import Archive
from extract.core.errors import FetchError, ParseError
from extract.core.http import HttpClient, Response
from extract.core.source import RunContext
from extract.sources.futures import SPEC, contracts, identify, latest_jpx_link, plan
from extract.sources.futures.jpx_oi import label_period, parse_open_interest
from extract.sources.futures.jpx_settlement import parse_settlement
from extract.sources.futures.settings import FuturesOptions

HEADER = ("Issue Code,Issue Name,Put–Call,Contract Month,Strike Price,Settlement Price,"
          "Theoretical Price,Underlying Price,Volatility ,Interest Rate,Days until Maturity,"
          "Underlying Name")
PREAMBLE = ('"— Sorted by Index Futures,JGB Futures, ….",,,,,,,,,,,,\r\n'
            '"— the issues which passed the trading date is not listed in this file.",,,,,,,,,,,'
            '\r\n\r\n\r\n')
ROWS = [  # the reference's rows (futures.md §2.2) + weekly / FY / USD-JPY shapes
    "1610900AK,FUT_RSS3_260924,,202609,,455,,,,,6,Rubber(RSS3)",
    "161060018,FUT_225_260611,,202606,,59420,59574,59513.12,,0.8944,42,Nikkei 225",
    "170260300,FUT_EEB_260330,,202603,,19.11,,,,,20,Electricity(East Base)",
    "170270300,FUT_EEB_270330,,202703,,17.43,,,,,385,Electricity(East Base)",
    "171260300,FUT_EWB_260330,,202603,,15.29,,,,,20,Electricity(West Base)",
    "180260319,FUT_EEBW_260319,,202603,,18.20,,,,,9,Electricity(Weekly East Base)",
    "190260326,FUT_EEBY_260326,,202604,,17.90,,,,,16,Electricity(FY East Base)",
    "436260911,FUT_XJPY_260911,,202609,,146.25,,,,,185,USD/JPY",
]


def rb(rows=ROWS, header=HEADER) -> bytes:
    return (PREAMBLE + header + "\r\n" + "\r\n".join(rows) + "\r\n").encode("utf-8")


def test_settlement_rows_roots_and_delivery_periods():
    t = parse_settlement(rb(), "rb_e20260310.csv")
    assert t.num_rows == len(ROWS)  # every row kept, energy or not
    rows = {r["issue_name"]: r for r in t.to_pylist()}
    assert set(t.column("trade_date").to_pylist()) == {date(2026, 3, 10)}
    eeb = rows["FUT_EEB_260330"]
    assert (eeb["root"], eeb["product_code"], eeb["settlement_price"]) == ("EEB", "EEB", 19.11)
    assert (eeb["last_trading_day"], eeb["delivery_start"], eeb["delivery_end"]) == (
        date(2026, 3, 30), date(2026, 3, 1), date(2026, 3, 31))
    # EEBW is its own weekly product, not EEB: Saturday–Friday week containing LTD + 1
    w = rows["FUT_EEBW_260319"]
    assert (w["product_code"], w["tenor_type"]) == ("EEBW", "week")
    assert (w["delivery_start"], w["delivery_end"]) == (date(2026, 3, 14), date(2026, 3, 20))
    y = rows["FUT_EEBY_260326"]
    assert (y["product_code"], y["delivery_start"], y["delivery_end"]) == (
        "EEBY", date(2026, 4, 1), date(2027, 3, 31))
    assert rows["FUT_XJPY_260911"]["product_code"] == "USDJPY"  # by underlying name [G]
    assert rows["FUT_225_260611"]["product_code"] is None
    assert rows["FUT_225_260611"]["underlying_price"] == 59513.12


def test_settlement_header_variants_and_errors():
    alt = HEADER.replace("Put–Call", "Put/Call").replace("Volatility ", "Volatility")
    assert parse_settlement(rb(header=alt), "rb_e20260310.csv").num_rows == len(ROWS)
    with pytest.raises(ParseError) as exc:
        parse_settlement(rb(ROWS[:3] + ["170,FUT_EEB_260430,,202604"] + ROWS[3:]),
                         "rb_e20260310.csv")
    assert exc.value.line == 9 and "12 fields" in str(exc.value)
    with pytest.raises(ParseError, match="Settlement Price"):
        parse_settlement(rb([ROWS[2].replace("19.11", "n/a")]), "rb_e20260310.csv")
    with pytest.raises(ParseError, match="file name"):
        parse_settlement(rb(), "settlement.csv")


def test_cp932_japanese_file_parses():
    rows = [ROWS[2].replace("Electricity(East Base)", "電力(東・ベース)")]
    # the Japanese file's exact header is unseen [G]: same 12 columns, cp932 (no em dash there)
    text = PREAMBLE.replace("—", "―") + HEADER.replace("–", "/") + "\r\n" + rows[0] + "\r\n"
    data = text.encode("cp932")
    t = parse_settlement(data, "rb20260310.csv")
    assert t.column("underlying_name")[0].as_py() == "電力(東・ベース)"
    assert t.column("file_language")[0].as_py() == "ja"


@pytest.mark.samples
def test_real_english_open_interest_workbook():
    data = sample("futures", "jpx_open_interest_e_20260210.xlsx").read_bytes()
    t = parse_open_interest(data, "20260210open_interest_e.xlsx")
    assert t.num_rows == 428
    assert set(t.column("trade_date").to_pylist()) == {date(2026, 2, 10)}
    rows = {(r["product_code"], r["contract_label"]): r for r in t.to_pylist() if r["product_code"]}
    east = rows[("EEB", "2026-04")]
    assert (east["trading_volume"], east["open_interest"], east["open_interest_change"],
            east["previous_open_interest"]) == (50, 411, 50, 361)
    assert rows[("EWB", "2026-02")]["open_interest"] == 415
    week = rows[("EEBW", "2nd week Feb. 2026")]
    assert (week["delivery_start"], week["delivery_end"]) == (date(2026, 2, 7), date(2026, 2, 13))
    fy = rows[("EEBY", "FY2026")]
    assert (fy["delivery_start"], fy["open_interest"]) == (date(2026, 4, 1), 335)
    assert rows[("DBAI", "2026-06")]["trading_volume"] == 3108
    # options, final open interest and footnotes are not futures rows
    assert not any("Options" in (s or "") for s in t.column("section").to_pylist())


@pytest.mark.samples
def test_real_japanese_open_interest_workbook():
    data = sample("futures", "jpx_open_interest_20260821.xlsx").read_bytes()
    t = parse_open_interest(data, "20260821open_interest.xlsx")
    assert t.num_rows == 499
    rows = {(r["product_name"], r["contract_label"]): r for r in t.to_pylist()}
    usd = rows[("米ドル/日本円先物", "2026年09月限")]
    assert (usd["product_code"], usd["trading_volume"], usd["open_interest"],
            usd["open_interest_change"], usd["previous_open_interest"]) == ("USDJPY", 239, 86, -98, 184)
    west = rows[("西エリア・ベースロード電力", "2026年08月限")]
    assert (west["product_code"], west["open_interest"]) == ("EWB", 415)
    # a name with a line break inside: 東エリア・日中\nロード電力
    assert rows[("東エリア・日中ロード電力", "2026年08月限")]["product_code"] == "EEP"
    week = rows[("東エリア・週間ベースロード電力", "2026年08月第4週")]
    assert (week["product_code"], week["delivery_start"], week["delivery_end"]) == (
        "EEBW", date(2026, 8, 22), date(2026, 8, 28))
    fy = rows[("東エリア・年度ベースロード電力", "2027年度")]
    assert (fy["delivery_start"], fy["open_interest"]) == (date(2027, 4, 1), 45)
    assert rows[("中部エリア・ベースロード電力", "2026年08月限")]["product_code"] == "ECB"
    assert rows[("プラッツドバイ原油", "2026年08月限")]["open_interest"] == 2279


@pytest.mark.samples
def test_identify_real_workbook_and_reject_truncated():
    data = sample("futures", "jpx_open_interest_e_20260210.xlsx").read_bytes()
    got = identify("jpx_open_interest_e_20260210.xlsx", data)
    assert (got.dataset, got.name, got.period_start) == (
        "jpx_open_interest", "20260210open_interest_e.xlsx", date(2026, 2, 10))
    with pytest.raises(ParseError, match="truncated"):
        identify("20260210open_interest_e.xlsx", data[:5000])


@pytest.mark.parametrize(("label", "tenor", "start", "end"), [
    ("3rd week Apr. 2024", "week", date(2024, 4, 13), date(2024, 4, 19)),
    ("2024年04月第3週", "week", date(2024, 4, 13), date(2024, 4, 19)),
    ("1st week Mar. 2026", "week", date(2026, 2, 28), date(2026, 3, 6)),
    ("2027年度", "fiscal_year", date(2027, 4, 1), date(2028, 3, 31)),
    ("FY2026", "fiscal_year", date(2026, 4, 1), date(2027, 3, 31)),
    ("2026年08月限", "month", date(2026, 8, 1), date(2026, 8, 31)),
])
def test_contract_labels(label, tenor, start, end):
    _, got_tenor, _, period = label_period(label)
    assert (got_tenor, period) == (tenor, (start, end))


def test_roots_are_exact_and_weeks_run_saturday_to_friday():
    roots = contracts.jpx_roots()
    assert {"EEB", "EEBW", "EEBY"} <= set(roots)
    assert roots["EEB"].tenor_type == "month" and roots["EEBW"].tenor_type == "week"
    assert contracts.jpx_delivery("week", None, date(2024, 3, 28)) == (
        date(2024, 3, 23), date(2024, 3, 29))
    assert contracts.implausible(15000, "JPY/kWh").endswith("(looks like JPY/MWh)")
    assert contracts.implausible(19.11, "JPY/kWh") is None


# ------------------------------------------------------------------------------------ plan
INDEX = (b'<html><body><a href="/english/markets/derivatives/settlement-price/'
         b'tvdivq00000014l6-att/rb_e20240412.csv">As of the setting of Settlement Prices</a>'
         b'<a href="https://example.com/rb_e20240411.csv">x</a></body></html>')


class IndexOnly(HttpClient):
    def __init__(self, body=INDEX):
        super().__init__(sleep=lambda s: None, per_host_delay=0.0)
        self.body, self.urls = body, []

    def fetch(self, source, url, **kwargs):
        self.urls.append(url)
        if url.endswith("index.html"):
            return Response(url, 200, self.body, {})
        raise FetchError(source, url, "HTTP 404", status=404)


def _ctx(tmp_path, client, start=None, feeds=("jpx",)):
    return RunContext(start=start, end=None, today=date(2024, 4, 12),
                      options=FuturesOptions(feeds=feeds), archive=Archive(tmp_path),
                      http=client.for_source("futures"))


def test_index_link_is_read_and_outside_links_are_refused():
    assert latest_jpx_link(INDEX) == (date(2024, 4, 12), "https://www.jpx.co.jp/english/markets/"
                                      "derivatives/settlement-price/tvdivq00000014l6-att/"
                                      "rb_e20240412.csv")
    assert latest_jpx_link(b'<a href="https://example.com/settlement-price/rb_e20240411.csv">') is None


def test_plan_fetches_a_trade_date_once(tmp_path):
    files = plan(_ctx(tmp_path, IndexOnly()))
    linked = [f for f in files if f.name == "rb_e20240412.csv"]
    assert len(linked) == 1 and linked[0].immutable and "tvdivq00000014l6-att" in linked[0].url
    assert {f.name for f in files} >= {"rb_e20240411.csv", "20240412open_interest_e.xlsx"}
    assert not any(f.dataset in ("eex_settlement", "ice_settlement") for f in files)
    archive = Archive(tmp_path)
    archive.store(source="futures", dataset="jpx_settlement", name="rb_e20240412.csv",
                  data=rb(), url=linked[0].url, origin="download",
                  period_start=date(2024, 4, 12), period_end=date(2024, 4, 12))
    again = plan(_ctx(tmp_path, IndexOnly()))
    assert "rb_e20240412.csv" not in {f.name for f in again}


def test_plan_falls_back_to_the_template_and_start_points_to_the_importer(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        files = plan(_ctx(tmp_path, IndexOnly(b"<html>maintenance</html>"), start=date(2020, 1, 1)))
    assert "rb_e20240412.csv" in {f.name for f in files}
    assert "only the LATEST" in caplog.text and "import futures" in caplog.text


def test_feeds_option_enables_eex_and_ice(tmp_path):
    files = plan(_ctx(tmp_path, IndexOnly(), feeds=("jpx", "eex", "ice")))
    assert {f.dataset for f in files} >= {"eex_settlement", "ice_settlement"}
    assert any(f.name == "eex_FOBM_20240412.json" for f in files)
    assert SPEC.options is FuturesOptions


def test_feeds_option_parses_and_rejects():
    from extract.core.config import OptionError, resolve_options

    opts = resolve_options("futures", FuturesOptions, {"feeds": "jpx, ice"}, environ={})
    assert opts.feeds == ("jpx", "ice")
    env = resolve_options("futures", FuturesOptions, {}, environ={"SOURCES__FUTURES__FEEDS": "eex"})
    assert env.feeds == ("eex",)
    with pytest.raises(OptionError, match="unknown feed"):
        resolve_options("futures", FuturesOptions, {"feeds": "cme"}, environ={})


def test_jpx_calendar_skips_holidays_and_year_end():
    assert not contracts.is_jpx_business_day(date(2024, 3, 20))  # 春分の日
    assert not contracts.is_jpx_business_day(date(2024, 12, 31))
    assert contracts.previous_business_days(date(2024, 3, 21), 2) == [
        date(2024, 3, 21), date(2024, 3, 19)]


def test_eex_chains_are_planned_on_eex_trading_days_only(tmp_path):
    # Good Friday and Easter Monday 2024 are closed at EEX (the rules' XECB calendar); the
    # Golden Week holidays are EEX trading days although Japan is off
    ctx = _ctx(tmp_path, IndexOnly(), feeds=("eex",))
    ctx = dataclasses.replace(ctx, start=date(2024, 3, 28), end=date(2024, 4, 2),
                              today=date(2024, 5, 7))
    days = sorted({f.period_start for f in plan(ctx) if f.dataset == "eex_settlement"})
    assert days == [date(2024, 3, 28), date(2024, 4, 2)]
    ctx = dataclasses.replace(ctx, start=date(2024, 4, 29), end=date(2024, 5, 6))
    days = sorted({f.period_start for f in plan(ctx) if f.dataset == "eex_settlement"})
    assert days == [date(2024, 4, 29), date(2024, 4, 30), date(2024, 5, 2), date(2024, 5, 3),
                    date(2024, 5, 6)]
