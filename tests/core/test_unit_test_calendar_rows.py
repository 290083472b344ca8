"""The dbt unit tests of the feature timing rules give the calendar as fixture rows (dbt unit
tests cannot read a seed); every such row must be the seed's own rule, so that the unit tests
test the real calendar and fail when a seed row changes without its tests."""

from __future__ import annotations

from pathlib import Path

import yaml

from extract import registry
from extract.core.refdata import rule_for

MODELS = Path(__file__).resolve().parents[2] / "dbt_project" / "models"
TIMING = ("rule", "lag_days", "month_day", "period", "available_time_jst", "margin_hours")


def calendar_fixtures():
    for path in sorted(MODELS.rglob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for test in doc.get("unit_tests") or []:
            for given in test.get("given") or []:
                if given["input"].endswith("_publication_rules')"):
                    for row in given.get("rows") or []:
                        yield path.name, test["name"], row


def test_unit_test_calendar_rows_are_the_seed_rows():
    # rows of a registered source must be its seed's rule; invented sources (dq_publication_lag's
    # unit tests use source 'src') test the model's arithmetic, not the calendar
    rows = [r for r in calendar_fixtures() if r[2]["source"] in registry.names()]
    assert len(rows) >= 8  # jepx spot/intraday, tso areas and datasets, jma
    checked = 0
    for file, test, row in rows:
        rule = rule_for(row["source"], row["dataset"], row["area_code"])
        assert rule is not None, (file, test, row)
        if rule.area_code != row["area_code"]:
            continue  # an area row the seed does not have: a test of the per-area lookup itself
        checked += 1
        seed = {k: getattr(rule, k) for k in TIMING}
        fixture = {k: row.get(k) for k in TIMING}
        fixture["margin_hours"] = float(fixture["margin_hours"] or 0)
        assert fixture == seed, (file, test, row)
    assert checked >= 8
