"""Importer (canonical CSV + vendor profiles), EEX/ICE parsing and their fetch routines against a
real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
from conftest import FIXTURES

from extract.core.archive import Archive
from extract.core.config import warehouse_path
from extract.core.errors import ExtractError, ParseError
from extract.core.http import HttpClient
from extract.core.pipeline import SourceResult, fetch_into_archive
from extract.run import main
from extract.sources.futures import SPEC, feeds, identify
from extract.sources.futures.importer import parse_import

HERE = FIXTURES / "futures"
CANONICAL = (
    "source,exchange,product_code,tenor_type,delivery_start,delivery_end,trade_date,"
    "settlement_price,currency,price_unit,extra_column\n"
    "jscc,TOCOM,EEB,month,2024-05-01,2024-05-31,2024-04-11,11.05,JPY,JPY/kWh,x\n"
    "manual,IFEU,JKM,month,2024-05-01,2024-05-31,2024-04-11,9.51,USD,USD/MMBtu,\n"
)


def test_canonical_csv_fills_area_from_the_seed():
    t = parse_import(CANONICAL.encode(), "my_history.csv")
    rows = t.to_pylist()
    assert (rows[0]["area"], rows[0]["load_profile"], rows[0]["import_format"]) == (
        "tokyo", "base", "canonical")
    assert rows[0]["layout_assumed"] is False and rows[1]["quote_type"] == "settlement"


def test_canonical_csv_errors_name_the_line():
    bad = CANONICAL.replace("11.05", "15000")
    with pytest.raises(ParseError) as exc:
        parse_import(bad.encode(), "my_history.csv")
    assert exc.value.line == 2 and "JPY/MWh" in str(exc.value)
    with pytest.raises(ParseError, match="tenor_type"):
        parse_import(CANONICAL.replace(",month,2024-05-01,2024-05-31,2024-04-11,11.05",
                                       ",monthly,2024-05-01,2024-05-31,2024-04-11,11.05").encode(),
                     "x.csv")


def test_bloomberg_profile_reads_the_ticker():
    path = HERE / "bloomberg_JKMK4 Comdty.csv"
    rows = parse_import(path.read_bytes(), path.name).to_pylist()
    assert len(rows) == 3
    r = rows[0]
    assert (r["exchange"], r["product_code"], r["delivery_start"], r["trade_date"]) == (
        "IFEU", "JKM", date(2024, 5, 1), date(2024, 4, 10))
    assert (r["settlement_price"], r["price_unit"], r["open_interest"]) == (9.512, "USD/MMBtu", 40211)
    assert r["import_format"] == "bloomberg_px" and r["layout_assumed"] is True
    assert rows[2]["volume"] is None


def test_eex_and_ice_profiles():
    eex = parse_import((HERE / "eex_eod_20240411.csv").read_bytes(), "eex_eod_20240411.csv")
    got = {r["product_code"]: r for r in eex.to_pylist()}
    assert set(got) == {"FOBM", "FQBM", "FOBY"}  # a name mapped through value_maps
    assert (got["FQBM"]["area"], got["FOBY"]["tenor_type"]) == ("kansai", "year")
    ice = parse_import((HERE / "ice_settlement_20240411.csv").read_bytes(), "ice.csv").to_pylist()
    assert [(r["product_code"], r["delivery_start"], r["exchange"]) for r in ice] == [
        ("TFM", date(2024, 5, 1), "ICE_ENDEX"), ("TFM", date(2024, 6, 1), "ICE_ENDEX"),
        ("NCF", date(2024, 5, 1), "IFEU")]  # the option row (CONTRACT TYPE C) is skipped


def test_an_unknown_layout_lists_columns_and_profiles():
    data = b"When,Price,Qty\n2024-04-01,10,1\n"
    with pytest.raises(ParseError) as exc:
        identify("prices.csv", data)
    msg = str(exc.value)
    assert "['When', 'Price', 'Qty']" in msg
    for name in ("canonical", "bloomberg_px", "eex_eod", "ice_settlement"):
        assert name in msg


def test_import_command_loads_fixtures_and_rejects_unknown(tmp_path, data_dir):
    good = tmp_path / "hist.csv"
    good.write_text(CANONICAL)
    bad = tmp_path / "bad.csv"
    bad.write_text("When,Price\n2024-04-01,10\n")
    assert main(["import", "futures", str(good), str(HERE / "eex_eod_20240411.csv"),
                 "--data-dir", str(data_dir)]) == 0
    assert main(["import", "futures", str(bad), "--data-dir", str(data_dir)]) == 1
    import duckdb

    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    n = con.execute("select count(*) from raw_futures.imported_settlement").fetchone()[0]
    con.close()
    assert n == 5


def test_eex_unit_plausibility_points_to_the_importer():
    doc = {"results": {"items": [{"gv.pricesymbol": "/E.FOBMK24", "gv.displaydate": "04/12/2024",
                                  "gv.eexdeliverystart": "05/01/2024", "close": 15000}]}}
    with pytest.raises(ParseError) as exc:
        feeds.parse_eex(json.dumps(doc).encode(), "eex_FOBM_20240412.json")
    assert "JPY/MWh" in str(exc.value) and "import futures" in str(exc.value)
    empty = feeds.parse_eex(b'{"results": null}', "eex_FOBM_20240330.json")
    assert empty.num_rows == 0  # a non-trading day


# ------------------------------------------------------------------- a local chart service
BARS = [["Thu Apr 11 00:00:00 2024", 27.9], ["Fri Apr 12 00:00:00 2024", 28.2]]


class Charts(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        url = urlsplit(self.path)
        q = parse_qs(url.query)
        self.server.log.append(url.path)
        if url.path.endswith("contract-data"):
            body = [] if self.server.renumbered else [
                {"marketId": 1, "marketStrip": "May24", "endDate": 1, "lastPrice": 28.2},
                {"marketId": 2, "marketStrip": "Q3 24", "endDate": 2, "lastPrice": 29.0},
            ]
        elif url.path.endswith("historical"):
            body = {"bars": BARS}  # as futures.md §4 quotes it: no marketId in the answer
        elif url.path.endswith("getChain/"):
            if self.server.token_required:
                self.send_response(403)
                self.end_headers()
                return
            body = {"results": {"items": [{"gv.pricesymbol": "/E.FOBMK24",
                                           "gv.displaydate": "04/12/2024",
                                           "gv.eexdeliverystart": "05/01/2024", "close": 11.1}]}}
        else:
            self.send_response(404)
            self.end_headers()
            return
        # the service's own spacing and key order: a re-serialised copy would differ
        data = json.dumps(body, indent=3, sort_keys=False).replace("\n", "\r\n").encode()
        self.server.sent.append((url.path, q, data))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def charts(monkeypatch):
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Charts)
    srv.log, srv.sent, srv.renumbered, srv.token_required = [], [], False, False
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_port}"
    monkeypatch.setattr(feeds, "ICE_CONTRACTS_URL", f"{base}/charting/contract-data")
    monkeypatch.setattr(feeds, "ICE_HISTORY_URL", f"{base}/charting/data/historical")
    monkeypatch.setattr(feeds, "EEX_CHAIN_URL", f"{base}/query/json/getChain/")
    yield srv
    srv.shutdown()


def _run(files, tmp_path: Path) -> tuple[SourceResult, Archive]:
    archive = Archive(tmp_path / "archive")
    result = SourceResult("futures")
    client = HttpClient(sleep=lambda s: None, per_host_delay=0.0, max_attempts=1)
    fetch_into_archive(SPEC, files, archive, client, result)
    return result, archive


def test_ice_answers_are_archived_byte_for_byte_and_parsed_from_the_archive(charts, tmp_path):
    result, archive = _run([feeds.ice_remote("TFM", date(2024, 4, 12), span=1)], tmp_path)
    assert result.ok and result.downloaded == 2, result.errors
    assert charts.log == ["/charting/contract-data", "/charting/data/historical"]  # no pack
    listing = archive.latest("futures", "ice_contracts", "ice_TFM_20240412_contracts.json")
    history = archive.latest("futures", "ice_settlement", "ice_TFM_20240412_May24_1.json")
    (_, _, sent_listing), (_, q, sent_history) = charts.sent
    assert q["marketId"] == ["1"]
    # each HTTP answer is its own archive entry, exactly the bytes the server sent
    assert archive.read(listing) == sent_listing and archive.read(history) == sent_history
    assert "productId=4331" in listing.url and "marketId=1" in history.url
    assert {e.name for e in archive.entries("futures")} == {listing.name, history.name}
    listed = feeds.parse_ice_contracts(archive.read(listing), listing.path).to_pylist()
    assert [(r["listed_on"], r["market_id"], r["market_strip"], r["last_price"]) for r in listed
            ] == [(date(2024, 4, 12), 1, "May24", 28.2), (date(2024, 4, 12), 2, "Q3 24", 29.0)]
    rows = feeds.parse_ice(archive.read(history), history.path).to_pylist()
    assert [(r["trade_date"], r["settlement_price"], r["quote_type"], r["market_strip"],
             r["market_id"], r["delivery_end"]) for r in rows] == [
        (date(2024, 4, 11), 27.9, "chart_daily_value", "May24", 1, date(2024, 5, 31)),
        (date(2024, 4, 12), 28.2, "chart_daily_value", "May24", 1, date(2024, 5, 31))]


def test_ice_offline_replay_loads_the_archived_answers(charts, tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("PMD_DATA_DIR", str(data))
    result, _ = _run([feeds.ice_remote("TFM", date(2024, 4, 12), span=1)], data)
    assert result.ok, result.errors
    charts.shutdown()  # nothing may be asked from the network now
    assert main(["futures", "--offline", "--data-dir", str(data)]) == 0
    con = duckdb.connect(str(warehouse_path(data)), read_only=True)
    rows = con.execute("select market_strip, trade_date, settlement_price, _source_file from "
                       "raw_futures.ice_settlement order by trade_date").fetchall()
    extents = con.execute("select name, first_data, last_data, rows from "
                          "raw_futures.pmd_file_extents where dataset = 'ice_settlement'"
                          ).fetchall()
    con.close()
    assert [r[:3] for r in rows] == [("May24", date(2024, 4, 11), 27.9),
                                     ("May24", date(2024, 4, 12), 28.2)]
    assert all("ice_TFM_20240412_May24_1@" in r[3] for r in rows)
    con = duckdb.connect(str(warehouse_path(data)), read_only=True)
    listed = con.execute("select market_id, market_strip from raw_futures.ice_contracts "
                         "order by market_id").fetchall()
    con.close()
    assert listed == [(1, "May24"), (2, "Q3 24")]
    assert [(e[0], e[1].date(), e[2].date(), e[3]) for e in extents] == [
        ("ice_TFM_20240412_May24_1.json", date(2024, 4, 11), date(2024, 4, 12), 2)]


def test_legacy_ice_bundles_still_parse():
    bundle = {"product_code": "JKM", "contract_data": [{"marketId": 7, "marketStrip": "Jun24"}],
              "historical": [{"marketId": 7, "bars": BARS}]}
    rows = feeds.parse_ice(json.dumps(bundle).encode(), "ice_JKM_20240412.json").to_pylist()
    assert [(r["market_strip"], r["settlement_price"]) for r in rows] == [("Jun24", 27.9),
                                                                          ("Jun24", 28.2)]


def test_ice_bodies_of_the_wrong_shape_are_clear_errors():
    with pytest.raises(ParseError, match="bars"):
        feeds.parse_ice(b'{"data": []}', "ice_TFM_20240412_May24_1.json")
    with pytest.raises(ParseError, match="ice_contracts dataset"):
        feeds.parse_ice(b'{"bars": []}', "ice_TFM_20240412_contracts.json")
    with pytest.raises(ParseError, match="contract-data list"):
        feeds.parse_ice_contracts(b'{"bars": []}', "ice_TFM_20240412_contracts.json")
    found = identify("ice_JKM_20240412_contracts.json", b'[{"marketId": 5, "marketStrip": "May24"}]')
    assert (found.dataset, found.period_start) == ("ice_contracts", date(2024, 4, 12))
    with pytest.raises(ParseError, match="named"):
        feeds.parse_ice(b'{"bars": []}', "chart.json")
    found = identify("ice_NCF_20240412_Jul24_99.json", json.dumps({"bars": BARS}).encode())
    assert (found.dataset, found.period_start, found.period_end) == (
        "ice_settlement", date(2024, 4, 11), date(2024, 4, 12))


def test_ice_empty_catalogue_and_eex_token_are_clear_errors(charts, tmp_path):
    charts.renumbered, charts.token_required = True, True
    result, _ = _run([feeds.ice_remote("JKM", date(2024, 4, 12), span=1),
                      feeds.eex_remote("FOBM", date(2024, 4, 12), immutable=True)], tmp_path)
    assert len(result.errors) == 2
    assert "no contracts" in result.errors[0] and "import futures" in result.errors[0]
    assert "HTTP 403" in result.errors[1] and "import futures" in result.errors[1]


def test_eex_chain_is_fetched_with_the_website_headers(charts, tmp_path):
    result, archive = _run([feeds.eex_remote("FOBM", date(2024, 4, 12), immutable=True)], tmp_path)
    assert result.ok, result.errors
    entry = archive.latest("futures", "eex_settlement", "eex_FOBM_20240412.json")
    t = feeds.parse_eex(archive.read(entry), entry.path)
    assert t.column("delivery_end")[0].as_py() == date(2024, 5, 31)


def test_identify_rejects_json_of_unknown_shape():
    with pytest.raises(ExtractError):
        identify("x.json", b'{"data": []}')
