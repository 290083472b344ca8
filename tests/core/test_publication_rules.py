"""The publication calendar (seeds/publication_rules/*.csv): every dataset of every source has a
rule, and each rule turns a data day into the right availability time at the edges."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from extract import registry
from extract.core.refdata import PublicationRule, publication_rules, rule_for


def rule(**kw) -> PublicationRule:
    base = dict(source="s", dataset="d", area_code="*", cadence="daily", rule="day_offset",
                lag_days=0, month_day=None, period=None, available_time_jst="00:00",
                margin_hours=0.0, evidence="test")
    return PublicationRule(**{**base, **kw})


@pytest.mark.parametrize("name", registry.names())
def test_every_dataset_of_every_source_has_a_rule(name):
    spec = registry.get(name)
    for ds in spec.datasets:
        rows = [r for r in publication_rules() if r.source == name and r.dataset == ds]
        assert rows, f"{name}.{ds}: no row in seeds/publication_rules/{name}_publication_rules.csv"
        for r in rows:
            assert r.evidence, f"{name}.{ds}: a rule needs its evidence (or says there is none)"
            r.available_at(date(2024, 3, 31))  # evaluable


def test_day_offset_before_and_after_the_day():
    spot = rule(lag_days=-1, available_time_jst="12:30")
    assert spot.available_at(date(2024, 4, 1)) == datetime(2024, 3, 31, 12, 30)  # FY edge
    nxt = rule(lag_days=1, available_time_jst="01:00", margin_hours=2)
    assert nxt.available_at(date(2024, 12, 31)) == datetime(2025, 1, 1, 3, 0)  # year edge


def test_month_day_publishes_a_whole_month_at_once():
    r = rule(rule="month_day", month_day=28, lag_days=None)
    assert r.available_at(date(2024, 1, 1)) == datetime(2024, 2, 28)
    assert r.available_at(date(2024, 1, 31)) == datetime(2024, 2, 28)
    assert r.available_at(date(2024, 12, 15)) == datetime(2025, 1, 28)  # December → January


@pytest.mark.parametrize(("period", "day", "expected"), [
    ("month", date(2024, 2, 10), datetime(2024, 3, 30)),  # leap February ends on the 29th
    ("quarter", date(2024, 3, 31), datetime(2024, 4, 30)),  # Q4 of FY2023 ends on 03-31
    ("quarter", date(2024, 4, 1), datetime(2024, 7, 30)),  # Q1 of FY2024 ends on 06-30
    ("quarter", date(2023, 12, 31), datetime(2024, 1, 30)),  # Q3 ends on 12-31
    ("fiscal_year", date(2023, 4, 1), datetime(2024, 4, 30)),
    ("fiscal_year", date(2024, 3, 31), datetime(2024, 4, 30)),
])
def test_period_end_rules_at_month_quarter_and_fiscal_year_ends(period, day, expected):
    assert rule(rule="period_end", period=period, lag_days=30).available_at(day) == expected


def test_an_area_row_overrides_the_all_areas_row():
    assert rule_for("tso", "area_supply_demand", "03").lag_days == 1
    assert rule_for("tso", "area_supply_demand", "02").rule == "month_day"
    assert rule_for("jepx", "spot_summary", "03").area_code == "*"
    assert rule_for("nosuch", "x") is None
