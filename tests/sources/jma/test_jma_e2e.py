"""JMA weather on the demo build: station and area marts, hour starts, lagged ML features."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_every_seed_station_has_every_hour_of_the_demo(warehouse):
    rows = warehouse.execute("""
        select count(distinct station_id), count(*), min(observed_start_jst), max(observed_start_jst)
        from marts.fct_weather_hourly
    """).fetchone()
    # obsdl asked on 2024-04-14 serves 2024-03-16 01:00 .. 2024-04-14 00:00 (hour-ending labels)
    assert rows[:2] == (10, 10 * 29 * 24)
    assert (str(rows[2]), str(rows[3])) == ("2024-03-16 00:00:00", "2024-04-13 23:00:00")
    assert warehouse.execute("select count(*) from marts.fct_area_weather_hourly").fetchone()[0] == 10 * 29 * 24


def test_a_missing_value_stays_null_in_the_marts(warehouse):
    row = warehouse.execute("""
        select temperature_degc, temperature_quality from marts.fct_weather_hourly
        where temperature_quality = 1
    """).fetchall()
    assert row == [(None, 1)]


def test_ml_weather_features_are_the_latest_day_public_at_the_gate(warehouse):
    # JMA's day d is public at 12:00 on d+1 (publication calendar): at 10:00 on D-1 the latest
    # public day is D-3, never D-2
    leaks = warehouse.execute("""
        select count(*)
        from ml.ml_features as f
        join marts.fct_area_weather_hourly as w
          on w.area_code = f.area_code
         and w.observed_start_jst = cast(f.delivery_date - 3 as timestamp)
             + to_hours(cast((f.delivery_period - 1) // 2 as integer))
        where f.temperature_latest_degc is distinct from w.temperature_degc
           or f.weather_age_days is distinct from 3
    """).fetchone()[0]
    assert leaks == 0
    filled = warehouse.execute("select count(temperature_latest_degc) from ml.ml_features").fetchone()[0]
    # 28 of the 29 feature days have a public weather day (the first, 03-18, would need 03-15);
    # one missing Toyama hour → its two half-hours
    assert filled == 28 * 48 * 9 - 2
