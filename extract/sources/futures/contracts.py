"""Products (the ``futures_products`` seed) and delivery periods of futures contracts.

One place for the conventions, shared by every futures parser:

* JPX/TOCOM monthly: the contract month (``YYYYMM``); the issue name's suffix is the last
  trading day (``FUT_EEB_260330`` = March 2026, LTD 2026-03-30).
* JPX weekly: delivery Saturday → Friday; the LTD is the business day before that Friday, so the
  week is the Saturday–Friday week containing LTD + 1. The open-interest workbooks number weeks
  by their Friday: ``2nd week Feb. 2026`` / ``2026年02月第2週`` = the week ending on the 2nd Friday
  of February (read off the real samples: 5 weeks listed on 2026-02-10 starting with the week
  ending Fri 2026-02-13, and on 2026-08-21 starting with ``08月第4週`` = ending Fri 2026-08-28).
* JPX fiscal year: April → March; the LTD falls in late March before delivery, so the FY is the
  one after the LTD's.
* EEX: delivery start as published + tenor (week assumed Monday–Sunday, EEX's own convention).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from ...core.archive import logical_name
from ...core.refdata import read_seed
from ...core.textio import normalise_name
from ...core.timeutil import fiscal_year, fiscal_year_bounds, month_bounds


@dataclass(frozen=True)
class Product:
    exchange: str
    code: str
    name: str
    commodity: str
    area_code: str
    load_profile: str
    tenor_type: str
    currency: str
    price_unit: str
    oi_name_en: str
    oi_name_ja: str


@cache
def products() -> tuple[Product, ...]:
    return tuple(Product(r["exchange"], r["product_code"], r["product_name"], r["commodity"],
                         r["area_code"], r["load_profile"], r["tenor_type"], r["currency"],
                         r["price_unit"], r["jpx_oi_name_en"], r["jpx_oi_name_ja"])
                 for r in read_seed("futures_products"))


def product(exchange: str, code: str) -> Product | None:
    for p in products():
        if p.exchange == exchange and p.code == code:
            return p
    return None


def any_product(code: str) -> Product | None:
    """The product with this code on any exchange (codes are unique in the seed)."""
    return next((p for p in products() if p.code == code), None)


JPX_EXCHANGES = ("TOCOM", "OSE")


@cache
def jpx_roots() -> dict[str, Product]:
    """Root of ``FUT_<ROOT>_<YYMMDD>`` → product (exact match: EEB is not EEBW or EEBY)."""
    return {p.code: p for p in products() if p.exchange in JPX_EXCHANGES}


@cache
def oi_names() -> dict[str, Product]:
    """Normalised open-interest workbook product name (English or Japanese) → product."""
    out = {}
    for p in products():
        for name in (p.oi_name_en, p.oi_name_ja):
            if name:
                out[oi_key(name)] = p
    return out


def name_date(pattern: re.Pattern, name: str) -> date | None:
    """The YYYYMMDD date that ``pattern``'s first group finds in a file's logical name, or None
    (no match, or no such day)."""
    m = pattern.match(logical_name(name))
    if not m:
        return None
    d = m.group(1)
    try:
        return date(int(d[:4]), int(d[4:6]), int(d[6:]))
    except ValueError:
        return None


def oi_key(name: str) -> str:
    """Names compare without spaces/line breaks, NFKC, case-folded: ``東エリア・日中\\nロード電力``
    = ``東エリア・日中ロード電力``; ``...Electricity(FY)`` = ``...Electricity (FY)``."""
    return normalise_name(name).casefold()


# -- calendar ----------------------------------------------------------------------------------
@cache
def jp_holidays() -> frozenset[date]:
    return frozenset(date.fromisoformat(r["holiday_date"]) for r in read_seed("jp_holidays"))


def is_jpx_business_day(d: date) -> bool:
    """Weekdays that are not public holidays nor the 31 Dec – 3 Jan exchange holidays."""
    if d.weekday() >= 5 or d in jp_holidays():
        return False
    return not ((d.month == 12 and d.day == 31) or (d.month == 1 and d.day <= 3))


def previous_business_days(upto: date, n: int) -> list[date]:
    """The ``n`` JPX business days up to and including ``upto``, newest first."""
    out, d = [], upto
    while len(out) < n:
        if is_jpx_business_day(d):
            out.append(d)
        d -= timedelta(days=1)
    return out


# -- delivery periods --------------------------------------------------------------------------
def week_sat_fri(day: date) -> tuple[date, date]:
    """The Saturday–Friday week containing ``day``."""
    start = day - timedelta(days=(day.weekday() - 5) % 7)
    return start, start + timedelta(days=6)


def nth_friday_week(year: int, month: int, n: int) -> tuple[date, date]:
    """The Saturday–Friday week ending on the ``n``-th Friday of the month."""
    first = date(year, month, 1)
    friday = first + timedelta(days=(4 - first.weekday()) % 7 + 7 * (n - 1))
    if friday.month != month:
        raise ValueError(f"{year}-{month:02d} has no Friday number {n}")
    return friday - timedelta(days=6), friday


def add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)


def jpx_delivery(tenor: str, contract_month: str | None, ltd: date | None
                 ) -> tuple[date, date] | None:
    """Delivery [start, end] of a JPX contract from its tenor, contract month and LTD."""
    if tenor == "month":
        if contract_month and re.fullmatch(r"\d{6}", contract_month):
            return month_bounds(int(contract_month[:4]), int(contract_month[4:]))
        return month_bounds(ltd.year, ltd.month) if ltd else None
    if tenor == "week":
        return week_sat_fri(ltd + timedelta(days=1)) if ltd else None
    if tenor == "fiscal_year":
        return fiscal_year_bounds(fiscal_year(ltd) + 1) if ltd else None
    return None


def delivery_from_start(tenor: str, start: date) -> date:
    """Last delivery day of a contract starting on ``start`` (EEX and ICE tenors)."""
    months = {"month": 1, "quarter": 3, "season": 6, "year": 12, "fiscal_year": 12}
    if tenor == "day":
        return start
    if tenor == "week":
        return start + timedelta(days=6)
    if tenor in months:
        return add_months(start, months[tenor]) - timedelta(days=1)
    raise ValueError(f"unknown tenor {tenor!r}")


def ltd_from_suffix(text: str) -> date | None:
    """``260330`` → 2026-03-30 (None when it is not a YYMMDD date)."""
    if not re.fullmatch(r"\d{6}", text or ""):
        return None
    try:
        return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        return None


# -- units -------------------------------------------------------------------------------------
# plausible settlement ranges per price unit (futures_hjks.md §C); outside = wrong unit or bad data
PLAUSIBLE = {
    "JPY/kWh": (0.5, 200.0),
    "USD/MMBtu": (0.5, 150.0),
    "JPY/MMBtu": (50.0, 20_000.0),
    "EUR/MWh": (1.0, 500.0),
    "USD/t": (10.0, 1_500.0),
    "USD/bbl": (5.0, 300.0),
    "JPY/kl": (10_000.0, 200_000.0),
    "JPY/USD": (50.0, 400.0),
    "USD/JPY": (0.0025, 0.02),
    "JPY/EUR": (50.0, 400.0),
}


def implausible(price: float | None, unit: str) -> str | None:
    """Why ``price`` cannot be in ``unit`` (None when plausible or unknown)."""
    if price is None or unit not in PLAUSIBLE:
        return None
    lo, hi = PLAUSIBLE[unit]
    if lo <= abs(price) <= hi:
        return None
    hint = ""
    if unit == "JPY/kWh" and 500 <= price <= 200_000:
        hint = " (looks like JPY/MWh)"
    return f"settlement {price:g} is outside the plausible range {lo:g}..{hi:g} {unit}{hint}"
