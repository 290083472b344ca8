"""TSO supply-demand on the demo build: marts, half-hourly view, ML features, no leakage."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_all_ten_areas_both_formats_reach_the_fact(warehouse):
    rows = dict(warehouse.execute("""
        select source_format, count(distinct area_code) from marts.fct_area_supply_demand group by 1
    """).fetchall())
    assert rows["common"] == 10
    # Hokkaido and Hokuriku start the common format in 2024-04: their March is legacy (hourly);
    # Chugoku's legacy rows are from its rolling file (December 2023)
    legacy = {r[0] for r in warehouse.execute("""
        select distinct area_code from marts.fct_area_supply_demand where resolution_minutes = 60
    """).fetchall()}
    assert legacy == {"01", "05", "07"}


def test_kyushu_starts_at_midnight_with_imports_positive(warehouse):
    first, inter, published = warehouse.execute("""
        select f.interval_start_jst, f.interconnection_mw, r.interconnection_mw
        from marts.fct_area_supply_demand as f
        join raw_tso.area_supply_demand as r
          on r.area_code = f.area_code and r.slot_date = f.delivery_date and r.time_minutes = 30
        where f.area_code = '09' order by f.interval_start_jst limit 1
    """).fetchone()
    assert str(first) == "2024-03-16 00:00:00"
    assert inter == -published


def test_halfhourly_view_joins_the_price_mart_for_every_jepx_row(warehouse):
    missing = warehouse.execute("""
        select count(*)
        from marts.fct_jepx_spot_area_prices as p
        left join marts.fct_area_demand_halfhourly as d
          on d.area_code = p.area_code and d.delivery_date = p.delivery_date
         and d.delivery_period = p.delivery_period
        where d.demand_mw is null and p.delivery_date < date '2024-04-14'
    """).fetchone()[0]
    assert missing == 0
    # an hourly legacy value stands for both half-hours of its hour
    pair = warehouse.execute("""
        select count(distinct demand_mw), count(*) from marts.fct_area_demand_halfhourly
        where area_code = '01' and delivery_date = date '2024-03-20' and delivery_period in (37, 38)
    """).fetchone()
    assert pair == (1, 2)


def test_ml_features_supply_demand_is_the_latest_day_public_at_the_gate(warehouse):
    leaks = warehouse.execute("""
        select count(*)
        from ml.ml_features as f
        join marts.fct_area_demand_halfhourly as d
          on d.area_code = f.area_code and d.delivery_period = f.delivery_period
         and d.delivery_date = f.delivery_date - f.supply_demand_age_days
        where f.demand_latest_mw is distinct from d.demand_mw
           or f.residual_load_latest_mw is distinct from d.residual_load_mw
    """).fetchone()[0]
    assert leaks == 0
    # by the calendar: TEPCO's day d is public at 01:00 on d+1 (age 2), Hokkaido's common file
    # at d+4 (age 5; its legacy March quarter only 30 days after the quarter); the other areas
    # publish the monthly file on the 28th of the next month: the demo's March is not public at
    # any of its gates, so those areas have no value (NULL, never a future one)
    ages = warehouse.execute("""
        select area_code, min(supply_demand_age_days), max(supply_demand_age_days),
               count(demand_latest_mw), min(delivery_date) filter (where demand_latest_mw is not null)
        from ml.ml_features group by 1 order by 1
    """).fetchall()
    by_area = {a: (lo, hi, n, str(first) if first else None) for a, lo, hi, n, first in ages}
    assert by_area["03"] == (2, 2, 29 * 48, "2024-03-18")
    assert by_area["01"] == (5, 5, 10 * 48, "2024-04-06")
    assert all(by_area[a] == (None, None, 0, None) for a in ("02", "04", "05", "06", "07", "08", "09"))
