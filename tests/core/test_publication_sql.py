"""The calendar in SQL (dbt macro `publication_available_at_jst`) agrees with Python
(`PublicationRule.available_at`) on every rule of every source's seed and on every day of
2023-12-01..2025-04-30 (month, quarter, fiscal-year and year ends, a leap day), plus synthetic
rules of every kind and period, so dbt's features and the operator tools never disagree."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from extract.core.refdata import PublicationRule, publication_rules

REPO = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")

INLINE = (
    "select r.rule_key, d.day, {{ publication_available_at_jst('r', 'd.day') }} as available_at_jst "
    "from rules as r cross join days as d"
)


@pytest.fixture(scope="module")
def macro_sql(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("dbt")
    env = {**os.environ, "PMD_DATA_DIR": str(tmp), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.run(
        [str(DBT), "compile", "--quiet", "--inline", INLINE, "--profiles-dir", str(REPO),
         "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs")],
        cwd=REPO / "dbt_project", env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout.strip()


def synthetic_rules() -> list[PublicationRule]:
    base = publication_rules()[0]
    kinds = [
        dict(rule="day_offset", lag_days=-1, available_time_jst="12:30", margin_hours=0.5),
        dict(rule="day_offset", lag_days=3, available_time_jst="23:59", margin_hours=24),
        dict(rule="month_day", lag_days=None, month_day=1, available_time_jst="00:00"),
        dict(rule="month_day", lag_days=None, month_day=28, available_time_jst="09:15"),
    ] + [dict(rule="period_end", lag_days=lag, period=p, available_time_jst="17:45")
         for p in ("month", "quarter", "fiscal_year") for lag in (0, 10)]
    return [replace(base, source="synthetic", dataset=f"k{i}", **k) for i, k in enumerate(kinds)]


def test_sql_and_python_agree_on_every_rule_and_day(macro_sql):
    rules = list(publication_rules()) + synthetic_rules()
    days = [date(2023, 12, 1) + timedelta(days=i) for i in range(517)]
    con = duckdb.connect()
    con.execute("""create table rules (rule_key varchar, rule varchar, lag_days integer,
        month_day integer, period varchar, available_time_jst varchar, margin_hours double)""")
    con.executemany("insert into rules values (?, ?, ?, ?, ?, ?, ?)", [
        (f"{r.source}.{r.dataset}.{r.area_code}", r.rule, r.lag_days, r.month_day, r.period,
         r.available_time_jst, r.margin_hours) for r in rules])
    con.execute("create table days as select unnest(?::date[]) as day", [days])
    got = {(k, d): t for k, d, t in con.execute(macro_sql).fetchall()}
    assert len(got) == len(rules) * len(days)
    for r in rules:
        key = f"{r.source}.{r.dataset}.{r.area_code}"
        for d in days:
            assert got[(key, d)] == r.available_at(d), (key, d)
