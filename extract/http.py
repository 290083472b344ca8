"""One polite HTTP client for every source: timeouts, retries with backoff, per-host delay.

* Retries connection errors, timeouts, HTTP 429 and 5xx with exponential backoff (and jitter),
  honouring ``Retry-After`` (seconds or an HTTP date) when the server sends one.
* Waits at least ``per_host_delay`` seconds between two requests to the same host.
* Sends a User-Agent naming the project.
* ``sleep`` and ``clock`` are injectable so tests never sleep for real.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests

from . import __version__
from .errors import FetchError

log = logging.getLogger(__name__)

USER_AGENT = (
    f"powermarketdata/{__version__} (+https://github.com/powermarketdata/powermarketdata; "
    "open-source ELT for Japanese power-market data)"
)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    content: bytes
    headers: dict[str, str]


class OfflineError(FetchError):
    pass


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


# hosts that ask for more spacing than the default (JMA obsdl answers bursts with HTTP 429)
HOST_DELAYS = {"www.data.jma.go.jp": 5.0}


class HttpClient:
    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (10.0, 120.0),
        max_attempts: int = 5,
        backoff_base: float = 2.0,
        backoff_max: float = 120.0,
        per_host_delay: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ):
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", USER_AGENT)
        self.session.headers["User-Agent"] = USER_AGENT
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.per_host_delay = per_host_delay
        self.sleep = sleep
        self.clock = clock
        self.jitter = jitter
        self._last_request: dict[str, float] = {}
        self.requests_made = 0

    def _wait_for_host(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is not None:
            wait = max(self.per_host_delay, HOST_DELAYS.get(host, 0.0)) - (self.clock() - last)
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = self.clock()

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
        host = urlsplit(url).netloc
        last_problem = ""
        status: int | None = None
        for attempt in range(1, self.max_attempts + 1):
            self._wait_for_host(host)
            self.requests_made += 1
            try:
                resp = self.session.request(
                    method, url, headers=headers, params=params, data=form, timeout=self.timeout
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                last_problem = f"{type(exc).__name__}: {exc}"
                status = None
                delay = self._backoff(attempt)
            else:
                status = resp.status_code
                if status < 400:
                    return Response(resp.url, status, resp.content, dict(resp.headers))
                if status not in RETRY_STATUSES:
                    raise FetchError(source, url, f"HTTP {status} {resp.reason}", status=status)
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


class OfflineClient(HttpClient):
    """A client for ``--offline``: any request is a bug and raises at once."""

    def fetch(self, source: str, url: str, **kwargs) -> Response:  # type: ignore[override]
        raise OfflineError(source, url, "offline mode: no network request may be made")
