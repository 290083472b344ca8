"""Multi-step downloads (agree → token → file) on a per-source cookie session, against a real
HTTP server on 127.0.0.1: the handshake, an expired session, an error page, TLS per host."""

from __future__ import annotations

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from extract.core.archive import Archive, RemoteFile
from extract.core.errors import FetchError, SessionExpired
from extract.core.http import HostPolicy, HttpClient, Response, SourceHttp
from extract.core.pipeline import SourceResult, fetch_into_archive
from extract.core.source import Source

BODY = "日付,値\n2024/04/01,1\n".encode("cp932")


class Handshake(BaseHTTPRequestHandler):
    """GET /agree sets a session cookie; POST /token (needs it) returns a one-time token;
    GET /download?token=… (needs both) returns the file. ``server.expire_next`` makes the next
    download answer with the publisher's "session expired" HTML page (HTTP 200)."""

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, ctype="text/csv", cookie: str | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if cookie:
            self.send_header("Set-Cookie", cookie)
        self.end_headers()
        self.wfile.write(body)

    def _session(self) -> str | None:
        for part in (self.headers.get("Cookie") or "").split(";"):
            k, _, v = part.strip().partition("=")
            if k == "SID" and v in self.server.sessions:
                return v
        return None

    def do_GET(self):  # noqa: N802
        url = urlsplit(self.path)
        self.server.log.append(("GET", url.path))
        if url.path == "/agree":
            sid = f"s{len(self.server.sessions) + 1}"
            self.server.sessions.add(sid)
            return self._send(200, b"ok", "text/plain", cookie=f"SID={sid}; Path=/")
        if url.path == "/download":
            token = parse_qs(url.query).get("token", [""])[0]
            sid = self._session()
            if self.server.expire_next:
                self.server.expire_next = False
                self.server.sessions.clear()
                return self._send(200, b"<html><title>Session expired</title></html>", "text/html")
            if sid is None or self.server.tokens.get(token) != sid:
                return self._send(200, b"<html><title>Error</title><body>no session</body></html>",
                                  "text/html")
            del self.server.tokens[token]
            return self._send(200, BODY)
        return self._send(404, b"not found", "text/plain")

    def do_POST(self):  # noqa: N802
        self.server.log.append(("POST", self.path))
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        sid = self._session()
        if sid is None:
            return self._send(403, b"no session", "text/plain")
        token = f"t{len(self.server.tokens) + 100}"
        self.server.tokens[token] = sid
        return self._send(200, json.dumps({"requestToken": token}).encode(), "application/json")


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handshake)
    srv.sessions, srv.tokens, srv.log, srv.expire_next = set(), {}, [], False
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv, f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def download(http: SourceHttp, rf: RemoteFile) -> Response:
    """The kind of routine a source's fetch.py holds: agree, get a token, download."""
    base = rf.url.rsplit("/", 1)[0]
    if "SID" not in http.cookies:
        http.get(f"{base}/agree")
    try:
        token = json.loads(http.post(f"{base}/token", form={"kind": "x"}).content)["requestToken"]
    except FetchError as exc:
        if exc.status == 403:
            raise SessionExpired(http.source, rf.url, "the session was refused") from exc
        raise
    resp = http.get(f"{base}/download", params={"token": token})
    if b"Session expired" in resp.content:
        raise SessionExpired(http.source, rf.url, "the server says the session expired")
    return resp


def spec() -> Source:
    return Source(name="demo", description="", datasets={}, plan=lambda ctx: [],
                  identify=lambda name, data: None)


def remote(base: str, name: str = "f.csv") -> RemoteFile:
    return RemoteFile("demo", "ds", name, f"{base}/download", date(2024, 4, 1), date(2024, 4, 1),
                      immutable=False, fetch=download)


def client() -> HttpClient:
    return HttpClient(per_host_delay=0.0, sleep=lambda s: None, max_attempts=2)


def test_handshake_keeps_cookies_and_the_body_is_archived(server, tmp_path):
    srv, base = server
    archive, result = Archive(tmp_path), SourceResult("demo")
    fetch_into_archive(spec(), [remote(base, "a.csv"), remote(base, "b.csv")], archive, client(),
                       result)
    assert result.ok and result.downloaded == 2, result.errors
    assert archive.read(archive.latest("demo", "ds", "a.csv")) == BODY
    # one agreement for the whole run: the second file reused the session's cookie
    assert [p for m, p in srv.log] == ["/agree", "/token", "/download", "/token", "/download"]


def test_an_expired_session_is_renewed_once(server, tmp_path):
    srv, base = server
    srv.expire_next = True
    archive, result = Archive(tmp_path), SourceResult("demo")
    fetch_into_archive(spec(), [remote(base)], archive, client(), result)
    assert result.ok, result.errors
    assert archive.read(archive.latest("demo", "ds", "f.csv")) == BODY
    # the expired page was not archived; the routine ran again on a new session
    assert [p for m, p in srv.log] == ["/agree", "/token", "/download",
                                       "/agree", "/token", "/download"]
    assert [e.origin for e in archive.entries("demo")] == ["download"]


def test_a_stale_cookie_refused_at_the_token_step_is_renewed(server, tmp_path):
    srv, base = server
    c = client()
    c.session("demo").cookies.set("SID", "stale")  # a session the server no longer knows
    archive, result = Archive(tmp_path), SourceResult("demo")
    fetch_into_archive(spec(), [remote(base)], archive, c, result)
    assert result.ok, result.errors
    assert [p for m, p in srv.log] == ["/token", "/agree", "/token", "/download"]


def test_an_error_page_is_quarantined_and_named(server, tmp_path):
    srv, base = server

    def no_handshake(http: SourceHttp, rf: RemoteFile) -> Response:
        return http.get(rf.url, params={"token": "forged"})

    rf = RemoteFile("demo", "ds", "f.csv", f"{base}/download", date(2024, 4, 1),
                    date(2024, 4, 1), immutable=False, fetch=no_handshake)
    archive, result = Archive(tmp_path), SourceResult("demo")
    fetch_into_archive(spec(), [rf], archive, client(), result)
    assert not result.ok and "f.csv" in result.errors[0] and "HTML" in result.errors[0]
    assert archive.latest("demo", "ds", "f.csv") is None
    assert [e.origin for e in archive.entries("demo")] == ["rejected"]


def test_a_failing_step_is_a_fetch_error_not_a_traceback(server, tmp_path):
    srv, base = server

    def token_without_session(http: SourceHttp, rf: RemoteFile) -> Response:
        return http.post(f"{base}/token")  # 403: no agreement first

    rf = RemoteFile("demo", "ds", "f.csv", f"{base}/download", date(2024, 4, 1),
                    date(2024, 4, 1), immutable=False, fetch=token_without_session)
    result = SourceResult("demo")
    fetch_into_archive(spec(), [rf], Archive(tmp_path), client(), result)
    assert len(result.errors) == 1 and "HTTP 403" in result.errors[0]


def test_sessions_are_per_source_and_tls_is_per_host():
    c = client()
    c.add_hosts({"old.example.jp": HostPolicy(delay=3.0, ciphers="DEFAULT:@SECLEVEL=1")})
    a, b = c.session("one"), c.session("two")
    a.cookies.set("SID", "x")
    assert "SID" not in b.cookies
    adapter = a.get_adapter("https://old.example.jp/x")
    assert type(adapter).__name__ == "_CipherAdapter"
    assert type(a.get_adapter("https://other.example.jp/")).__name__ == "HTTPAdapter"
    c.reset_session("one")
    assert "SID" not in c.session("one").cookies


def test_host_delay_applies_to_every_step():
    waits: list[float] = []
    c = HttpClient(per_host_delay=1.0, sleep=waits.append, clock=lambda: 50.0,
                   hosts={"slow.example.jp": HostPolicy(delay=5.0)})
    c._wait_for_host("slow.example.jp")
    c._wait_for_host("slow.example.jp")
    c._wait_for_host("fast.example.jp")
    c._wait_for_host("fast.example.jp")
    assert waits == [5.0, 1.0]


def test_fetch_error_carries_the_status():
    err = FetchError("demo", "http://x", "HTTP 404", status=404)
    assert err.status == 404 and "demo" in str(err)
