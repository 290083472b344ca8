"""Write every mart and ml_features to Parquet under the export root, then list what was written.

Why a Python model: DuckDB's COPY neither creates a missing parent directory nor removes a file
that is no longer produced, and dbt has no SQL hook that touches the file system. dbt-duckdb runs
Python models in-process on the warehouse connection, so this model
  * creates the export root ($PMD_DATA_DIR/exports) when it is missing,
  * writes each mart to <root>/<model>.parquet, ORDER BY its grain (byte-reproducible),
  * writes ml_features as one file per delivery year, <root>/ml_features/delivery_year_YYYY.parquet,
    ORDER BY its grain, with delivery_year an INTEGER column inside every file. The file names
    carry no `key=value` folder, so no reader infers a hive partition column of its own type:
    pyarrow, pandas and DuckDB all read delivery_year as int32/INTEGER from the files,
  * rewrites a file only when its content changed: the content fingerprint (row count and the
    sum of the rows' hashes, computed in DuckDB) is compared with the one recorded in this
    model's previous table, and the file must still be there with the bytes recorded then.
    Unchanged files keep their bytes, which are the bytes a full export writes (same rows, same
    order, same writer), so an incremental export equals a full one byte for byte,
  * deletes every file under <root>/ml_features/ that no year produces any more (a year gone
    upstream, or the old `delivery_year=YYYY/` folders), so no stale file survives,
  * writes through a temporary file renamed into place (a crash never leaves half a file),
and returns one row per file: path, rows, content fingerprint, bytes, sha256, whether written.
COPY streams from DuckDB to the file; nothing passes through Python memory.
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
COLUMNS = ["export_path", "model_name", "delivery_year", "row_count", "content_hash", "bytes",
           "sha256", "written"]


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _q(name):
    return '"' + name.replace('"', '""') + '"'


def _fingerprints(session, relation, group_by=None):
    """{group value (None without group_by): (rows, hash)} of a relation's rows, order-free."""
    cols = ", ".join(_q(c) for c in relation.columns)
    key = _q(group_by) if group_by else "null"
    sql = (f"select {key} as k, count(*) as n, "
           f"cast(coalesce(sum(cast(hash({cols}) as hugeint)), 0) as varchar) as h "
           f"from ({relation.sql_query()}) group by all")
    return {k: (int(n), h) for k, n, h in session.sql(sql).fetchall()}


def _previous(session, this):
    """The manifest rows of the previous build, by export_path ({} on the first build)."""
    try:
        rows = session.sql(
            f"select export_path, row_count, content_hash, bytes, sha256 from {this}"
        ).fetchall()
    except Exception:  # noqa: BLE001 - no previous table (first build) or an older layout
        return {}
    return {r[0]: r[1:] for r in rows}


def _write(session, relation, order_by, path):
    """COPY the relation ORDER BY its grain to path, through a temporary file."""
    tmp = path + ".tmp"
    session.sql(
        f"copy (select * from ({relation.sql_query()}) order by {order_by}) "
        f"to '{tmp}' (format parquet)"
    )
    os.replace(tmp, path)


def _export(session, root, previous, relative, relation, order_by, fingerprint):
    """Write one file unless its content and bytes are those of the previous build."""
    path = os.path.join(root, relative)
    rows, content = fingerprint
    before = previous.get(relative)
    unchanged = (
        before is not None and before[0] == rows and before[1] == content
        and os.path.isfile(path) and os.path.getsize(path) == before[2]
    )
    if unchanged:
        return (relative, rows, content, before[2], before[3], False)
    _write(session, relation, order_by, path)
    return (relative, rows, content, os.path.getsize(path), _sha256(path), True)


def model(dbt, session):
    dbt.config(materialized="table")
    root = dbt.config.get("export_root")
    os.makedirs(root, exist_ok=True)
    previous = _previous(session, dbt.this)
    out = []

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
        relation = relations[name]
        fingerprint = _fingerprints(session, relation)[None] if len(relation.limit(1)) else (0, "0")
        row = _export(session, root, previous, f"{name}.parquet", relation, order_by, fingerprint)
        out.append((row[0], name, None, *row[1:]))

    features = dbt.ref("ml_features")
    target = os.path.join(root, "ml_features")
    os.makedirs(target, exist_ok=True)
    years = _fingerprints(session, features, "delivery_year")
    expected = set()
    for year in sorted(years):
        relative = f"ml_features/delivery_year_{int(year)}.parquet"
        expected.add(os.path.basename(relative))
        relation = features.filter(f"delivery_year = {int(year)}")
        row = _export(session, root, previous, relative, relation, ML_FEATURES_ORDER, years[year])
        out.append((row[0], "ml_features", int(year), *row[1:]))
    for entry in os.listdir(target):  # stale years, old hive folders, leftover temporary files
        if entry not in expected:
            path = os.path.join(target, entry)
            if os.path.isdir(path):
                shutil.rmtree(path)
            else:
                os.remove(path)

    return pd.DataFrame(out, columns=COLUMNS).astype(
        {"delivery_year": "Int32", "row_count": "int64", "bytes": "int64", "written": "bool"}
    )
