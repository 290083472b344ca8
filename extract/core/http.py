"""One polite HTTP client for every source: timeouts, retries with backoff, per-host policies.

* Retries connection errors, timeouts, HTTP 429 and 5xx with exponential backoff (and jitter),
  honouring ``Retry-After`` (seconds or an HTTP date) when the server sends one. A body cut
  mid-transfer (connection reset, broken chunked encoding, fewer bytes than Content-Length) is
  retried the same way.
* Each attempt has an overall wall-clock ``deadline``: the body is streamed and an attempt
  that is still receiving after it (a server dribbling bytes slower than the read timeout
  would notice) is abandoned and retried.
* Waits at least the host's delay between two requests to the same host (a source declares
  slower hosts in its settings: :class:`HostPolicy`).
* One cookie session per source, so a multi-step download (agree → token → file) keeps its
  cookies; a host may need its own TLS cipher string (old servers: ``DEFAULT:@SECLEVEL=1``).
* Sends a User-Agent naming the project (and the operator's contact e-mail, ``[pmd]
  contact_email`` in the settings file); the default delay is ``[pmd] request_delay_s``.
* ``sleep`` and ``clock`` are injectable so tests never sleep for real.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .. import __version__
from .config import http_settings
from .errors import FetchError

if TYPE_CHECKING:  # requests is imported on first use: a run that fetches nothing never needs it
    import requests

log = logging.getLogger(__name__)

USER_AGENT = (
    f"powermarketdata/{__version__} (+https://github.com/powermarketdata/powermarketdata; "
    "open-source ELT for Japanese power-market data)"
)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def make_user_agent(override: str = "", contact_email: str = "") -> str:
    """The User-Agent: ``override`` when given, else the project's, naming the contact e-mail."""
    if override:
        return override
    if contact_email:
        return USER_AGENT[:-1] + f"; contact: {contact_email})"
    return USER_AGENT


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    content: bytes
    headers: Mapping[str, str]


@dataclass(frozen=True)
class HostPolicy:
    """How to treat one host: minimum spacing between requests, and its TLS ciphers."""

    delay: float = 0.0  # seconds between two requests (the client's default applies if larger)
    ciphers: str | None = None  # OpenSSL cipher string, e.g. "DEFAULT:@SECLEVEL=1"


class OfflineError(FetchError):
    pass


class _CutBody(Exception):
    """The body of an attempt did not arrive whole (reset, short, too slow): retried."""


def _close(resp) -> None:
    close = getattr(resp, "close", None)
    if close is not None:
        close()


def _body_errors() -> tuple[type[BaseException], ...]:
    """What reading a streamed body raises when the transfer breaks."""
    import requests
    import urllib3

    return (requests.RequestException, urllib3.exceptions.HTTPError, OSError)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Parse a ``Retry-After`` header: delta-seconds or an HTTP date. None when absent/invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@cache
def _cipher_adapter_class() -> type:
    import ssl  # here, like requests: a run with nothing to download needs neither

    from requests.adapters import HTTPAdapter

    class _CipherAdapter(HTTPAdapter):
        """An HTTPS adapter with its own OpenSSL cipher string (per host)."""

        def __init__(self, ciphers: str, **kwargs):
            self._ciphers = ciphers
            super().__init__(**kwargs)

        def init_poolmanager(self, *args, **kwargs):
            ctx = ssl.create_default_context()
            ctx.set_ciphers(self._ciphers)
            kwargs["ssl_context"] = ctx
            return super().init_poolmanager(*args, **kwargs)

    return _CipherAdapter


class HttpClient:
    def __init__(
        self,
        *,
        session_factory: Callable[[], requests.Session] | None = None,  # requests.Session
        timeout: tuple[float, float] = (10.0, 120.0),
        deadline: float = 600.0,
        max_attempts: int = 5,
        backoff_base: float = 2.0,
        backoff_max: float = 120.0,
        per_host_delay: float | None = None,
        user_agent: str | None = None,
        hosts: Mapping[str, HostPolicy] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ):
        self.session_factory = session_factory
        self.timeout = timeout
        self.deadline = deadline  # seconds one attempt may take, body included
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        if per_host_delay is None or user_agent is None:
            settings = http_settings()
            if per_host_delay is None:
                per_host_delay = settings["request_delay_s"].value
            if user_agent is None:
                user_agent = make_user_agent(settings["user_agent"].value,
                                             settings["contact_email"].value)
        self.per_host_delay = per_host_delay
        self.user_agent = user_agent
        self.hosts: dict[str, HostPolicy] = dict(hosts or {})
        self.sleep = sleep
        self.clock = clock
        self.jitter = jitter
        self._last_request: dict[str, float] = {}
        self._sessions: dict[str, requests.Session] = {}
        self.requests_made = 0

    # -- configuration ------------------------------------------------------------------------
    def add_hosts(self, hosts: Mapping[str, HostPolicy]) -> None:
        """Register a source's host policies (delay, TLS) before it runs."""
        self.hosts.update(hosts)
        for session in self._sessions.values():
            self._mount(session)

    def _mount(self, session: requests.Session) -> None:
        for host, policy in self.hosts.items():
            if policy.ciphers:
                session.mount(f"https://{host}/", _cipher_adapter_class()(policy.ciphers))

    def session(self, source: str) -> requests.Session:
        """The cookie session of ``source`` (created on first use)."""
        if source not in self._sessions:
            if self.session_factory is None:
                import requests

                self.session_factory = requests.Session
            s = self.session_factory()
            s.headers["User-Agent"] = self.user_agent
            self._mount(s)
            self._sessions[source] = s
        return self._sessions[source]

    def reset_session(self, source: str) -> None:
        """Forget a source's cookies (an expired login/agreement)."""
        old = self._sessions.pop(source, None)
        if old is not None:
            old.close()

    # -- requests -----------------------------------------------------------------------------
    def _wait_for_host(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is not None:
            policy = self.hosts.get(host, HostPolicy())
            wait = max(self.per_host_delay, policy.delay) - (self.clock() - last)
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = self.clock()

    def _read_body(self, resp: requests.Response, started: float) -> bytes:
        """The whole body, streamed; raise :class:`_CutBody` when it is cut or too slow."""
        raw = getattr(resp, "raw", None)
        if not hasattr(raw, "read1"):  # a pre-read response (tests, adapters)
            return resp.content
        parts: list[bytes] = []
        try:
            while True:
                if self.clock() - started > self.deadline:
                    got = sum(map(len, parts))
                    raise _CutBody(f"body not complete after the {self.deadline:.0f}s deadline "
                                   f"({got} bytes received)")
                chunk = raw.read1(1 << 16, decode_content=True)
                if not chunk:
                    break
                parts.append(chunk)
        except _body_errors() as exc:
            raise _CutBody(f"transfer broken after {sum(map(len, parts))} bytes: "
                           f"{type(exc).__name__}: {exc}") from None
        body = b"".join(parts)
        length = resp.headers.get("Content-Length")
        if (length and length.isdigit() and not resp.headers.get("Content-Encoding")
                and len(body) != int(length)):
            raise _CutBody(f"body of {len(body)} bytes, Content-Length says {length}")
        return body

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff_max, self.backoff_base * (2 ** (attempt - 1))) + self.jitter()

    def fetch(
        self,
        source: str,
        url: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
    ) -> Response:
        """Return the response body; raise :class:`FetchError` once retries are exhausted.

        A 4xx other than 429 is final at once (a 404 means "not published").
        """
        import requests

        host = urlsplit(url).netloc
        session = self.session(source)
        last_problem = ""
        status: int | None = None
        for attempt in range(1, self.max_attempts + 1):
            self._wait_for_host(host)
            self.requests_made += 1
            started = self.clock()
            try:
                resp = session.request(
                    method, url, headers=headers, params=params, data=form, timeout=self.timeout,
                    stream=True,
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                last_problem = f"{type(exc).__name__}: {exc}"
                status = None
                delay = self._backoff(attempt)
            else:
                status = resp.status_code
                if status < 400:
                    try:
                        body = self._read_body(resp, started)
                    except _CutBody as exc:
                        body = None
                        last_problem = str(exc)
                        delay = self._backoff(attempt)
                    finally:
                        _close(resp)
                    if body is not None:
                        return Response(resp.url, status, body, dict(resp.headers))
                elif status not in RETRY_STATUSES:
                    _close(resp)
                    raise FetchError(source, url, f"HTTP {status} {resp.reason}", status=status)
                else:
                    _close(resp)
                    last_problem = f"HTTP {status} {resp.reason}"
                    delay = retry_after_seconds(resp.headers.get("Retry-After"))
                    if delay is None:
                        delay = self._backoff(attempt)
                    delay = min(delay, self.backoff_max * 5)
            if attempt < self.max_attempts:
                log.warning(
                    "%s: %s (attempt %d/%d), retrying in %.1fs",
                    url, last_problem, attempt, self.max_attempts, delay,
                )
                self.sleep(delay)
        raise FetchError(
            source, url, f"{last_problem} after {self.max_attempts} attempts", status=status
        )

    def for_source(self, source: str) -> SourceHttp:
        return SourceHttp(self, source)


class SourceHttp:
    """The client bound to one source: what a plan or a multi-step download uses.

    Requests share the source's cookie session and the client's retries and polite delays.
    """

    def __init__(self, client: HttpClient, source: str):
        self.client = client
        self.source = source

    def request(self, url: str, *, method: str = "GET", headers: dict[str, str] | None = None,
                params: dict[str, str] | None = None, form: dict[str, str] | None = None) -> Response:
        return self.client.fetch(self.source, url, method=method, headers=headers, params=params,
                                 form=form)

    def get(self, url: str, **kwargs) -> Response:
        return self.request(url, method="GET", **kwargs)

    def post(self, url: str, **kwargs) -> Response:
        return self.request(url, method="POST", **kwargs)

    @property
    def cookies(self) -> requests.cookies.RequestsCookieJar:
        return self.client.session(self.source).cookies

    def reset(self) -> None:
        """Start a new cookie session (after the server said the session expired)."""
        self.client.reset_session(self.source)


class OfflineClient(HttpClient):
    """A client for ``--offline``: any request is a bug and raises at once."""

    def fetch(self, source: str, url: str, **kwargs) -> Response:  # type: ignore[override]
        raise OfflineError(source, url, "offline mode: no network request may be made")
