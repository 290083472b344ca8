"""The HJKS download handshake: a Spring session with a CSRF token, then a form POST.

1. ``GET`` the search page (``/hjks/outages`` or ``/hjks/unit``): sets ``JSESSIONID`` and holds
   ``<input name="_csrf" value="…">`` (or ``<meta name="_csrf" content="…">``).
2. ``POST`` the same URL, form-encoded: the search fields + ``_csrf`` + ``csv=csv``; the answer
   is the CSV (CP932).

An expired session is answered with a redirect to an HTML page (or 403 on the token): that is
:class:`SessionExpired`, and the platform runs the routine once more on a new session. The TLS
quirk (``SECLEVEL=1``) is the host policy of :mod:`.settings`, mounted on this source's session.
"""

from __future__ import annotations

import re

from ...core.archive import RemoteFile
from ...core.errors import FetchError, SessionExpired
from ...core.http import Response, SourceHttp
from ...core.textio import decode_lenient, looks_like_html

_INPUT = re.compile(r"<input[^>]*name=[\"']_csrf[\"'][^>]*>", re.I)
_META = re.compile(r"<meta[^>]*name=[\"']_csrf[\"'][^>]*>", re.I)
_VALUE = re.compile(r"(?:value|content)=[\"']([^\"']*)[\"']", re.I)


def csrf_token(page: bytes) -> str | None:
    """The ``_csrf`` value of a search page (hidden input or meta tag)."""
    text = decode_lenient(page)
    for pattern in (_INPUT, _META):
        tag = pattern.search(text)
        if tag:
            value = _VALUE.search(tag.group(0))
            if value and value.group(1):
                return value.group(1)
    return None


def download(http: SourceHttp, rf: RemoteFile) -> Response:
    """GET the search page for a token, POST the search form with ``csv=csv``."""
    page = http.get(rf.url, headers={"Accept": "text/html"})
    token = csrf_token(page.content)
    if token is None:
        raise FetchError(http.source, rf.url, "the search page has no _csrf token (page changed?)",
                         status=page.status)
    form = {**(rf.form or {}), "_csrf": token}
    try:
        resp = http.post(rf.url, form=form, headers={"Referer": rf.url, "Accept": "text/csv,*/*"})
    except FetchError as exc:
        if exc.status in (401, 403):
            raise SessionExpired(http.source, rf.url, f"the token was refused (HTTP {exc.status})") from exc
        raise
    if looks_like_html(resp.content):
        raise SessionExpired(http.source, rf.url, "an HTML page came back instead of the CSV "
                             "(session expired or redirected)")
    return resp
