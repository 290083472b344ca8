"""OCCTO on the demo build: every dataset reaches its mart, versions, periods, signs, checks."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

pytestmark = pytest.mark.e2e


def one(con, sql):
    return con.execute(sql).fetchone()


def test_every_dataset_reaches_its_mart(warehouse):
    for table, minimum in (("fct_interconnector_capacity", 1000), ("fct_reserve_margin", 1000),
                           ("fct_interconnector_flows_5min", 1000),
                           ("fct_interconnector_flows", 100), ("fct_area_demand_forecast", 100)):
        assert one(warehouse, f"select count(*) from marts.{table}")[0] >= minimum, table


def test_same_day_versions_are_kept_and_the_mart_takes_the_latest(warehouse):
    versions = one(warehouse, """
        select count(distinct published_at_jst) from raw_occto.kohyo_reserve_margin
        where jhsybt = '02' and target_date = '2024-04-14'""")[0]
    assert versions == 2  # 11:31 and 17:47 publications
    published, horizon = one(warehouse, """
        select published_at_jst, horizon from marts.fct_reserve_margin
        where area_code = '03' and delivery_date = '2024-04-14' and delivery_period = 48
          and horizon = 'same_day'""")
    assert str(published) == "2024-04-14 17:47:00" and horizon == "same_day"
    # tomorrow's rows, published the day before, are day-ahead
    assert one(warehouse, """select count(*) from marts.fct_reserve_margin
        where delivery_date = '2024-04-15' and horizon = 'day_ahead'""")[0] == 480
    as_of = one(warehouse, """select count(*) from intermediate.int_occto__reserve_margin_versions
        where valid_to_jst is not null""")[0]
    assert as_of > 0


def test_end_label_24_00_is_period_48_and_block_demand_adds_up(warehouse):
    start = one(warehouse, """select delivery_start_jst from marts.fct_reserve_margin
        where delivery_date = '2024-04-14' and delivery_period = 48 limit 1""")[0]
    assert str(start) == "2024-04-14 23:30:00"
    bad = one(warehouse, """select count(*) from (
        select delivery_date, delivery_period, horizon, block_no from marts.fct_reserve_margin
        group by all having abs(max(block_demand_mw) - sum(area_demand_mw)) > 1)""")[0]
    assert bad == 0


def test_thirty_minute_flows_are_the_real_means(warehouse):
    real = json.loads((FIXTURES / "occto" / "samples_subset.json").read_text())["flows_30min"]
    rows = warehouse.execute("""select line_name, delivery_period, actual_flow_mw, n_intervals,
        from_area_code, to_area_code from marts.fct_interconnector_flows
        where delivery_date = '2024-04-13'""").fetchall()
    assert len(rows) == 11 * 48
    for name, period, mean, n, _, _ in rows:
        assert n == 6 and abs(mean - real[name][period - 1]) <= 0.05 + 1e-9, (name, period)
    soma = [r for r in rows if r[0] == "相馬双葉幹線"][0]
    assert soma[4:] == ("02", "03")  # positive = Tohoku → Tokyo


def test_breakdown_lines_are_flagged_and_the_check_runs(warehouse):
    assert one(warehouse, """select count(distinct line_name) from marts.fct_interconnector_capacity
        where is_breakdown""")[0] == 2
    total, judged = one(warehouse, """select count(*), count(is_flow_at_limit_cheap_to_dear)
        from marts.dq_occto_split_vs_flow""")
    assert total > 0 and judged > 0
