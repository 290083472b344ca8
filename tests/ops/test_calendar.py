"""The README's publication calendar table is generated from the seeds, and what it says is
known at the gate is what PublicationRule.available_at says, at month, quarter, fiscal-year and
year ends."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from extract.core.refdata import PublicationRule, _period_end, publication_rules
from extract.ops.calendar import (
    README,
    calendar_markdown,
    gate_days,
    known_at_gate,
    readme_block,
)
from extract.run import main

# delivery days whose gate (D−1) sits on or next to month, quarter, fiscal-year and year ends
DAYS = [date(2024, m, d) for m, d in ((1, 1), (1, 2), (2, 29), (3, 1), (4, 1), (4, 2), (6, 30),
                                      (7, 1), (7, 2), (10, 1), (12, 31))] + \
    [date(2025, 1, 1), date(2025, 3, 31), date(2025, 4, 1), date(2025, 4, 30), date(2025, 5, 1)]
DAYS += [date(2024, 1, 27) + timedelta(days=i) for i in range(4)]  # around day 28 of a month


def gate(delivery: date) -> datetime:
    return datetime.combine(delivery - timedelta(days=1), time(10, 0))


def rule(**kw) -> PublicationRule:
    base = dict(source="s", dataset="d", area_code="*", cadence="daily", rule="day_offset",
                lag_days=0, month_day=None, period=None, available_time_jst="00:00",
                margin_hours=0.0, evidence="test")
    return PublicationRule(**{**base, **kw})


def test_readme_table_is_the_seeds_table():
    block = readme_block(README.read_text(encoding="utf-8"))
    assert block is not None, "README.md lost its calendar markers"
    assert block == calendar_markdown(), (
        "README's publication calendar differs from seeds/publication_rules: run "
        "python -m extract.run calendar --write")


def test_the_command_prints_the_table(capsys):
    assert main(["calendar"]) == 0
    out = capsys.readouterr().out
    assert out == calendar_markdown()
    assert "| jepx | spot_summary | all | d−1 12:30 | up to D−1 |" in out


def _rules():
    extra = [rule(lag_days=1, available_time_jst="09:30", margin_hours=1),  # 10:30: misses
             rule(lag_days=0, available_time_jst="23:00", margin_hours=2),  # next day 01:00
             rule(rule="month_day", lag_days=None, month_day=10, available_time_jst="12:00"),
             rule(rule="period_end", period="quarter", lag_days=5, available_time_jst="18:00")]
    return [*publication_rules(), *extra]


@pytest.mark.parametrize("r", _rules(), ids=lambda r: f"{r.source}.{r.dataset}.{r.area_code}")
def test_what_the_table_says_is_public_at_the_gate_is_what_the_rule_says(r):
    k = gate_days(r)
    for delivery in DAYS:
        g = gate(delivery)
        if r.rule == "day_offset":  # data day D−k is public at the gate, D−k+1 is not
            assert r.available_at(delivery - timedelta(days=k)) <= g, (delivery, k)
            assert r.available_at(delivery - timedelta(days=k - 1)) > g, (delivery, k)
        elif r.rule == "month_day":  # the previous month of D−1 is public iff D−1 is day ≥ k
            prev_month_end = (delivery - timedelta(days=1)).replace(day=1) - timedelta(days=1)
            public = r.available_at(prev_month_end) <= g
            assert public == ((delivery - timedelta(days=1)).day >= k), delivery
            before = prev_month_end.replace(day=1) - timedelta(days=1)
            assert r.available_at(before) <= g  # the month before last always is
        else:  # a day is public iff its period ended on or before D−k
            cut = delivery - timedelta(days=k)
            for back in range(-40, 400, 3):
                day = cut - timedelta(days=back)
                ended = _period_end(day, r.period or "month") <= cut
                assert (r.available_at(day) <= g) == ended, (delivery, day)


def test_words_for_each_kind_of_rule():
    assert known_at_gate(rule(lag_days=-1, available_time_jst="12:30")) == "up to D−1"
    assert known_at_gate(rule(lag_days=1, available_time_jst="09:30", margin_hours=1)) == \
        "up to D−3"
    assert known_at_gate(rule(cadence="business_day", available_time_jst="17:30")) == \
        "up to trade day D−2 (the last business day on or before it)"
    assert known_at_gate(rule(rule="month_day", month_day=28, lag_days=None)).startswith(
        "whole months: the previous month once D−1 is day 28 or later")
    assert known_at_gate(rule(rule="period_end", period="fiscal_year", lag_days=30)) == \
        "up to the end of the last fiscal year that ended on or before D−31"
