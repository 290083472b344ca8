"""OCCTONET3's handshake and web-kohyo's "no data" page, against a real HTTP server on 127.0.0.1.

The server plays CF01S010C as occto.md §3.1 describes it: ``GET LOGIN_login`` sets JSESSIONID
and HSERVERID; ``POST CF01S010C`` with ``sdReqType: AJAX`` and ``actionSubType=ok`` answers JSON with
a one-shot downloadKey + requestToken (an ``interceptorErr`` JSON without a live session); the
same POST with ``actionSubType=download`` and that key/token answers the CP932 CSV, or an HTML
error page with HTTP 200 (「不正なリクエストです」) for a reused token.
"""

from __future__ import annotations

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from extract.core.archive import Archive
from extract.core.http import HttpClient
from extract.core.pipeline import SourceResult, fetch_into_archive
from extract.core.source import RunContext
from extract.sources import occto
from extract.sources.occto import occtonet

CSV = (",".join(occtonet.FLOW_COLUMNS) + "\n"
       + "関門連系線,2025/04/01,00:05," + ",".join([""] * 10) + ",-472.7,,\n").encode("cp932")


class Occtonet(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, body: bytes, ctype: str, cookies=()):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for c in cookies:
            self.send_header("Set-Cookie", c)
        self.end_headers()
        self.wfile.write(body)

    def _sid(self):
        for part in (self.headers.get("Cookie") or "").split(";"):
            k, _, v = part.strip().partition("=")
            if k == "JSESSIONID" and v in self.server.sessions:
                return v
        return None

    def do_GET(self):  # noqa: N802
        path = urlsplit(self.path).path
        self.server.log.append(path.rsplit("/", 1)[-1])
        if path.endswith("/LOGIN_login"):
            sid = f"S{len(self.server.sessions) + 1}"
            self.server.sessions.add(sid)
            return self._send(b"<html>login</html>", "text/html",
                              [f"JSESSIONID={sid}; Path=/", "HSERVERID=h1; Path=/"])
        if path.endswith("/downloadCsv"):  # web-kohyo without data: an HTML page
            return self._send(b"<html><body>no data</body></html>", "text/html;charset=UTF-8")
        self.send_error(404)

    def do_POST(self):  # noqa: N802
        form = {k: v[0] for k, v in parse_qs(
            self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
        step = form.get("fwExtention.actionSubType")
        self.server.log.append(step)
        self.server.forms.append(form)
        if form.get("fwExtention.pathInfo") != "CF01S010C":
            return self._send(json.dumps({"root": {"errMessage": "利用権限がない"}}).encode(),
                              "application/json")
        sid = self._sid()
        if step == "ok":
            if sid is None or self.server.expire_next:
                self.server.expire_next = False
                self.server.sessions.clear()
                return self._send(b'{"interceptorErr":"session timeout"}', "application/json")
            token = f"T{len(self.server.tokens)}"
            self.server.tokens[token] = sid
            body = {"root": {"bizRoot": {"header": {
                "downloadKey": {"value": "20250401000000_CF01S010C"},
                "requestToken": {"value": token}}}}}
            return self._send(json.dumps(body).encode(), "application/json")
        token = form.get("requestToken")
        if self.server.error_page or self.server.tokens.pop(token, None) != sid:
            page = "<html><head><title>エラー</title></head><body>不正なリクエストです</body></html>"
            return self._send(page.encode("utf-8"), "text/html;charset=UTF-8")
        return self._send(CSV, "application/octet-stream")


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Occtonet)
    srv.sessions, srv.tokens, srv.log, srv.forms = set(), {}, [], []
    srv.expire_next = srv.error_page = False
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv, f"http://127.0.0.1:{srv.server_address[1]}/public/dfw/RP11/OCCTO/SD"
    srv.shutdown()
    srv.server_close()


def planned(base: str, dataset: str = "occtonet_interconnector_flows"):
    ctx = RunContext(start=date(2025, 4, 1), end=date(2025, 4, 30), today=date(2025, 6, 1),
                     datasets=(dataset,))
    files = occto.plan(ctx)
    # the real plan, pointed at the local server
    return [type(rf)(**{**rf.__dict__, "url": base + "/" + rf.url.rsplit("/", 1)[-1]})
            for rf in files]


def run(files, tmp_path):
    archive, result = Archive(tmp_path), SourceResult("occto")
    client = HttpClient(per_host_delay=0.0, sleep=lambda s: None, max_attempts=2)
    fetch_into_archive(occto.SPEC, files, archive, client, result)
    return archive, result


def test_handshake_downloads_the_csv(server, tmp_path):
    srv, base = server
    files = planned(base)
    assert [f.name for f in files] == ["occtonet_flows_11_202504.csv"]
    archive, result = run(files, tmp_path)
    assert result.ok and result.downloaded == 1, result.errors
    entry = archive.latest("occto", "occtonet_interconnector_flows", files[0].name)
    assert archive.read(entry) == CSV
    assert srv.log == ["LOGIN_login", "ok", "download"]
    ok = srv.forms[0]
    assert (ok["tabSntk"], ok["rklDataKnd"], ok["rklNngpFrom"], ok["rklNngpTo"]) == (
        "0", "11", "2025/04/01", "2025/04/30")
    table = occto.DATASETS[entry.dataset].parse(archive.read(entry), entry.path)
    assert table.column("actual_flow_mw").to_pylist() == ["-472.7"]


def test_an_expired_session_is_renewed_once(server, tmp_path):
    srv, base = server
    srv.expire_next = True
    archive, result = run(planned(base), tmp_path)
    assert result.ok and result.downloaded == 1, result.errors
    assert srv.log == ["LOGIN_login", "ok", "LOGIN_login", "ok", "download"]


def test_an_error_page_with_http_200_is_quarantined_and_named(server, tmp_path):
    srv, base = server
    srv.error_page = True
    archive, result = run(planned(base), tmp_path)
    assert not result.ok and "不正なリクエストです" in result.errors[0]
    assert [e.origin for e in archive.entries("occto")] == ["rejected"]


def test_kohyo_html_page_means_not_published(server, tmp_path):
    srv, base = server
    ctx = RunContext(start=None, end=None, today=date(2025, 6, 1), datasets=("kohyo_interconnectors",))
    files = [type(rf)(**{**rf.__dict__, "url": base + "/downloadCsv"}) for rf in occto.plan(ctx)]
    assert {f.params["jhSybt"] for f in files} == {"04", "06"}
    archive, result = run(files, tmp_path)  # open months: logged as not yet published
    assert result.ok and result.downloaded == 0 and not archive.entries("occto")


def test_plan_update_backfill_and_retention(caplog):
    today = date(2025, 6, 10)
    update = occto.plan(RunContext(start=None, end=None, today=today))
    names = {f.name for f in update}
    assert {"kohyo_02_202505.csv", "kohyo_02_202506.csv", "occtonet_flows_11_202505.csv",
            "occtonet_demand_32_FY2025.csv"} <= names
    assert not any(f.immutable for f in update if f.name.endswith("202506.csv"))
    with caplog.at_level("WARNING"):
        backfill = occto.plan(RunContext(start=date(2016, 4, 1), end=date(2025, 5, 31), today=today))
    kohyo_months = sorted(f.name for f in backfill if f.name.startswith("kohyo_02_"))
    assert kohyo_months[0] == "kohyo_02_202404.csv"  # April of the previous fiscal year
    assert "served from 2024-04-01" in caplog.text and "2016-04-01" in caplog.text
    flows = sorted(f.name for f in backfill if f.dataset == "occtonet_interconnector_flows")
    assert flows[0] == "occtonet_flows_11_202504.csv"
    assert all(f.immutable for f in backfill if f.name == "kohyo_02_202404.csv")
