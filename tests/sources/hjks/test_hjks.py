"""HJKS: the real unit list, the tolerant outage reader, the plan, and the session + CSRF
handshake against a local HTTP server (never the internet)."""

from __future__ import annotations

import threading
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from conftest import sample

from extract.core.archive import Archive, RemoteFile
from extract.core.errors import ParseError
from extract.core.http import HttpClient
from extract.core.pipeline import SourceResult, fetch_into_archive
from extract.core.source import RunContext
from extract.sources.hjks import SPEC, identify, plan
from extract.sources.hjks.fetch import csrf_token, download
from extract.sources.hjks.parse import (
    OUTAGE_COLUMNS,
    OUTAGE_DATETIMES,
    parse_outages,
    parse_units,
    read_hjks_csv,
    schema,
)
from extract.sources.hjks.settings import HOST, HjksOptions

HEADER = ("エリア,発電事業者,発電所コード,発電所名,発電形式,ユニット名,認可出力,停止区分,種別,低下量,停止日時,"
          "復旧見通し,復旧予定日,停止原因,最終更新日時")


@pytest.mark.samples
def test_real_unit_list_excerpt():
    data = sample("jepx", "hjks_unit_list_excerpt.utf8.csv").read_bytes()
    table = parse_units(data, "hjks_units.csv")
    assert table.num_rows == 27  # 12 header names, 13 fields a row (trailing comma)
    rows = {(r["plant_code"], r["unit_name"]): r for r in table.to_pylist()}
    tomari = rows[("10001", "１号機")]
    assert tomari["area_name"] == "北海道" and tomari["authorised_capacity_kw"] == 579000
    assert tomari["operation_start_date"] == date(1900, 1, 1)  # sentinel kept in raw
    assert tomari["operation_end_date"] == date(9999, 12, 31)
    assert tomari["last_updated_jst"] == datetime(2016, 4, 12, 19, 23)
    assert rows[("10203", "１号機")]["operation_end_date"] == date(2027, 3, 31)
    assert rows[("15775", "1")]["generation_type"] is None  # empty 発電形式
    assert rows[("2A129", "５号機ＳＴ")]["authorised_capacity_kw"] == 141900  # alphanumeric code
    assert identify("hjks_units.csv", data).dataset == "units"
    assert table.schema == SPEC.datasets["units"].schema  # declared without parsing


def test_declared_schemas_are_what_the_reader_returns():
    """The datasets' schemas are declared (built at import, without parsing); the reader gives
    a header-only file exactly those types."""
    header_only = (HEADER + "\n").encode("utf-8")
    assert parse_outages(header_only, "o.csv").schema == SPEC.datasets["outages"].schema
    assert read_hjks_csv(header_only, OUTAGE_COLUMNS, "o.csv", OUTAGE_DATETIMES).schema == \
        schema(OUTAGE_COLUMNS, OUTAGE_DATETIMES)


def test_outages_tab_kw_suffix_embedded_newline_dash_and_thousands():
    header = HEADER.replace("認可出力", "認可出力(kW)").replace("低下量", "低下量（kW）").replace(",", "\t")
    row = "\t".join(["北海道", "北海道電力(株)", "10006", "苫東厚真発電所", "火力(石炭)", "１号機",
                     "350,000", "出力低下", "設備故障", "120,000", "2024/03/28 14:30", "あり",
                     "2024/04/05", '"ボイラー\n水漏れ"', "2024/03/29 10:00"])
    other = row.replace("120,000", "－").replace("2024/03/28 14:30", "2024/03/30 00:00")
    data = f"{header}\r\n{row}\t\r\n{other}\t\r\n".encode("cp932")
    table = parse_outages(data, "outages.csv")
    first, second = table.to_pylist()
    assert first["derating_kw"] == 120000 and first["authorised_capacity_kw"] == 350000
    assert first["outage_reason"] == "ボイラー\n水漏れ"
    assert first["expected_recovery_jst"] == datetime(2024, 4, 5)
    assert second["derating_kw"] is None  # full-width dash: NULL


def test_outage_errors_name_the_line():
    row = ["北海道", "x", "10006", "x", "x", "１号機", "1000", "計画停止", "x", "-",
           "2024/13/45 99:99", "あり", "-", "-", "2024/03/29 10:00"]
    data = (HEADER + "\n" + ",".join(row) + "\n").encode("cp932")
    with pytest.raises(ParseError) as exc:
        parse_outages(data, "outages.csv")
    assert exc.value.line == 2 and exc.value.column == "停止日時"
    with pytest.raises(ParseError, match="expected 15 fields"):
        parse_outages((HEADER + "\n北海道,x\n").encode("cp932"), "outages.csv")
    with pytest.raises(ParseError, match="停止日時"):
        parse_outages("エリア,発電所コード,発電所名,ユニット名,最終更新日時\n".encode("cp932"), "o.csv")


def _ctx(today, start=None, end=None, archive=None):
    return RunContext(start=start, end=end, today=today, options=HjksOptions(), archive=archive)


def test_plan_daily_weekly_and_backfill(tmp_path):
    archive = Archive(tmp_path)
    names = {f.name: f for f in plan(_ctx(date(2024, 4, 10), archive=archive))}
    assert set(names) == {"units.csv", "outages_since_20231212.csv", "outages_all.csv"}  # first run
    since = names["outages_since_20231212.csv"]
    assert since.form["startdtfrom"] == "2023/12/12 00:00" and since.form["startdtto"] == ""
    assert since.method == "POST" and since.fetch is download and names["units.csv"].form["_enddtFlg"] == "on"
    archive.store(source="hjks", dataset="outages", name="outages_all.csv", data=b"x", url="u",
                  origin="download", period_start=None, period_end=None)
    assert "outages_all.csv" not in {f.name for f in plan(_ctx(date(2024, 4, 10), archive=archive))}
    assert "outages_all.csv" in {f.name for f in plan(_ctx(date(2024, 4, 14), archive=archive))}
    back = [f for f in plan(_ctx(date(2024, 4, 14), start=date(2004, 6, 1), end=date(2005, 2, 10)))
            if f.dataset == "outages"]
    assert [f.name for f in back] == ["outages_200501.csv", "outages_200502.csv"]
    assert back[0].form["startdtto"] == "2005/01/31 23:59" and back[0].immutable


# -- the handshake, played by a local server ------------------------------------------------------
CSV = (HEADER + "\r\n" + ",".join(f'"{v}"' for v in [
    "四国", "四国電力(株)", "81803", "四国電力　伊方発電所", "原子力", "３号機", "890000", "計画停止",
    "定期検査等", "", "2019/12/26 00:00", "あり", "2021/12/06", "定期点検", "2021/11/22 15:47"]) + ",\r\n"
).encode("cp932")


class Hjks(BaseHTTPRequestHandler):
    """GET /hjks/outages: a JSESSIONID and a page with a hidden _csrf input; POST with the same
    session and token returns the CSV, else a redirect to the top page (session expired)."""

    def log_message(self, *args):
        pass

    def _send(self, status, body: bytes, ctype="text/html;charset=UTF-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _sid(self):
        for part in (self.headers.get("Cookie") or "").split(";"):
            k, _, v = part.strip().partition("=")
            if k == "JSESSIONID" and v in self.server.tokens:
                return v
        return None

    def do_GET(self):  # noqa: N802
        self.server.log.append(("GET", self.path))
        if self.path.startswith("/hjks/top"):
            return self._send(200, b"<html><title>top</title></html>")
        sid = f"S{len(self.server.tokens) + 1}"
        self.server.tokens[sid] = f"tok-{sid}"
        page = f'<html><form><input type="hidden" name="_csrf" value="tok-{sid}"/></form></html>'
        return self._send(200, page.encode(), headers=[("Set-Cookie", f"JSESSIONID={sid}; Path=/hjks")])

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
        self.server.log.append(("POST", self.path))
        self.server.forms.append(form)
        sid = self._sid()
        if self.server.expire_next or sid is None or form.get("_csrf") != self.server.tokens[sid]:
            self.server.expire_next = False
            return self._send(302, b"", headers=[("Location", "/hjks/top")])
        return self._send(200, CSV, "text/csv;charset=Windows-31J")


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Hjks)
    srv.tokens, srv.log, srv.forms, srv.expire_next = {}, [], [], False
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv, f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def _remote(base: str) -> RemoteFile:
    rf = next(f for f in plan(_ctx(date(2024, 4, 14))) if f.name.startswith("outages_since"))
    return RemoteFile(**{**rf.__dict__, "url": f"{base}/hjks/outages"})


def _client() -> HttpClient:
    return HttpClient(per_host_delay=0.0, sleep=lambda s: None, max_attempts=2)


def test_session_csrf_post_archives_the_csv(server, tmp_path):
    srv, base = server
    archive, result = Archive(tmp_path), SourceResult("hjks")
    fetch_into_archive(SPEC, [_remote(base)], archive, _client(), result)
    assert result.ok and result.downloaded == 1, result.errors
    entry = archive.latest("hjks", "outages", "outages_since_20231216.csv")
    assert archive.read(entry) == CSV
    assert srv.log == [("GET", "/hjks/outages"), ("POST", "/hjks/outages")]
    form = srv.forms[0]
    assert form["_csrf"] == "tok-S1" and form["csv"] == "csv"
    assert form["startdtfrom"] == "2023/12/16 00:00" and form["area"] == ""
    assert parse_outages(archive.read(entry), entry.path).num_rows == 1


def test_an_expired_session_is_renewed_once(server, tmp_path):
    srv, base = server
    srv.expire_next = True
    archive, result = Archive(tmp_path), SourceResult("hjks")
    fetch_into_archive(SPEC, [_remote(base)], archive, _client(), result)
    assert result.ok, result.errors
    assert [p for _, p in srv.log] == ["/hjks/outages", "/hjks/outages", "/hjks/top",
                                       "/hjks/outages", "/hjks/outages"]
    assert [e.origin for e in archive.entries("hjks")] == ["download"]


def test_token_from_meta_and_tls_policy():
    assert csrf_token(b'<meta name="_csrf" content="abc"/>') == "abc"
    assert csrf_token(b"<html>no token</html>") is None
    c = _client()
    c.add_hosts(SPEC.hosts)
    assert SPEC.hosts[HOST].ciphers == "DEFAULT:@SECLEVEL=1"
    assert type(c.session("hjks").get_adapter(f"https://{HOST}/hjks/outages")).__name__ == "_CipherAdapter"
