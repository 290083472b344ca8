"""OCCTO unit generation on the demo build: latest versions, end labels shifted, area × fuel
sums, and the HJKS unit dimension's name matching."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_latest_version_per_unit_and_day(warehouse):
    n, revised = warehouse.execute("""
        select count(*), count(*) filter (where version_count = 2)
        from marts.fct_unit_generation_halfhourly
    """).fetchone()
    assert (n, revised) == (8 * 6 * 48, 8 * 48)  # 04-08..04-13; 04-12 fetched twice
    raw = warehouse.execute("""
        select r.kwh_ending_1800, f.generation_mwh * 1000
        from raw_unitgen.unit_generation as r
        join marts.fct_unit_generation_halfhourly as f
          on f.plant_code = r.plant_code and f.delivery_date = r.target_date
         and f.delivery_period = 36
        where r.plant_code = '30210' and r.target_date = date '2024-04-12'
        order by r._fetched_at
    """).fetchall()
    first_version, kept = raw[0]
    assert kept == first_version + 5000 and len(raw) == 2  # the revised value (+5 MWh) wins


def test_end_labels_and_area_fuel_sums(warehouse):
    first = warehouse.execute("""
        select min(delivery_start_jst) from marts.fct_unit_generation_halfhourly
    """).fetchone()[0]
    assert str(first) == "2024-04-08 00:00:00"
    mismatched = warehouse.execute("""
        select count(*) from marts.fct_area_generation_by_fuel_halfhourly as a
        join (select area_code, fuel_type, delivery_date, delivery_period, sum(generation_mw) as mw
              from marts.fct_unit_generation_halfhourly group by all) as u
          using (area_code, fuel_type, delivery_date, delivery_period)
        where abs(a.generation_mw - u.mw) > 1e-9
    """).fetchone()[0]
    assert mismatched == 0


def test_hjks_units_matched_to_occto(warehouse):
    quality = dict(warehouse.execute(
        "select match_quality, count(*) from marts.dim_generating_unit group by 1").fetchall())
    assert quality == {"normalised": 5, "plant_only": 1, "unmatched": 25}
    naie = warehouse.execute("""
        select authorised_capacity_mw, capacity_valid_to, changed_capacity_mw
        from marts.dim_generating_unit where plant_code = '10203'
    """).fetchone()
    assert str(naie[1]) == "2024-06-30" and naie[0] == 175.0 and naie[2] == 150.0
