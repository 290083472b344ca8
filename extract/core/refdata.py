"""Reference data shared by the extractors and dbt: the dbt seeds, read by one small module.

The seeds in ``dbt_project/seeds/`` are the single place for areas (codes, slugs, price-area
order, frequency), weather stations and any other list both sides use; Python reads them here and a
test checks that SQL and Python agree. Sources may keep their own seed-like tables (e.g. a
publisher's quirks) as data in their package; what dbt also needs lives in a seed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

from .config import SEEDS_DIR


@dataclass(frozen=True)
class Area:
    code: str  # '01' Hokkaido .. '10' Okinawa (the national area numbering)
    slug: str  # 'tokyo'
    name_en: str
    name_ja: str
    frequency_hz: int
    price_order: int | None  # position among the day-ahead price areas (None: no price area)


def read_seed(name: str, seeds_dir: Path | None = None) -> list[dict[str, str]]:
    """Rows of ``seeds/<name>.csv`` as dicts of stripped strings."""
    path = (seeds_dir or SEEDS_DIR) / f"{name}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@cache
def areas() -> tuple[Area, ...]:
    return tuple(
        Area(r["area_code"], r["area_slug"], r["area_name_en"], r["area_name_ja"],
             int(r["frequency_hz"]), int(r["jepx_area_order"]) if r["jepx_area_order"] else None)
        for r in read_seed("areas")
    )


def area_codes() -> tuple[str, ...]:
    return tuple(a.code for a in areas())


def price_areas() -> tuple[Area, ...]:
    """The day-ahead price areas in the exchange's column order (seed column jepx_area_order)."""
    return tuple(sorted((a for a in areas() if a.price_order), key=lambda a: a.price_order))


def parse_area_codes(text: str) -> tuple[str, ...]:
    """``"3,09"`` → ``("03", "09")``; an unknown code is a ``ValueError`` naming the known ones."""
    codes = tuple(dict.fromkeys(c.strip().zfill(2) for c in text.split(",") if c.strip()))
    known = area_codes()
    bad = [c for c in codes if c not in known]
    if bad or not codes:
        raise ValueError(f"unknown area code(s) {bad or [text]}; known: {', '.join(known)}")
    return codes


@cache
def closing_days(calendar: str = "jp") -> frozenset[date]:
    """The non-weekend closing days of a business-day calendar: ``jp`` = the Japanese public
    holidays (``jp_holidays`` seed), else a trading calendar of the ``exchange_holidays`` seed
    (generated from the ``holidays`` library's financial calendars)."""
    if calendar == "jp":
        return frozenset(date.fromisoformat(r["holiday_date"]) for r in read_seed("jp_holidays"))
    rows = read_seed("exchange_holidays")
    days = frozenset(date.fromisoformat(r["holiday_date"]) for r in rows
                     if r["calendar"] == calendar)
    if not days:
        known = sorted({r["calendar"] for r in rows})
        raise ValueError(f"unknown business-day calendar {calendar!r}: neither 'jp' nor one of "
                         f"the exchange_holidays seed ({', '.join(known)}); add it to "
                         "scripts/generate_seeds.py")
    return days


def is_business_day(day: date, calendar: str = "jp") -> bool:
    return day.weekday() < 5 and day not in closing_days(calendar)


@dataclass(frozen=True)
class PublicationRule:
    """When a dataset's data for one data day is public (one row of the publication calendar).

    ``rule``: ``day_offset`` — day d is public on d + ``lag_days`` at ``available_time_jst``;
    ``month_day`` — every day of month m is public on day ``month_day`` of month m+1;
    ``period_end`` — every day of a ``period`` (month, quarter, fiscal_year) is public
    ``lag_days`` after the period ends. ``margin_hours`` is added to each.
    """

    source: str
    dataset: str
    area_code: str  # '*' = every area
    cadence: str
    rule: str
    lag_days: int | None
    month_day: int | None
    period: str | None
    available_time_jst: str
    margin_hours: float
    evidence: str
    # whose business days a ``business…`` cadence counts: ``jp`` (the default: no weekends, no
    # Japanese public holidays) or a trading calendar of the ``exchange_holidays`` seed (the
    # publisher's own, e.g. an exchange abroad): the rules file's optional ``calendar`` column
    calendar: str = "jp"

    def available_at(self, day: date) -> datetime:
        """The earliest JST wall-clock time the data of ``day`` is public under this rule."""
        hh, mm = (int(x) for x in self.available_time_jst.split(":"))
        if self.rule == "day_offset":
            base = day + timedelta(days=self.lag_days or 0)
        elif self.rule == "month_day":
            nxt = date(day.year + day.month // 12, day.month % 12 + 1, 1)
            base = nxt + timedelta(days=(self.month_day or 1) - 1)
        elif self.rule == "period_end":
            base = _period_end(day, self.period or "month") + timedelta(days=self.lag_days or 0)
        else:
            raise ValueError(f"{self.source}.{self.dataset}: unknown rule {self.rule!r}")
        return datetime.combine(base, time(hh, mm)) + timedelta(hours=self.margin_hours)


@cache
def publication_rules(seeds_dir: Path | None = None) -> tuple[PublicationRule, ...]:
    """Every source's calendar: ``seeds/publication_rules/<source>_publication_rules.csv``."""
    folder = (seeds_dir or SEEDS_DIR) / "publication_rules"
    out = []
    for path in sorted(folder.glob("*_publication_rules.csv")):
        for r in read_seed(f"publication_rules/{path.stem}", seeds_dir):
            out.append(PublicationRule(
                r["source"], r["dataset"], r["area_code"] or "*", r["cadence"], r["rule"],
                int(r["lag_days"]) if r["lag_days"] else None,
                int(r["month_day"]) if r["month_day"] else None, r["period"] or None,
                r["available_time_jst"], float(r["margin_hours"] or 0), r["evidence"],
                r.get("calendar") or "jp"))
    return tuple(out)


def _period_end(day: date, period: str) -> date:
    fy = day.year if day.month >= 4 else day.year - 1
    if period == "month":
        first = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    elif period == "quarter":  # fiscal quarters: Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar
        k = ((day.month - 4) % 12) // 3 + 1  # 1..4
        m = 4 + 3 * k  # first month of the next quarter (may pass 12)
        first = date(fy + (m - 1) // 12, (m - 1) % 12 + 1, 1)
    elif period == "fiscal_year":
        first = date(fy + 1, 4, 1)
    else:
        raise ValueError(f"unknown period {period!r}")
    return first - timedelta(days=1)


def rule_for(source: str, dataset: str, area_code: str | None = None) -> PublicationRule | None:
    """The calendar row of a dataset (the area's own row, else the '*' row)."""
    rows = [r for r in publication_rules() if r.source == source and r.dataset == dataset]
    own = [r for r in rows if area_code is not None and r.area_code == area_code]
    return (own or [r for r in rows if r.area_code == "*"] or [None])[0]
