"""The HTTP client: retries with backoff, Retry-After, per-host delay; tests never sleep."""

from __future__ import annotations

import pytest
import requests

from extract.core.errors import FetchError
from extract.core.http import HttpClient, OfflineClient, retry_after_seconds


class FakeResponse:
    def __init__(self, status: int, body: bytes = b"", headers: dict | None = None, url="u"):
        self.status_code = status
        self.content = body
        self.headers = headers or {}
        self.reason = {200: "OK", 404: "Not Found", 429: "Too Many Requests",
                       503: "Service Unavailable", 500: "Internal Server Error"}.get(status, "")
        self.url = url


class FakeSession(requests.Session):
    def __init__(self, script):
        super().__init__()
        self.script = list(script)
        self.calls = []

    def request(self, method, url, **kwargs):
        self.calls.append((method, url, kwargs))
        item = self.script.pop(0)
        if isinstance(item, Exception):
            raise item
        return item


class Clock:
    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


def client(script, **kw):
    clock = Clock()
    session = FakeSession(script)
    c = HttpClient(session_factory=lambda: session, sleep=clock.sleep, clock=clock, jitter=lambda: 0.0,
                   per_host_delay=0.0, **kw)
    return c, session, clock


def test_retries_5xx_with_exponential_backoff():
    c, session, clock = client([FakeResponse(503), FakeResponse(500), FakeResponse(200, b"ok")],
                               backoff_base=2.0)
    resp = c.fetch("jepx", "https://www.jepx.jp/x")
    assert resp.content == b"ok"
    assert len(session.calls) == 3
    assert clock.sleeps == [2.0, 4.0]


def test_429_honours_retry_after_seconds():
    c, _, clock = client([FakeResponse(429, headers={"Retry-After": "7"}), FakeResponse(200, b"x")])
    c.fetch("jepx", "https://www.jepx.jp/x")
    assert clock.sleeps == [7.0]


def test_retry_after_http_date():
    from datetime import UTC, datetime
    now = datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Thu, 01 Jan 2026 00:00:30 GMT", now) == 30.0
    assert retry_after_seconds("soon", now) is None


def test_connection_errors_and_timeouts_are_retried():
    c, session, clock = client(
        [requests.ConnectionError("reset"), requests.Timeout("slow"), FakeResponse(200, b"x")],
        backoff_base=1.0,
    )
    assert c.fetch("tso", "https://example.invalid/a").content == b"x"
    assert clock.sleeps == [1.0, 2.0]


def test_gives_up_after_max_attempts_with_a_clear_error():
    c, session, clock = client([FakeResponse(503)] * 3, max_attempts=3, backoff_base=1.0)
    with pytest.raises(FetchError) as err:
        c.fetch("jepx", "https://www.jepx.jp/x")
    assert err.value.status == 503
    assert "[jepx] https://www.jepx.jp/x: HTTP 503" in str(err.value)
    assert "after 3 attempts" in str(err.value)
    assert len(session.calls) == 3 and clock.sleeps == [1.0, 2.0]


def test_404_is_final_at_once():
    c, session, clock = client([FakeResponse(404)])
    with pytest.raises(FetchError) as err:
        c.fetch("jepx", "https://www.jepx.jp/missing")
    assert err.value.status == 404
    assert len(session.calls) == 1 and clock.sleeps == []


def test_backoff_is_capped():
    c, _, clock = client([FakeResponse(503)] * 4 + [FakeResponse(200)], max_attempts=5,
                         backoff_base=10.0, backoff_max=25.0)
    c.fetch("jepx", "https://www.jepx.jp/x")
    assert clock.sleeps == [10.0, 20.0, 25.0, 25.0]


def test_polite_delay_between_requests_to_the_same_host():
    clock = Clock()
    session = FakeSession([FakeResponse(200)] * 3)
    c = HttpClient(session_factory=lambda: session, sleep=clock.sleep, clock=clock, per_host_delay=1.5)
    c.fetch("jepx", "https://www.jepx.jp/a")
    c.fetch("jepx", "https://www.jepx.jp/b")
    c.fetch("jma", "https://www.data.jma.go.jp/c")  # another host: no wait
    assert clock.sleeps == [1.5]


def test_user_agent_names_the_project_and_headers_pass_through():
    c, session, _ = client([FakeResponse(200)])
    c.fetch("jepx", "https://www.jepx.jp/a", headers={"Referer": "https://www.jepx.jp/"})
    assert "powermarketdata" in c.session("jepx").headers["User-Agent"]
    assert session.calls[0][2]["headers"] == {"Referer": "https://www.jepx.jp/"}
    assert session.calls[0][2]["timeout"] == c.timeout


def test_offline_client_refuses():
    with pytest.raises(FetchError, match="offline"):
        OfflineClient().fetch("jepx", "https://www.jepx.jp/a")
