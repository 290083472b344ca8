"""JPX final settlement prices page (special quotations).

No real copy of the page exists (futures.md §2.4 quotes its purpose and values, not its markup):
the layout is ASSUMED, so these tests pin the parser's tolerance — header text instead of
positions, merged cells, exact roots, weekly contracts — and that a page it cannot read is a
clear ParseError naming the file, not silence.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from extract.core.archive import Archive
from extract.core.errors import ParseError
from extract.core.source import RunContext
from extract.sources.futures import identify, plan, validate
from extract.sources.futures.importer import parse_import
from extract.sources.futures.settings import FuturesOptions
from extract.sources.futures.special_quotation import (
    contract_period,
    parse_special_quotation,
    role,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from demo_sources import futures as demo  # noqa: E402

NAME = "special_quotation_20240405.html"


def page(*tables: str, before: str = "<h3>Energy: TOCOM Market</h3>") -> bytes:
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Final Settlement Prices"
            f"</title></head><body>{before}{''.join(tables)}</body></html>").encode()


def table(head: list[str], *rows: str) -> str:
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "\n".join(rows)
    return f"<table>\n<thead><tr>{th}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def tr(*cells: str) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def test_demo_page_weekly_monthly_and_fuels():
    t = parse_special_quotation(demo.sq_page(date(2024, 4, 5)), NAME)
    rows = {r["product_code"]: r for r in t.to_pylist()}
    assert set(rows) == {"EEB", "EEP", "EWB", "EWP", "EEBW", "EEPW", "EWBW", "EWPW", "LNG",
                         "DBAI"}
    assert set(t.column("page_date").to_pylist()) == {date(2024, 4, 5)}
    assert all(t.column("layout_assumed").to_pylist())
    # the contract week cell spans the four weekly rows (rowspan): Saturday–Friday
    for code in ("EEBW", "EEPW", "EWBW", "EWPW"):
        w = rows[code]
        assert (w["tenor_type"], w["delivery_start"], w["delivery_end"]) == (
            "week", date(2024, 3, 30), date(2024, 4, 5))
        assert (w["last_trading_day"], w["final_settlement_day"]) == (
            date(2024, 4, 4), date(2024, 4, 5))
        assert w["contract_label"] == "1st week Apr. 2024"
    assert rows["EEBW"]["final_settlement_price"] == demo.jepx_average(
        "EEB", date(2024, 3, 30), date(2024, 4, 5))
    m = rows["EEB"]
    assert (m["delivery_start"], m["delivery_end"], m["final_settlement_day"]) == (
        date(2024, 3, 1), date(2024, 3, 31), date(2024, 4, 1))
    assert rows["LNG"]["price_text"].count(",") == 1  # "1,409.2" as printed
    assert rows["LNG"]["final_settlement_price"] == pytest.approx(1409.2)
    assert rows["DBAI"]["final_settlement_price"] == 81070.0
    assert rows["EEBW"]["section"] == "Electricity Futures (Weekly)"


def test_roots_are_exact_in_issue_names_and_code_cells():
    body = page(table(
        ["Issue Name", "Contract Month", "Final Settlement Price"],
        tr("FUT_EEBW_240328", "", "12.14"),
        tr("FUT_EEB_240328", "202403", "12.30"),
        tr("FUT_EEBY_250326", "", "13.00"),
    ), table(["Code", "Product", "Contract", "SQ"], tr("EWPW", "West Peak (Weekly)",
                                                        "2024/03/23-2024/03/29", "15.55")))
    rows = {r["issue_name"] or r["root"]: r for r in
            parse_special_quotation(body, NAME).to_pylist()}
    w = rows["FUT_EEBW_240328"]
    assert (w["root"], w["product_code"], w["delivery_start"], w["delivery_end"]) == (
        "EEBW", "EEBW", date(2024, 3, 23), date(2024, 3, 29))
    assert (rows["FUT_EEB_240328"]["product_code"], rows["FUT_EEB_240328"]["delivery_end"]) == (
        "EEB", date(2024, 3, 31))
    assert (rows["FUT_EEBY_250326"]["product_code"], rows["FUT_EEBY_250326"]["delivery_start"]) \
        == ("EEBY", date(2025, 4, 1))
    ewpw = rows["EWPW"]  # a cell that IS a root
    assert (ewpw["product_code"], ewpw["delivery_end"]) == ("EWPW", date(2024, 3, 29))


def test_names_headers_in_td_product_carried_down_and_week_under_monthly_name():
    body = page("""<table>
      <tr><td>Underlying</td><td>Contract Month / Week</td><td>SQ Date</td>
          <td>Final Settlement Price (yen)</td></tr>
      <tr><td>East Area Baseload Electricity</td><td>Mar. 2024</td><td>Apr. 1, 2024</td>
          <td>12.01</td></tr>
      <tr><td></td><td>2024/03/23-2024/03/29</td><td>2024/03/29</td><td>12.14 yen</td></tr>
      <tr><td>Gasoline</td><td>Apr. 2024</td><td>2024/04/01</td><td>88,000</td></tr>
      <tr><td>West Area Peakload Electricity</td><td>March 2024</td><td>2024/04/01</td>
          <td>-</td></tr>
    </table>""")
    rows = parse_special_quotation(body, NAME).to_pylist()
    month, week, gasoline, nothing = rows
    assert (month["product_code"], month["final_settlement_day"]) == ("EEB", date(2024, 4, 1))
    # no product name on the row: the one above carries down; a week is the weekly product
    assert (week["product_name"], week["product_code"], week["delivery_end"]) == (
        "East Area Baseload Electricity", "EEBW", date(2024, 3, 29))
    assert week["final_settlement_price"] == 12.14
    assert gasoline["product_code"] is None and gasoline["final_settlement_price"] == 88000.0
    assert nothing["product_code"] == "EWP" and nothing["final_settlement_price"] is None


@pytest.mark.parametrize("label, tenor, start, end", [
    ("Mar. 2024", "month", date(2024, 3, 1), date(2024, 3, 31)),
    ("September 2024", "month", date(2024, 9, 1), date(2024, 9, 30)),
    ("2024/03", "month", date(2024, 3, 1), date(2024, 3, 31)),
    ("202403", "month", date(2024, 3, 1), date(2024, 3, 31)),
    ("2024年03月限", "month", date(2024, 3, 1), date(2024, 3, 31)),
    ("1st week Apr. 2024", "week", date(2024, 3, 30), date(2024, 4, 5)),
    ("2024年04月第2週", "week", date(2024, 4, 6), date(2024, 4, 12)),
    ("FY2026", "fiscal_year", date(2026, 4, 1), date(2027, 3, 31)),
])
def test_contract_labels(label, tenor, start, end):
    assert contract_period(label) == (tenor, (start, end))


def test_header_roles():
    assert role("Final Settlement Price<br>(JPY/kWh)") == "price"
    assert role("Special Quotation") == "price"
    assert role("Final Settlement Day") == "fsd"
    assert role("Last Trading Day") == "ltd"
    assert role("Contract Month") == "contract"
    assert role("Product") == "product"
    assert role("Remarks") is None


def test_unknown_layouts_are_parse_errors_naming_the_file():
    with pytest.raises(ParseError, match=f"{NAME}.*no table with a 'Final Settlement Price'"):
        parse_special_quotation(page(table(["Product", "Price"], tr("LNG", "1,333.3"))), NAME)
    with pytest.raises(ParseError, match="no contract column"):
        parse_special_quotation(page(table(["Product", "Final Settlement Price"],
                                           tr("LNG", "1,333.3"))), NAME)
    with pytest.raises(ParseError, match="'to be announced' is not a number") as err:
        parse_special_quotation(page(table(["Product", "Contract Month",
                                            "Final Settlement Price"],
                                           tr("LNG", "Apr. 2024", "to be announced"))), NAME)
    assert err.value.line == 4  # the row's line in the page
    with pytest.raises(ParseError, match="contract 'next month' is none of the known forms"):
        parse_special_quotation(page(table(["Product", "Contract Month",
                                            "Final Settlement Price"],
                                           tr("LNG", "next month", "1,333.3"))), NAME)
    with pytest.raises(ParseError, match="special_quotation_YYYYMMDD.html"):
        parse_special_quotation(demo.sq_page(date(2024, 4, 5)), "sq.html")


def test_validate_refuses_an_error_page_but_keeps_the_assumed_one():
    from extract.core.archive import RemoteFile

    rf = RemoteFile(source="futures", dataset="special_quotation", name=NAME, url="x",
                    period_start=date(2024, 4, 5), period_end=date(2024, 4, 5), immutable=False)
    validate(rf, demo.sq_page(date(2024, 4, 5)))  # HTML is this dataset's format
    with pytest.raises(ParseError, match="no table mentioning"):
        validate(rf, b"<html><body>Service temporarily unavailable</body></html>")


def test_identify_by_name():
    found = identify(NAME, demo.sq_page(date(2024, 4, 5)))
    assert (found.dataset, found.period_start) == ("special_quotation", date(2024, 4, 5))


def _ctx(tmp_path, today=date(2024, 4, 5), end=None):
    return RunContext(start=None, end=end, today=today, options=FuturesOptions(),
                      archive=Archive(tmp_path), http=None)


def test_plan_fetches_the_page_once_a_day_and_never_for_the_past(tmp_path):
    files = [f for f in plan(_ctx(tmp_path)) if f.dataset == "special_quotation"]
    assert [(f.name, f.immutable) for f in files] == [(NAME, False)]
    assert "special-quotation" in files[0].url
    Archive(tmp_path).store(source="futures", dataset="special_quotation", name=NAME,
                            data=demo.sq_page(date(2024, 4, 5)), url=files[0].url,
                            origin="download", period_start=date(2024, 4, 5),
                            period_end=date(2024, 4, 5))
    assert not [f for f in plan(_ctx(tmp_path)) if f.dataset == "special_quotation"]
    # the page has no history: an --end in the past asks for nothing
    past = plan(_ctx(tmp_path, today=date(2024, 4, 8), end=date(2024, 4, 1)))
    assert not [f for f in past if f.dataset == "special_quotation"]


def test_canonical_import_carries_final_settlements():
    csv = ("source,exchange,product_code,tenor_type,delivery_start,delivery_end,trade_date,"
           "settlement_price,currency,price_unit,quote_type\n"
           "jscc,TOCOM,EEBW,week,2024-03-23,2024-03-29,2024-03-29,12.14,JPY,JPY/kWh,"
           "final_settlement\n"
           "jscc,TOCOM,EEBW,week,2024-03-23,2024-03-29,2024-03-28,12.50,JPY,JPY/kWh,\n")
    t = parse_import(csv.encode(), "jscc_final.csv")
    assert t.column("quote_type").to_pylist() == ["final_settlement", "settlement"]
    with pytest.raises(ParseError, match="quote_type 'sq' is not one of"):
        parse_import(csv.replace("final_settlement", "sq").encode(), "jscc_final.csv")
