"""JEPX spot parsers on the real files (exact row counts and values) and on bad input."""

from __future__ import annotations

from datetime import date

import pyarrow.compute as pc
import pytest
from conftest import FIXTURES, sample

from extract.core.errors import ParseError
from extract.sources.jepx import (
    identify,
    parse_intraday,
    parse_spot_market_excel,
    parse_spot_summary,
)


def _row(table, day: date, code: int) -> dict:
    mask = pc.and_(pc.equal(table["delivery_date"], day), pc.equal(table["time_code"], code))
    rows = table.filter(mask).to_pylist()
    assert len(rows) == 1
    return rows[0]


@pytest.mark.samples
@pytest.mark.parametrize(
    ("name", "rows", "first", "last"),
    [
        ("spot_summary_2005.csv", 17_472, date(2005, 4, 2), date(2006, 3, 31)),
        ("spot_summary_2018.csv", 17_520, date(2018, 4, 1), date(2019, 3, 31)),
        ("spot_summary_2024.csv", 17_520, date(2024, 4, 1), date(2025, 3, 31)),
        ("spot_summary_2025.csv", 6_000, date(2025, 4, 1), date(2025, 8, 3)),  # CRLF, partial
    ],
)
def test_real_spot_summary_row_counts(name, rows, first, last):
    table = parse_spot_summary(sample("jepx", name).read_bytes(), name)
    assert table.num_rows == rows
    assert pc.min(table["delivery_date"]).as_py() == first
    assert pc.max(table["delivery_date"]).as_py() == last
    assert pc.min(table["time_code"]).as_py() == 1
    assert pc.max(table["time_code"]).as_py() == 48


@pytest.mark.samples
def test_real_fy2018_values_and_hokkaido_suspension():
    table = parse_spot_summary(sample("jepx", "spot_summary_2018.csv").read_bytes(), "fy2018")
    row = _row(table, date(2018, 9, 10), 1)
    assert row["system_price_jpy_kwh"] == 7.00
    assert row["area_price_hokkaido_jpy_kwh"] is None  # suspended: NULL, never 0
    assert row["area_price_tohoku_jpy_kwh"] == 8.29
    assert row["area_price_kyushu_jpy_kwh"] == 6.05
    assert row["sell_bid_volume_kwh"] == 11_028_500
    assert row["buy_block_contract_volume_kwh"] == 2_049_000
    null_hokkaido = table.filter(pc.is_null(table["area_price_hokkaido_jpy_kwh"]))
    assert null_hokkaido.num_rows == 960
    assert pc.min(null_hokkaido["delivery_date"]).as_py() == date(2018, 9, 7)
    assert pc.max(null_hokkaido["delivery_date"]).as_py() == date(2018, 9, 26)
    assert pc.sum(pc.is_null(table["system_price_jpy_kwh"])).as_py() == 0


@pytest.mark.samples
def test_real_fy2024_first_and_last_rows():
    table = parse_spot_summary(sample("jepx", "spot_summary_2024.csv").read_bytes(), "fy2024")
    first = _row(table, date(2024, 4, 1), 1)
    assert first["system_price_jpy_kwh"] == 8.57
    assert first["area_price_hokuriku_jpy_kwh"] == 7.15
    assert first["contract_volume_kwh"] == 10_474_250
    last = _row(table, date(2025, 3, 31), 48)
    assert last["area_price_shikoku_jpy_kwh"] == 8.57
    assert last["system_price_jpy_kwh"] == 13.09


@pytest.mark.samples
def test_real_fy2005_empty_block_columns_are_null():
    table = parse_spot_summary(sample("jepx", "spot_summary_2005.csv").read_bytes(), "fy2005")
    assert pc.all(pc.is_null(table["sell_block_bid_volume_kwh"])).as_py()
    assert _row(table, date(2005, 4, 2), 1)["contract_volume_kwh"] == 0


@pytest.mark.samples
@pytest.mark.parametrize(
    "name", ["spot_2021_market_excel_excerpt.cp932.csv", "spot_2019_market_excel_excerpt.utf8.csv"]
)
def test_real_market_excel_family_both_encodings(name):
    table = parse_spot_market_excel(sample("jepx", name).read_bytes(), name)
    assert table.num_rows == 48
    row = table.to_pylist()[0]
    if "2021" in name:  # cp932 bytes, full-width （） in the FIP names
        assert row["fip_reference_price_chubu_jpy_kwh"] == 6.32
        assert row["alpha_upper_x_avg_price_jpy_kwh"] == 505.20
        assert row["sell_block_bid_volume_kwh"] == 6_444_650
    else:  # FY2019: 32-column layout, no FIP/block columns → NULL
        assert row["avoidable_cost_chugoku_jpy_kwh"] == 5.76
        assert row["fip_reference_price_national_jpy_kwh"] is None
        assert row["alpha_lower_x_avg_price_jpy_kwh"] == 1.37


def test_fixture_parses_without_shared():
    data = (FIXTURES / "jepx" / "spot_summary_2018_hokkaido_suspended.csv").read_bytes()
    table = parse_spot_summary(data, "fixture")
    assert table.num_rows == 3
    rows = table.to_pylist()
    assert rows[0]["area_price_hokkaido_jpy_kwh"] is not None
    assert rows[1]["area_price_hokkaido_jpy_kwh"] is None
    assert rows[1]["system_price_jpy_kwh"] == 9.42


def test_crlf_and_bom_and_cp932_are_accepted():
    data = (FIXTURES / "jepx" / "spot_summary_2024_head.csv").read_bytes()
    text = data.decode("utf-8")
    for variant in (
        text.replace("\n", "\r\n").encode("utf-8"),
        b"\xef\xbb\xbf" + data,
        text.encode("cp932"),
    ):
        table = parse_spot_summary(variant, "variant")
        assert table.num_rows == 3
        assert table["system_price_jpy_kwh"][0].as_py() == 8.57


def test_columns_found_by_name_not_position():
    lines = (FIXTURES / "jepx" / "spot_summary_2024_head.csv").read_text("utf-8").splitlines()
    cells = [line.split(",") for line in lines]
    order = list(reversed(range(len(cells[0]))))
    shuffled = "\n".join(",".join(row[i] for i in order) for row in cells) + "\n"
    # full-width brackets in a renamed header still match (NFKC)
    shuffled = shuffled.replace("システムプライス(円/kWh)", "システムプライス（円／kWh）")
    table = parse_spot_summary(shuffled.encode("utf-8"), "shuffled")
    assert table.column_names[:2] == ["delivery_date", "time_code"]
    assert table["system_price_jpy_kwh"][0].as_py() == 8.57
    assert table["area_price_hokuriku_jpy_kwh"][0].as_py() == 7.15


def test_market_excel_fixture_cp932():
    data = (FIXTURES / "jepx" / "spot_2021_market_excel_head.cp932.csv").read_bytes()
    table = parse_spot_market_excel(data, "fixture")
    assert table.num_rows == 2
    assert table["fip_reference_price_national_jpy_kwh"][0].as_py() == 5.64


# ---- bad input: clear errors naming source, file, line and column ------------------------

def _head() -> bytes:
    return (FIXTURES / "jepx" / "spot_summary_2024_head.csv").read_bytes()


def test_html_error_page_is_rejected():
    page = b"<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head></html>"
    with pytest.raises(ParseError) as err:
        parse_spot_summary(page, "spot_summary_2024.csv")
    msg = str(err.value)
    assert "[jepx] spot_summary_2024.csv, line 1" in msg
    assert "HTML" in msg and "503 Service Unavailable" in msg


def test_unknown_header_is_rejected():
    with pytest.raises(ParseError, match=r"line 1: header has none of the expected columns"):
        parse_spot_summary(b"a,b,c\n1,2,3\n", "weird.csv")


def test_missing_required_column_is_named():
    text = _head().decode("utf-8").replace("システムプライス", "システム価格")
    with pytest.raises(ParseError, match=r"システムプライス"):
        parse_spot_summary(text.encode("utf-8"), "renamed.csv")


def test_truncated_file_names_the_line():
    data = _head()
    cut = data[: data.rindex(b",") - 40]  # cut in the middle of the last row
    with pytest.raises(ParseError) as err:
        parse_spot_summary(cut, "spot_summary_2024.csv")
    assert err.value.line == 4
    assert "truncated" in str(err.value)


def test_non_numeric_price_names_line_and_column():
    text = _head().decode("utf-8").splitlines()
    cells = text[2].split(",")
    cells[5] = "8.5x"
    text[2] = ",".join(cells)
    with pytest.raises(ParseError) as err:
        parse_spot_summary(("\n".join(text) + "\n").encode("utf-8"), "spot_summary_2024.csv")
    assert err.value.line == 3
    assert err.value.column == "システムプライス(円/kWh)"
    assert "'8.5x'" in str(err.value)


def test_mis_encoded_file_is_rejected():
    data = _head().decode("utf-8").encode("utf-16")
    with pytest.raises(ParseError, match="cannot decode|none of the expected"):
        parse_spot_summary(data, "utf16.csv")


def test_time_code_out_of_range():
    text = _head().decode("utf-8").replace("2024/04/01,3,", "2024/04/01,49,")
    with pytest.raises(ParseError, match=r"line 4: .*time code outside 1..48"):
        parse_spot_summary(text.encode("utf-8"), "x.csv")


def test_identify_tells_the_families_apart():
    ident = identify("spot_summary_2024.csv", _head())
    assert (ident.dataset, ident.period_start, ident.period_end) == (
        "spot_summary", date(2024, 4, 1), date(2024, 4, 1))
    excel = (FIXTURES / "jepx" / "spot_2021_market_excel_head.cp932.csv").read_bytes()
    assert identify("spot_2021.csv", excel).dataset == "spot_market_excel"
    with pytest.raises(ParseError, match="not a JEPX spot or intraday file"):
        identify("x.csv", b"foo,bar\n1,2\n")


@pytest.mark.samples
def test_real_intraday_fy2024():
    table = parse_intraday(sample("jepx", "intraday_2024.csv").read_bytes(), "intraday_2024.csv")
    assert table.num_rows == 17_520
    first = _row(table, date(2024, 4, 1), 1)
    assert (first["open_price_jpy_kwh"], first["high_price_jpy_kwh"], first["low_price_jpy_kwh"],
            first["close_price_jpy_kwh"], first["average_price_jpy_kwh"]) == (10.10, 11.02, 7.05, 7.39, 10.16)
    assert (first["contract_volume_kwh"], first["trade_count"]) == (128_800, 53)
    assert _row(table, date(2025, 3, 31), 48)["trade_count"] == 130


def test_intraday_slot_without_trades_is_null_not_zero():
    # the reference quotes FY2016's "2016/04/01,2,,,,,,,0": no trades -> empty cells
    text = (FIXTURES / "jepx" / "intraday_2024_head.csv").read_text("utf-8")
    text += "2024/04/01,3,,,,,,,0\n"
    table = parse_intraday(text.encode("utf-8"), "intraday.csv")
    row = table.to_pylist()[2]
    assert row["average_price_jpy_kwh"] is None and row["contract_volume_kwh"] is None
    assert row["trade_count"] == 0
    assert identify("intraday_2024.csv", text.encode("utf-8")).dataset == "intraday"
