"""OCCTO unit generation: the CSV reader, the plan, and the disclaimer handshake against a local
HTTP server (never the internet)."""

from __future__ import annotations

import threading
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from extract.core.archive import Archive, RemoteFile
from extract.core.errors import ExtractError, ParseError
from extract.core.http import HttpClient
from extract.core.pipeline import SourceResult, fetch_into_archive
from extract.core.source import RunContext
from extract.sources.unitgen import SPEC, identify, plan
from extract.sources.unitgen.parse import SLOT_LABELS, parse_unit_generation
from extract.sources.unitgen.settings import AREA_CODES, TYPE_CODES

HEADER = ("発電所コード,エリア,発電所名,ユニット名,発電方式・燃種,対象日,"
          + ",".join(f"{label}[kWh]" for label in SLOT_LABELS) + ",日量[kWh],更新日時")


def _row(code="30101", unit="1号機", day="2024/04/08", slots=None, total=None,
         updated="2024/04/09 15:31:00") -> str:
    slots = slots if slots is not None else [str(1000 + k) for k in range(48)]
    total = total if total is not None else str(sum(int(s) for s in slots if s))
    return ",".join([code, "北海道", "苫東厚真発電所", unit, "火力（石炭）", day, *slots, total, updated])


def _file(*rows: str) -> bytes:
    return "\ufeff".encode() + ("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8")


def test_bom_end_labels_empty_unit_and_gaps():
    gap = [str(10 * k) for k in range(48)]
    gap[5] = ""
    table = parse_unit_generation(_file(_row(), _row(code="52271", unit="", slots=gap)), "f.csv")
    first, second = table.to_pylist()
    assert first["kwh_ending_0030"] == 1000 and first["kwh_ending_2400"] == 1047
    assert first["daily_total_kwh"] == sum(1000 + k for k in range(48))
    assert first["updated_at_jst"] == datetime(2024, 4, 9, 15, 31)
    assert first["target_date"] == date(2024, 4, 8)
    assert second["unit_name"] == "" and second["kwh_ending_0300"] is None
    assert len(SLOT_LABELS) == 48 and SLOT_LABELS[0] == "00:30" and SLOT_LABELS[-1] == "24:00"
    got = identify("ユニット別発電実績_20240409.csv", _file(_row()))
    assert (got.dataset, got.period_start) == ("unit_generation", date(2024, 4, 8))


def test_bad_input_is_named():
    with pytest.raises(ParseError) as exc:
        parse_unit_generation(_file(_row(), _row(updated="yesterday")), "f.csv")
    assert exc.value.line == 3 and exc.value.column == "更新日時"
    with pytest.raises(ParseError, match="header lacks"):
        parse_unit_generation(_file().replace(b"00:30[kWh],", b""), "f.csv")
    with pytest.raises(ExtractError):
        identify("spot_summary_2024.csv", "受渡日,時刻コード\n2024/04/01,1\n".encode())


def test_plan_update_and_backfill():
    ctx = RunContext(start=None, end=None, today=date(2024, 4, 14))
    names = [f.name for f in plan(ctx)]
    assert names == [f"unitgen_202404{d:02d}.csv" for d in range(7, 14)]  # up to yesterday
    back = plan(RunContext(start=date(2024, 1, 1), end=date(2024, 5, 10), today=date(2024, 6, 1)))
    assert [(f.name, f.period_start, f.immutable) for f in back] == [
        ("unitgen_202403.csv", date(2024, 3, 25), True),
        ("unitgen_202404.csv", date(2024, 4, 1), True),
        ("unitgen_202405.csv", date(2024, 5, 1), False)]
    assert back[0].params == {"tgtDateDateFrom": "2024/03/25", "tgtDateDateTo": "2024/03/31"}


class Hks(BaseHTTPRequestHandler):
    """/home → 302 to the disclaimer with a JSESSIONID; POST …/disclaimer-agree/next agreed=0
    marks the session agreed (1 bounces back); downloadCsv answers the CSV only to an agreed
    session that sent every filter, else the disclaimer page."""

    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", ctype="text/html", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _sid(self):
        cookie = self.headers.get("Cookie") or ""
        return next((p.split("=", 1)[1] for p in cookie.split("; ") if p.startswith("JSESSIONID=")), None)

    def do_GET(self):  # noqa: N802
        url = urlsplit(self.path)
        self.server.log.append(url.path.rsplit("/", 1)[-1])
        if url.path.endswith("/home"):
            sid = f"J{len(self.server.sessions) + 1}"
            self.server.sessions[sid] = False
            return self._send(302, headers=[("Location", "/hks-web-public/disclaimer-agree"),
                                            ("Set-Cookie", f"JSESSIONID={sid}; Path=/")])
        if url.path.endswith("/disclaimer-agree"):
            return self._send(200, b"<html><title>disclaimer</title></html>")
        if url.path.endswith("/info/hks"):
            return self._send(200, b"<html><title>search</title></html>")
        if url.path.endswith("/downloadCsv"):
            q = parse_qs(url.query, keep_blank_values=True)
            self.server.queries.append(q)
            agreed = self.server.sessions.get(self._sid())
            if self.server.expire_next or not agreed:
                self.server.expire_next = False
                return self._send(302, headers=[("Location", "/hks-web-public/disclaimer-agree")])
            complete = (q.get("areaCheckbox") == list(AREA_CODES)
                        and q.get("hatudenHosikiCheckbox") == list(TYPE_CODES)
                        and {"htdnsCd", "htdnsNm", "unitNm"} <= set(q))
            return self._send(200, _file(_row()) if complete else _file(), "application/csv")
        return self._send(404)

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        self.server.log.append("next")
        if parse_qs(body).get("agreed") == ["0"] and self._sid() in self.server.sessions:
            self.server.sessions[self._sid()] = True
            return self._send(302, headers=[("Location", "/hks-web-public/info/hks")])
        return self._send(302, headers=[("Location", "/hks-web-public/disclaimer-agree")])


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Hks)
    srv.sessions, srv.log, srv.queries, srv.expire_next = {}, [], [], False
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv, f"http://127.0.0.1:{srv.server_address[1]}/hks-web-public"
    srv.shutdown()
    srv.server_close()


def _remote(base: str, day: date) -> RemoteFile:
    rf = next(f for f in plan(RunContext(start=None, end=None, today=date(2024, 4, 14)))
              if f.period_start == day)
    return RemoteFile(**{**rf.__dict__, "url": f"{base}/info/hks/downloadCsv"})


def _client():
    return HttpClient(per_host_delay=0.0, sleep=lambda s: None, max_attempts=2)


def test_disclaimer_then_csv_with_every_filter(server, tmp_path):
    srv, base = server
    archive, result = Archive(tmp_path), SourceResult("unitgen")
    files = [_remote(base, date(2024, 4, 12)), _remote(base, date(2024, 4, 13))]
    fetch_into_archive(SPEC, files, archive, _client(), result)
    assert result.ok and result.downloaded == 2, result.errors
    # one agreement for the whole run, then one download per file
    assert srv.log == ["home", "disclaimer-agree", "next", "hks", "downloadCsv", "downloadCsv"]
    q = srv.queries[0]
    assert q["tgtDateDateFrom"] == ["2024/04/12"] and q["tgtDateDateTo"] == ["2024/04/12"]
    entry = archive.latest("unitgen", "unit_generation", "unitgen_20240412.csv")
    assert parse_unit_generation(archive.read(entry), entry.path).num_rows == 1


def test_an_expired_agreement_is_renewed_once(server, tmp_path):
    srv, base = server
    srv.expire_next = True
    archive, result = Archive(tmp_path), SourceResult("unitgen")
    fetch_into_archive(SPEC, [_remote(base, date(2024, 4, 12))], archive, _client(), result)
    assert result.ok, result.errors
    assert srv.log.count("home") == 2 and srv.log.count("next") == 2
    assert [e.origin for e in archive.entries("unitgen")] == ["download"]
