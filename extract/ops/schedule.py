"""When each dataset's data appears, from the publication calendar (the ``publication_rules``
seeds, :func:`extract.core.refdata.rule_for`): the latest data day that is public at a given
time, and how long a dataset has been behind.

A rule whose ``cadence`` starts with ``business`` (``business_daily``) only expects data for
business days of its ``calendar``: Japanese ones by default (no weekends, no public holidays of
the ``jp_holidays`` seed), or those of a trading calendar of the ``exchange_holidays`` seed
(generated from the ``holidays`` library's financial calendars) that the rule names. A
dataset whose publisher serves only the last N days (``retention_days``: an optional column of
a rules file, or ``[pmd] retention_days = {"source.dataset" = N}`` in the settings file) loses
every day that is missed for longer than that; ``status`` reports those days as LOST.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from ..core.config import pmd_setting
from ..core.refdata import PublicationRule, closing_days, is_business_day, read_seed, rule_for
from ..core.timeutil import JST

# publishers known to serve only the latest day(s); the settings file and a rules file's
# retention_days column add to / override this
DEFAULT_RETENTION = {"futures.jpx_settlement": 1}
SEARCH_DAYS = 800  # the longest lag (a fiscal year + 30 days) fits well inside this


holidays = closing_days  # the non-weekend closing days of a calendar


def business_only(rule: PublicationRule) -> bool:
    return rule.cadence.startswith("business")


def expects(rule: PublicationRule, day: date) -> bool:
    """Whether the publisher publishes data for ``day`` at all."""
    return not business_only(rule) or is_business_day(day, rule.calendar)


def to_jst_naive(when: datetime) -> datetime:
    """JST wall clock (the calendar's times are naive JST)."""
    return when.astimezone(JST).replace(tzinfo=None) if when.tzinfo else when


def latest_public_day(rule: PublicationRule, now: datetime) -> date | None:
    """The latest data day whose availability time has passed at ``now``."""
    now = to_jst_naive(now)
    day = now.date() + timedelta(days=7)  # rules may publish ahead (D-1 auction, D-2 forecasts)
    for _ in range(SEARCH_DAYS):
        if expects(rule, day) and rule.available_at(day) <= now:
            return day
        day -= timedelta(days=1)
    return None


def next_expected_day(rule: PublicationRule, day: date) -> date:
    nxt = day + timedelta(days=1)
    while not expects(rule, nxt):
        nxt += timedelta(days=1)
    return nxt


def missing_days(rule: PublicationRule, held: set[date], since: date, until: date) -> list[date]:
    """Expected data days in [since, until] that are not in ``held``."""
    out, day = [], since
    while day <= until:
        if expects(rule, day) and day not in held:
            out.append(day)
        day += timedelta(days=1)
    return out


def retention_days(source: str, dataset: str) -> int | None:
    """How many days the publisher keeps serving a day's file (None: it keeps them)."""
    key = f"{source}.{dataset}"
    configured = pmd_setting("retention_days", {}, parse=None).value
    if isinstance(configured, str):  # from the environment: "src.ds=1,src2.ds=2"
        configured = dict(x.split("=", 1) for x in configured.split(",") if "=" in x)
    if key in configured:
        return int(configured[key])
    for row in _rule_rows():
        if row.get("source") == source and row.get("dataset") == dataset and row.get(
                "retention_days"):
            return int(row["retention_days"])
    return DEFAULT_RETENTION.get(key)


@cache
def _rule_rows() -> tuple[dict, ...]:
    from ..core.config import SEEDS_DIR

    rows: list[dict] = []
    for path in sorted((SEEDS_DIR / "publication_rules").glob("*_publication_rules.csv")):
        rows += read_seed(f"publication_rules/{path.stem}")
    return tuple(rows)


@dataclass(frozen=True)
class Freshness:
    """One dataset part (area/station, '' for the whole dataset) against its calendar."""

    rule: PublicationRule | None
    held_day: date | None  # latest data day archived
    expected_day: date | None  # latest data day public now
    behind_days: int  # expected days missing at the end
    overdue_hours: float  # how long the first missing day has been public (0 when none)
    next_public: datetime | None  # when the next day after held_day becomes public (JST)

    @property
    def missing(self) -> bool:
        return self.behind_days > 0


def freshness(source: str, dataset: str, part: str, held_day: date | None,
              now: datetime) -> Freshness:
    area = part.split("|")[0] if part else None
    rule = rule_for(source, dataset, area)
    if rule is None:
        return Freshness(None, held_day, None, 0, 0.0, None)
    expected = latest_public_day(rule, now)
    if held_day is None or expected is None:
        return Freshness(rule, held_day, expected, 0, 0.0,
                         None if expected is None else rule.available_at(expected))
    nxt = next_expected_day(rule, held_day)
    public = rule.available_at(nxt)
    behind = len(missing_days(rule, set(), nxt, expected)) if expected >= nxt else 0
    overdue = max(0.0, (to_jst_naive(now) - public).total_seconds() / 3600) if behind else 0.0
    return Freshness(rule, held_day, expected, behind, overdue, public)
