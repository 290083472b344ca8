"""Japanese time conventions: JST (UTC+9, no DST), fiscal years April–March, 48 slots a day."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Literal

JST = timezone(timedelta(hours=9), "JST")


def today_jst() -> date:
    return datetime.now(JST).date()


def fiscal_year(d: date) -> int:
    """Japanese fiscal year: FY N runs N-04-01 .. N+1-03-31."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def parse_date_cell(cell: str) -> date | None:
    """``YYYY/M/D``, ``YYYY-MM-DD`` or ``YYYYMMDD`` → date (None when it is not one)."""
    m = _DATE_RE.match(cell)
    if not m:
        return None
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


_DATE_RE = re.compile(r"^(?:(\d{4})[/-](\d{1,2})[/-](\d{1,2})|(\d{4})(\d{2})(\d{2}))$")

Granularity = Literal["day", "month", "quarter", "half-year", "fiscal-year"]


def periods(first: date, last: date, every: Granularity) -> Iterator[tuple[date, date]]:
    """The calendar periods (start, end inclusive) of ``every`` that overlap [first, last]:
    days, months, fiscal quarters (Apr–Jun …), half-years (Jan–Jun, Jul–Dec), fiscal years."""
    if first > last:
        return
    if every == "day":
        start = first
    elif every == "month":
        start = date(first.year, first.month, 1)
    elif every == "half-year":
        start = date(first.year, 1 if first.month <= 6 else 7, 1)
    elif every == "quarter":
        fy_start = fiscal_year_bounds(fiscal_year(first))[0]
        k = ((first.year - fy_start.year) * 12 + first.month - 4) // 3
        m = 4 + 3 * k
        start = date(fy_start.year + (m - 1) // 12, (m - 1) % 12 + 1, 1)
    elif every == "fiscal-year":
        start = fiscal_year_bounds(fiscal_year(first))[0]
    else:
        raise ValueError(f"unknown period {every!r}")
    months = {"month": 1, "quarter": 3, "half-year": 6, "fiscal-year": 12}
    while start <= last:
        if every == "day":
            end = start
        else:
            n = start.month - 1 + months[every]
            end = date(start.year + n // 12, n % 12 + 1, 1) - timedelta(days=1)
        yield start, end
        start = end + timedelta(days=1)


SLOTS_PER_DAY = 48


def closed_period_slots(period_start: str | None, period_end: str | None,
                        first: date | None = None) -> int | None:
    """Half-hour slots in a file's period (ISO dates, inclusive), from ``first`` at the
    earliest (the publisher's first day); None when the period is unknown."""
    if not period_start or not period_end:
        return None
    start = date.fromisoformat(period_start)
    if first is not None:
        start = max(start, first)
    days = (date.fromisoformat(period_end) - start).days + 1
    return max(days, 0) * SLOTS_PER_DAY
