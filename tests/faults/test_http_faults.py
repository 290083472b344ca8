"""Issue 9.4: a body cut mid-transfer (connection reset, fewer bytes than Content-Length,
broken chunked encoding) is retried like any transient fault, and every attempt has an overall
deadline (a server dribbling bytes no longer holds a try for ever). A real local server."""

from __future__ import annotations

import socket
import struct
import time

import pytest

from extract.core.errors import FetchError
from extract.core.http import HttpClient

pytestmark = pytest.mark.faults

BODY = b"delivery_date,time_code\n" + b"2024/04/01,1\n" * 2000


def _client(**kw) -> HttpClient:
    return HttpClient(per_host_delay=0.0, sleep=lambda s: None, jitter=lambda: 0.0, **kw)


def _head(handler, length: int | None, chunked: bool = False) -> None:
    handler.send_response(200)
    if chunked:
        handler.send_header("Transfer-Encoding", "chunked")
    else:
        handler.send_header("Content-Length", str(length))
    handler.end_headers()
    handler.wfile.flush()


def reset_mid_body(handler) -> None:
    _head(handler, len(BODY))
    handler.wfile.write(BODY[:1000])
    handler.wfile.flush()
    # SO_LINGER 0: close() sends a TCP RST (a "connection reset by peer")
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()
    handler.close_connection = True


def short_body(handler) -> None:
    _head(handler, len(BODY))
    handler.wfile.write(BODY[:1000])
    handler.wfile.flush()
    handler.close_connection = True


def broken_chunks(handler) -> None:
    _head(handler, None, chunked=True)
    handler.wfile.write(b"%x\r\n%s\r\n" % (1000, BODY[:1000]))
    handler.wfile.write(b"%x\r\n" % 5000 + BODY[1000:1100])  # a chunk cut short, then EOF
    handler.wfile.flush()
    handler.close_connection = True


def first_then_good(fault):
    calls = {"n": 0}

    def route(handler):
        calls["n"] += 1
        if calls["n"] == 1:
            fault(handler)
        else:
            _head(handler, len(BODY))
            handler.wfile.write(BODY)

    return route


@pytest.mark.parametrize("fault", [reset_mid_body, short_body, broken_chunks])
def test_a_cut_body_is_retried(fault, local_server):
    local_server.routes["/f.csv"] = first_then_good(fault)
    client = _client(max_attempts=3)
    resp = client.fetch("jepx", local_server.url("/f.csv"))
    assert resp.content == BODY
    assert client.requests_made == 2


@pytest.mark.parametrize("fault", [reset_mid_body, short_body, broken_chunks])
def test_a_body_cut_every_time_is_a_fetch_error_not_a_traceback(fault, local_server):
    local_server.routes["/f.csv"] = fault
    client = _client(max_attempts=2)
    with pytest.raises(FetchError, match=r"(transfer broken|body of 1000 bytes).* after 2 "
                                         r"attempts"):
        client.fetch("jepx", local_server.url("/f.csv"))
    assert client.requests_made == 2


def test_a_dribbling_server_is_cut_off_by_the_deadline(local_server):
    def dribble(handler):
        _head(handler, len(BODY))
        end = time.monotonic() + 30  # bounded even if the client never hangs up
        try:
            while time.monotonic() < end and not local_server.stop.is_set():
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(0.3)  # always faster than the read timeout below
        except OSError:
            pass  # the client gave up
        handler.close_connection = True

    local_server.routes["/slow.csv"] = dribble
    client = _client(max_attempts=2, timeout=(2.0, 1.5), deadline=1.0)
    with pytest.raises(FetchError, match=r"not complete after the 1s deadline .* after 2 "
                                         r"attempts"):
        client.fetch("jepx", local_server.url("/slow.csv"))
    assert client.requests_made == 2
