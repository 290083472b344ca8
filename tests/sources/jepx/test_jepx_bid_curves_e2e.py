"""JEPX bid curves, splitting areas and fit_fip on the demo build."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_a_week_of_curves_reaches_the_marts(warehouse):
    days, curves, steps = warehouse.execute("""
        select count(distinct delivery_date), count(distinct (delivery_date, delivery_period, curve_key)),
               count(*)
        from marts.fct_jepx_bid_curve_steps
    """).fetchone()
    raw = warehouse.execute("select count(*) from raw_jepx.spot_bid_curves").fetchone()[0]
    assert days == 7 and steps == raw
    summary = warehouse.execute("select count(*) from marts.fct_jepx_bid_curve_summary").fetchone()[0]
    assert summary == curves
    systems = warehouse.execute("""
        select count(*) from marts.fct_jepx_bid_curve_summary where is_system_curve
    """).fetchone()[0]
    assert systems == 7 * 48


def test_recomputed_clearing_agrees_with_the_demo_spot_prices(warehouse):
    """The demo curves are built to cross at the demo system price and volume: the warn test
    finds nothing, and the bracket holds for every system curve."""
    off = warehouse.execute("""
        select count(*)
        from marts.fct_jepx_bid_curve_summary as c
        join (select distinct delivery_date, delivery_period, system_price_jpy_kwh,
                     system_contract_volume_kwh from marts.fct_jepx_spot_area_prices) as s
          using (delivery_date, delivery_period)
        where c.is_system_curve
          and (s.system_price_jpy_kwh not between c.clearing_price_low_jpy_kwh - 0.005
                                              and c.clearing_price_high_jpy_kwh + 0.005
               or abs(s.system_contract_volume_kwh / 500.0 - c.clearing_volume_mw) > 0.2)
    """).fetchone()[0]
    assert off == 0


def test_splitting_groups_need_not_cover_all_areas(warehouse):
    # the weekend days come from the real 2024-01-01: in period 1 Chubu (04) is in no group
    areas = [r[0] for r in warehouse.execute("""
        select area_code from marts.fct_jepx_splitting_areas
        where delivery_date = date '2024-04-13' and delivery_period = 1 order by 1
    """).fetchall()]
    assert "04" not in areas and len(areas) == 8
    unmapped = warehouse.execute(
        "select count(*) from marts.fct_jepx_splitting_areas where area_code is null").fetchone()[0]
    assert unmapped == 0


def test_fit_fip_loaded_and_agrees_with_the_family_a_file(warehouse):
    n = warehouse.execute("select count(*) from staging.stg_jepx__fit_fip_prices").fetchone()[0]
    assert n == 14 * 48
