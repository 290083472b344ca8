"""End to end on the bundled demo archive: offline extract → dbt build → Parquet exports.

This is README command 1 in miniature, in a throw-away data directory.
"""

from __future__ import annotations

import duckdb
import pytest

pytestmark = pytest.mark.e2e


def test_dbt_build_passes_every_test(built):
    _, out = built
    assert "ERROR=0" in out and "PASS=" in out


def test_warehouse_has_raw_staging_marts_and_ml(built):
    data, _ = built
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    schemas = {r[0] for r in con.execute("select distinct table_schema from information_schema.tables").fetchall()}
    assert {"raw_jepx", "staging", "intermediate", "marts", "ml", "seeds"} <= schemas
    # demo: 2024-03-18..2024-04-14 = 28 days x 48 periods x 9 JEPX areas
    assert con.execute("select count(*) from marts.fct_jepx_spot_area_prices").fetchone()[0] == 28 * 48 * 9
    con.close()


def test_parquet_exports_exist_and_are_readable(built):
    data, _ = built
    exports = data / "exports"
    # an incremental fact is one file per year of its date, like ml_features
    assert [p.name for p in (exports / "fct_jepx_spot_area_prices").iterdir()] == ["year_2024.parquet"]
    assert not (exports / "fct_jepx_spot_area_prices.parquet").exists()
    assert (exports / "dim_area.parquet").exists()
    parts = sorted(p.name for p in (exports / "ml_features").iterdir())
    assert parts == ["delivery_year_2024.parquet"]
    con = duckdb.connect()
    n, lagged = con.execute(
        "select count(*), count(price_week_ago_jpy_kwh) from read_parquet(?)",
        [str(exports / "ml_features" / "*.parquet")],
    ).fetchone()
    # 28 auctioned demo days + the scoring day after the last auction (2024-04-15, label NULL)
    assert n == 29 * 48 * 9
    assert lagged == 22 * 48 * 9  # the first 7 demo days have no week-ago price
    fct = con.execute("select count(*) from read_parquet(?)",
                      [str(exports / "fct_jepx_spot_area_prices" / "*.parquet")]).fetchone()[0]
    assert fct == 28 * 48 * 9


def test_ml_price_features_are_the_latest_day_public_at_the_gate(built):
    data, _ = built
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    # spot results of day d are public at 12:30 on d-1: the latest public day is D-1 (age 1)
    leaks = con.execute("""
        select count(*)
        from ml.ml_features as f
        left join marts.fct_jepx_spot_area_prices as p
          on p.area_code = f.area_code and p.delivery_period = f.delivery_period
         and p.delivery_date = f.delivery_date - 1
        where f.price_latest_jpy_kwh is distinct from p.area_price_jpy_kwh
           or (p.delivery_date is not null and f.price_age_days is distinct from 1)
    """).fetchone()[0]
    assert leaks == 0
    # intraday results of day d are public at 12:00 on d+1: D-3 (age 3), never D-2
    ages = con.execute("""select distinct intraday_age_days from ml.ml_features
        where intraday_age_days is not null""").fetchall()
    assert ages == [(3,)]
    con.close()
