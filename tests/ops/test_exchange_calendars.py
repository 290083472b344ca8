"""EEX and ICE trade dates follow their own exchange calendars (the publication rules'
``calendar`` column → the ``exchange_holidays`` seed generated from the ``holidays`` library),
JPX and imports the Japanese one: ``status`` / ``due`` expect a trade date only on its
exchange's business days."""

from __future__ import annotations

import csv
from datetime import date, datetime

import pytest

from extract.core.config import SEEDS_DIR
from extract.core.refdata import rule_for
from extract.ops.schedule import expects, holidays, latest_public_day, missing_days

JPX = rule_for("futures", "jpx_settlement")
EEX = rule_for("futures", "eex_settlement")
ICE = rule_for("futures", "ice_settlement")


def test_the_futures_rules_name_their_calendars():
    assert (JPX.calendar, EEX.calendar, ICE.calendar) == ("jp", "XECB", "IFEU")
    assert rule_for("futures", "imported_settlement").calendar == "jp"
    assert rule_for("jepx", "spot_summary").calendar == "jp"  # a rules file without the column


@pytest.mark.parametrize(("day", "jpx", "eex", "ice"), [
    (date(2024, 3, 29), True, False, False),   # Good Friday: JPX trades, EEX and ICE do not
    (date(2024, 4, 1), True, False, True),     # Easter Monday: TARGET closed, IFEU open
    (date(2024, 4, 29), False, True, True),    # Showa Day (Golden Week): Europe trades
    (date(2024, 5, 1), True, False, True),     # Labour Day: TARGET closed
    (date(2024, 5, 3), False, True, True),     # Constitution Memorial Day
    (date(2024, 5, 6), False, True, True),     # substitute holiday (Golden Week Monday)
    (date(2024, 12, 24), True, True, True),    # Christmas Eve: open everywhere
    (date(2024, 12, 25), True, False, False),  # Christmas Day
    (date(2024, 12, 26), True, False, True),   # Boxing Day: TARGET closed, IFEU open
    (date(2025, 1, 1), False, False, False),   # New Year's Day: closed everywhere
    (date(2024, 4, 13), False, False, False),  # a Saturday
])
def test_holiday_edges(day, jpx, eex, ice):
    assert (expects(JPX, day), expects(EEX, day), expects(ICE, day)) == (jpx, eex, ice)


def test_latest_public_trade_date_skips_the_exchange_holidays():
    # EEX settles D at 03:00 JST of D+1: on Tuesday 2 April 2024 at 04:00 the latest EEX trade
    # date is Thursday 28 March (Good Friday and Easter Monday closed), ICE's is Easter Monday
    now = datetime(2024, 4, 2, 4, 0)
    assert latest_public_day(EEX, now) == date(2024, 3, 28)
    assert latest_public_day(ICE, datetime(2024, 4, 2, 7, 0)) == date(2024, 4, 1)
    # Golden Week: EEX trade dates on Japanese holidays are expected (missing if not held)
    gw = missing_days(EEX, set(), date(2024, 4, 27), date(2024, 5, 6))
    assert gw == [date(2024, 4, 29), date(2024, 4, 30), date(2024, 5, 2), date(2024, 5, 3),
                  date(2024, 5, 6)]
    assert missing_days(JPX, set(), date(2024, 4, 27), date(2024, 5, 6)) == [
        date(2024, 4, 30), date(2024, 5, 1), date(2024, 5, 2)]


def test_the_seed_is_what_the_holidays_library_says():
    lib = pytest.importorskip("holidays")  # a dev dependency: the generator's library
    with open(SEEDS_DIR / "exchange_holidays.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for code in ("IFEU", "XECB"):
        seeded = {date.fromisoformat(r["holiday_date"]) for r in rows if r["calendar"] == code}
        expected = set(lib.financial_holidays(code, years=range(2005, 2031)))
        assert seeded == expected, code
    assert date(2030, 4, 19) in holidays("XECB")  # Good Friday 2030: the seed reaches 2030


def test_an_unknown_calendar_is_a_clear_error():
    with pytest.raises(ValueError, match="exchange_holidays seed"):
        holidays("XXXX")
