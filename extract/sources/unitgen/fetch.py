"""The HKS download: accept the disclaimer on a cookie session, then GET the CSV.

1. ``GET /hks-web-public/home`` → 302 to ``/disclaimer-agree`` and a ``JSESSIONID``;
2. ``POST /hks-web-public/disclaimer-agree/next`` with ``agreed=0`` (the value the page's script
   sends; ``1``/``on`` bounce back to the disclaimer);
3. ``GET /hks-web-public/info/hks/downloadCsv`` with **every** filter (plant code/name and unit
   name empty, all area and generation-type checkboxes, the date range).

A session whose agreement expired answers step 3 with the disclaimer page (HTML): that is
:class:`SessionExpired`, and the platform runs the routine once more on a new session.
"""

from __future__ import annotations

from ...core.archive import RemoteFile
from ...core.errors import SessionExpired
from ...core.http import Response, SourceHttp
from ...core.textio import looks_like_html
from .settings import AGREE_URL, AREA_CODES, BASE_URL, HOME_URL, TYPE_CODES


def query(date_from: str, date_to: str) -> list[tuple[str, str]]:
    """The full filter of the CSV download (dates ``YYYY/MM/DD``), in the page's order."""
    return ([("htdnsCd", ""), ("htdnsNm", ""), ("unitNm", "")]
            + [("areaCheckbox", c) for c in AREA_CODES]
            + [("hatudenHosikiCheckbox", c) for c in TYPE_CODES]
            + [("tgtDateDateFrom", date_from), ("tgtDateDateTo", date_to)])


def download(http: SourceHttp, rf: RemoteFile) -> Response:
    base = rf.url.split("/info/", 1)[0]  # the site root (…/hks-web-public)
    home = base + HOME_URL.removeprefix(BASE_URL)
    if "JSESSIONID" not in http.cookies:
        http.get(home)
        http.post(base + AGREE_URL.removeprefix(BASE_URL), form={"agreed": "0"},
                  headers={"Referer": home})
    params = rf.params or {}
    resp = http.get(rf.url, params=query(params["tgtDateDateFrom"],  # type: ignore[arg-type]
                                         params["tgtDateDateTo"]))
    if looks_like_html(resp.content):
        raise SessionExpired(http.source, rf.url, "the disclaimer page came back instead of the "
                             "CSV (agreement expired)")
    return resp
