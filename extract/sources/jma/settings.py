"""JMA settings: endpoints, request limits, politeness, and the source's options."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...core.http import HostPolicy
from ...core.refdata import parse_area_codes
from ...core.source import cli_option

SOURCE = "jma"
OBSDL_URL = "https://www.data.jma.go.jp/risk/obsdl/show/table"
OBSDL_PAGE = "https://www.data.jma.go.jp/risk/obsdl/index.php"
ETRN_URL = "https://www.data.jma.go.jp/stats/etrn/view/hourly_s1.php"
ELEMENT_CODES = ("101", "201", "301", "401", "605", "610")  # precip, temp, wind, sun, RH, solar
MAX_VALUES_PER_REQUEST = 44_000  # columns × hours (hankehly's measured cap)
VALUE_COLUMNS = 7  # wind counts twice (speed + direction)
CORRECTION_DAYS = 10  # JMA corrects the last ten days: an update re-fetches them
FIRST_DATE = date(2016, 4, 1)
# obsdl answers bursts with HTTP 429: five seconds between two requests
HOSTS = {"www.data.jma.go.jp": HostPolicy(delay=5.0)}
INTERFACES = ("obsdl", "etrn")


def _interface(text: str) -> str:
    value = text.strip().lower()
    if value not in INTERFACES:
        raise ValueError(f"unknown interface {text!r}; choose one of {', '.join(INTERFACES)}")
    return value


@dataclass(frozen=True)
class JmaOptions:
    areas: tuple[str, ...] = cli_option(
        (), "--areas", "comma-separated area codes 01..10 (TSO, JMA: default all)",
        parse=parse_area_codes, metavar="CODES")
    # etrn (one HTML page per station-day) is the fallback while obsdl is down:
    # SOURCES__JMA__INTERFACE=etrn python -m extract.run jma --start ...
    interface: str = cli_option("obsdl", "--jma-interface", "JMA interface: obsdl (default) or "
                                "etrn (fallback while obsdl is down)", parse=_interface)
