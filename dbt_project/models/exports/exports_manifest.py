"""Write every mart and ml_features to Parquet under the export root, then list what was written.

Why a Python model: DuckDB's COPY neither creates a missing parent directory nor removes a
partition directory that is no longer produced (OVERWRITE only replaces the partitions it writes),
and dbt has no SQL hook that touches the file system. dbt-duckdb runs Python models in-process
on the warehouse connection, so this model
  * creates the export root ($PMD_DATA_DIR/exports) when it is missing,
  * writes each mart to <root>/<model>.parquet, ORDER BY its grain (byte-reproducible),
  * deletes <root>/ml_features/ and writes one file per delivery year,
    <root>/ml_features/delivery_year=YYYY/data_0.parquet, ORDER BY its grain, so a year that
    disappeared upstream disappears from the export too,
and returns one row per file: path, rows, sha256.
"""

import hashlib
import os
import shutil

import pandas as pd

# model -> the columns of its grain (export ORDER BY)
MARTS = {
    "dim_area": "area_code",
    "dim_date": "date_day",
    "dim_delivery_period": "delivery_period",
    "fct_jepx_spot_area_prices": "delivery_date, delivery_period, area_code",
    "fct_jepx_intraday_prices": "delivery_date, delivery_period",
    "fct_area_supply_demand": "area_code, interval_start_jst",
    "fct_area_demand_halfhourly": "area_code, delivery_date, delivery_period",
    "fct_weather_hourly": "station_id, observed_start_jst",
    "fct_area_weather_hourly": "area_code, observed_start_jst",
    "dq_coverage": "source_name, entity_id, coverage_month",
    "dq_source_issues": "issue_key",
}
ML_FEATURES_ORDER = "delivery_date, delivery_period, area_code"


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model(dbt, session):
    dbt.config(materialized="table")
    root = dbt.config.get("export_root")
    os.makedirs(root, exist_ok=True)
    rows = []

    relations = {
        "dim_area": dbt.ref("dim_area"),
        "dim_date": dbt.ref("dim_date"),
        "dim_delivery_period": dbt.ref("dim_delivery_period"),
        "fct_jepx_spot_area_prices": dbt.ref("fct_jepx_spot_area_prices"),
        "fct_jepx_intraday_prices": dbt.ref("fct_jepx_intraday_prices"),
        "fct_area_supply_demand": dbt.ref("fct_area_supply_demand"),
        "fct_area_demand_halfhourly": dbt.ref("fct_area_demand_halfhourly"),
        "fct_weather_hourly": dbt.ref("fct_weather_hourly"),
        "fct_area_weather_hourly": dbt.ref("fct_area_weather_hourly"),
        "dq_coverage": dbt.ref("dq_coverage"),
        "dq_source_issues": dbt.ref("dq_source_issues"),
    }
    for name, order_by in MARTS.items():
        path = os.path.join(root, f"{name}.parquet")
        relation = relations[name].order(order_by)
        relation.to_parquet(path)
        rows.append((f"{name}.parquet", name, None, len(relation), _sha256(path)))

    features = dbt.ref("ml_features")
    target = os.path.join(root, "ml_features")
    shutil.rmtree(target, ignore_errors=True)
    years = sorted(r[0] for r in features.project("delivery_year").distinct().fetchall())
    for year in years:
        part = os.path.join(target, f"delivery_year={year}")
        os.makedirs(part)
        path = os.path.join(part, "data_0.parquet")
        relation = features.filter(f"delivery_year = {int(year)}").project(
            "* exclude (delivery_year)"
        ).order(ML_FEATURES_ORDER)
        relation.to_parquet(path)
        rows.append((f"ml_features/delivery_year={year}/data_0.parquet", "ml_features", int(year),
                     len(relation), _sha256(path)))

    return pd.DataFrame(
        rows, columns=["export_path", "model_name", "delivery_year", "row_count", "sha256"]
    ).astype({"delivery_year": "Int32", "row_count": "int64"})
