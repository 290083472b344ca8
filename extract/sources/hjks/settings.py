"""HJKS (発電情報公開システム, hjks.jepx.or.jp) settings: pages, form fields, windows, TLS.

The host offers only TLS 1.2 ``ECDHE-RSA-AES128-SHA``, which OpenSSL refuses at its default
security level: the host policy lowers it to ``SECLEVEL=1`` for this host only (jepx.md §8).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...core.http import HostPolicy
from ...core.source import cli_option

SOURCE = "hjks"
HOST = "hjks.jepx.or.jp"
BASE_URL = f"https://{HOST}/hjks"
OUTAGES_URL = f"{BASE_URL}/outages"
UNITS_URL = f"{BASE_URL}/unit"

# ≥ 1 s between requests (hama-jp/hjks_viewer); 2 s as its backfill loop does
HOSTS = {HOST: HostPolicy(delay=2.0, ciphers="DEFAULT:@SECLEVEL=1")}

OUTAGES, UNITS = "outages", "units"
# the earliest outage start HJKS serves in a window backfill (hama-jp's archive: 2005-Q2)
FIRST_DAY = date(2005, 1, 1)
# an update asks for the events starting from this many days back (new and recently revised)
RECENT_DAYS = 120
# a monthly backfill window is never fetched again once its month ended this long ago
# (later revisions of older events come with the weekly full list)
WINDOW_IMMUTABLE_AFTER_DAYS = 120

# search form of /hjks/outages; empty = no filter. startdtfrom/startdtto are "YYYY/MM/DD HH:MM"
OUTAGE_FORM = {"startdtfrom": "", "startdtto": "", "area": "", "format": "", "maintemode": "",
               "csv": "csv"}
# search form of /hjks/unit; _enddtFlg=on keeps decommissioned units
UNIT_FORM = {"area": "", "company": "", "plantcd": "", "name": "", "format": "",
             "unitname": "", "_enddtFlg": "on", "csv": "csv"}

MIN_BODY_BYTES = 60  # the header alone is longer


def _weekday(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 6:
        raise ValueError("a weekday 0 (Monday) .. 6 (Sunday)")
    return value


@dataclass(frozen=True)
class HjksOptions:
    full_list_weekday: int = cli_option(
        6, "--hjks-full-weekday", "weekday (0=Mon..6=Sun) of the weekly full outage list "
        "(HJKS; default 6)", parse=_weekday, metavar="N")
