"""Download routines (run on the source's cookie session by the platform).

* :func:`kohyo`: web-kohyo answers a request without data with an HTML page (HTTP 200) instead
  of a CSV (occto.md §2.1). That is "not published" (a 404 to the platform: logged for an open
  period, an error for a closed one), not a broken download.
* :func:`occtonet`: OCCTONET3's CF01S010C bulk download (occto.md §3.1): ``GET LOGIN_login``
  (cookies ``JSESSIONID``/``HSERVERID``) → ``POST`` ``actionSubType=ok`` as AJAX (JSON with a one-shot
  ``downloadKey`` + ``requestToken``) → ``POST`` ``actionSubType=download`` with them (the CSV).
  Every failure comes back with HTTP 200: a session-timeout JSON (``interceptorErr``) or page
  raises :class:`SessionExpired` (the platform renews the session once), a validation message
  (``root.errMessage``) is a :class:`FetchError` naming it; an HTML page at the download step
  is returned as it is and the platform quarantines it.
"""

from __future__ import annotations

import json

from ...core.archive import RemoteFile
from ...core.errors import FetchError, SessionExpired
from ...core.http import Response, SourceHttp
from ...core.textio import decode_lenient, looks_like_html

SESSION_COOKIE = "JSESSIONID"
LOGIN_PATH = "LOGIN_login"  # beside the screen's URL (settings.NET_LOGIN_URL)
_EXPIRED_MARKERS = ("interceptorErr", "セッション", "タイムアウト", "timeout")


def kohyo(http: SourceHttp, rf: RemoteFile) -> Response:
    resp = http.get(rf.url, params=rf.params)
    ctype = resp.headers.get("Content-Type", "")
    if looks_like_html(resp.content) or ctype.startswith("text/html"):
        raise FetchError(http.source, rf.url, f"no data for {rf.params} (web-kohyo answers an "
                         "HTML page instead of a CSV)", status=404)
    return resp


def base_form(rf: RemoteFile) -> dict[str, str]:
    """The framework's fixed fields (occto.md §3.1) around the selection of ``rf.form``."""
    return {
        "fwExtention.actionType": "reference",
        "fwExtention.actionSubType": "ok",
        "fwExtention.pathInfo": "CF01S010C",
        "fwExtention.formId": "CF01S010P",
        "fwExtention.prgbrh": "0",
        "fwExtention.pagingTargetTable": "",
        "fwExtention.jsonString": "",
        "ajaxToken": "",
        "requestTokenBk": "",
        "transitionContextKey": "DEFAULT",
        "requestToken": "",
        "downloadKey": "",
        **(rf.form or {}),
    }


def _field(doc: dict, name: str) -> str | None:
    header = (((doc.get("root") or {}).get("bizRoot") or {}).get("header") or {})
    value = header.get(name)
    return value.get("value") if isinstance(value, dict) else value


def occtonet(http: SourceHttp, rf: RemoteFile) -> Response:
    if SESSION_COOKIE not in http.cookies:
        http.get(rf.url.rsplit("/", 1)[0] + "/" + LOGIN_PATH)
    form = base_form(rf)
    ok = http.post(rf.url, form=form, headers={"sdReqType": "AJAX"})
    text = decode_lenient(ok.content)
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None
    if doc is None or "interceptorErr" in text:
        if any(m in text for m in _EXPIRED_MARKERS):
            raise SessionExpired(http.source, rf.url, "OCCTONET3 says the session expired")
        raise FetchError(http.source, rf.url, f"the 'ok' step did not answer JSON: {text[:120]!r}")
    message = (doc.get("root") or {}).get("errMessage")
    if message:
        raise FetchError(http.source, rf.url, f"OCCTONET3 refused the request: {message} "
                         "(CF000010SW = more than 150,000 rows: ask for a shorter period)")
    key, token = _field(doc, "downloadKey"), _field(doc, "requestToken")
    if not key or not token:
        raise FetchError(http.source, rf.url, "the 'ok' step returned no downloadKey/requestToken")
    resp = http.post(rf.url, form={**form, "fwExtention.actionSubType": "download",
                                   "downloadKey": key, "requestToken": token})
    if looks_like_html(resp.content):
        page = decode_lenient(resp.content)
        if any(m in page for m in _EXPIRED_MARKERS):
            raise SessionExpired(http.source, rf.url, "OCCTONET3 says the session expired")
    return resp
