"""Write every mart and ml_features to Parquet under the export root, then list what was written.

Why a Python model: DuckDB's COPY neither creates a missing parent directory nor removes a file
that is no longer produced, and dbt has no SQL hook that touches the file system. dbt-duckdb runs
Python models in-process on the warehouse connection, so this model
  * creates the export root ($PMD_DATA_DIR/exports) when it is missing,
  * writes each dimension and data-quality mart to <root>/<model>.parquet, ORDER BY its grain
    (byte-reproducible),
  * writes each incremental fact and ml_features as one file per year of its date column,
    <root>/<model>/year_YYYY.parquet (ml_features: <root>/ml_features/delivery_year_YYYY.parquet,
    with delivery_year an INTEGER column inside every file), ORDER BY its grain. The file names
    carry no `key=value` folder, so no reader infers a hive partition column of its own type;
    read a fact with read_parquet('<root>/<model>/*.parquet'),
  * rewrites a file only when its content changed: the content fingerprint (row count and the
    sum of the rows' hashes, computed in DuckDB) is compared with the one recorded in this
    model's previous table, and the file must still be there with the bytes recorded then.
    Unchanged files keep their bytes, which are the bytes a full export writes (same rows, same
    order, same writer), so an incremental export equals a full one byte for byte,
  * fingerprints only the years an incremental build may have changed: every incremental model
    records in pmd_incremental.windows the first date it rewrote since its last export
    (export_since, kept by incremental_commit() across builds until this model has exported
    them, so a build whose export was skipped is caught up by the next). Years before it keep
    their files and manifest rows without a scan (when the file still has its recorded bytes);
    a first build or --full-refresh fingerprints every year,
  * deletes every file in a partitioned folder that no year produces any more (a year gone
    upstream, the old `delivery_year=YYYY/` folders, a fact's old single file), so no stale file
    survives,
  * writes through a temporary file renamed into place (a crash never leaves half a file),
and returns one row per file: path, rows, content fingerprint, bytes, sha256, whether written.
COPY streams from DuckDB to the file; nothing passes through Python memory.
"""

import hashlib
import os
import shutil

import pandas as pd

# model -> the columns of its grain (export ORDER BY); written whole to <root>/<model>.parquet
MARTS = {
    "dim_area": "area_code",
    "dim_date": "date_day",
    "dim_delivery_period": "delivery_period",
    "dq_coverage": "source_name, entity_id, coverage_month",
    "dq_source_issues": "issue_key",
}
# incremental model -> (its date column, the columns of its grain): one file per year of the
# date column under <root>/<model>/
PARTITIONED = {
    "fct_jepx_spot_area_prices": ("delivery_date", "delivery_date, delivery_period, area_code"),
    "fct_jepx_intraday_prices": ("delivery_date", "delivery_date, delivery_period"),
    "fct_area_supply_demand": ("delivery_date", "area_code, interval_start_jst"),
    "fct_area_demand_halfhourly": ("delivery_date", "area_code, delivery_date, delivery_period"),
    "fct_weather_hourly": ("observed_date", "station_id, observed_start_jst"),
    "fct_area_weather_hourly": ("observed_date", "area_code, observed_start_jst"),
    "ml_features": ("delivery_date", "delivery_date, delivery_period, area_code"),
}
ALL_YEARS = 0
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


def _fingerprints(session, relation, key="null", where="true"):
    """{key value (None without a key): (rows, hash)} of a relation's rows, order-free."""
    cols = ", ".join(_q(c) for c in relation.columns)
    sql = (f"select {key} as k, count(*) as n, "
           f"cast(coalesce(sum(cast(hash({cols}) as hugeint)), 0) as varchar) as h "
           f"from ({relation.sql_query()}) where {where} group by all")
    return {k: (int(n), h) for k, n, h in session.sql(sql).fetchall()}


def _previous(session, this):
    """The manifest rows of the previous build, by export_path ({} on the first build)."""
    try:
        rows = session.sql(
            f"select export_path, row_count, content_hash, bytes, sha256, delivery_year from {this}"
        ).fetchall()
    except Exception:  # noqa: BLE001 - no previous table (first build) or an older layout
        return {}
    return {r[0]: r[1:] for r in rows}


def _export_since(session):
    """{model: first year to fingerprint} from pmd_incremental.windows (ALL_YEARS when unknown)."""
    try:
        rows = session.sql(
            "select model_name, cast(export_since as varchar) from pmd_incremental.windows"
        ).fetchall()
    except Exception:  # noqa: BLE001 - a warehouse no incremental model has built yet
        return {}
    return {m: (10000 if d is None or d.startswith("9999") else int(d[:4])) for m, d in rows}


def _write(session, relation, order_by, path):
    """COPY the relation ORDER BY its grain to path, through a temporary file."""
    tmp = path + ".tmp"
    session.sql(
        f"copy (select * from ({relation.sql_query()}) order by {order_by}) "
        f"to '{tmp}' (format parquet)"
    )
    os.replace(tmp, path)


def _kept(root, relative, before):
    """True when the file of a previous manifest row is still there with its recorded bytes."""
    path = os.path.join(root, relative)
    return os.path.isfile(path) and os.path.getsize(path) == before[2]


def _export(session, root, previous, relative, relation, order_by, fingerprint):
    """Write one file unless its content and bytes are those of the previous build."""
    path = os.path.join(root, relative)
    rows, content = fingerprint
    before = previous.get(relative)
    if before is not None and before[0] == rows and before[1] == content and _kept(
            root, relative, before):
        return (relative, rows, content, before[2], before[3], False)
    _write(session, relation, order_by, path)
    return (relative, rows, content, os.path.getsize(path), _sha256(path), True)


def _export_by_year(session, root, previous, name, relation, date_column, order_by, first_year):
    """One file per year of date_column; years before first_year are kept unscanned."""
    folder = os.path.join(root, name)
    os.makedirs(folder, exist_ok=True)
    prefix = "delivery_year_" if name == "ml_features" else "year_"
    earlier = {}  # year -> previous manifest row of a file kept as it is
    redo = []  # years before first_year whose file is missing or altered: fingerprint them
    for relative, before in previous.items():
        if not relative.startswith(name + "/") or before[4] is None:
            continue
        if int(before[4]) >= first_year:
            continue
        if _kept(root, relative, before):
            earlier[int(before[4])] = (relative, before)
        else:
            redo.append(int(before[4]))
    if not earlier and not redo:
        first_year = ALL_YEARS  # no file of this layout yet: every year
    year = f"year({_q(date_column)})"
    where = "true" if first_year == ALL_YEARS else (
        f"{_q(date_column)} >= date '{first_year:04d}-01-01'"
        + (f" or {year} in ({', '.join(str(y) for y in redo)})" if redo else ""))
    years = _fingerprints(session, relation, year, where)  # never one of `earlier`
    out = []  # (year, manifest row)
    for y in sorted(years):
        relative = f"{name}/{prefix}{int(y)}.parquet"
        part = relation.filter(f"{_q(date_column)} >= date '{int(y):04d}-01-01' "
                               f"and {_q(date_column)} < date '{int(y) + 1:04d}-01-01'")
        out.append((int(y), _export(session, root, previous, relative, part, order_by, years[y])))
    for y, (relative, before) in earlier.items():
        out.append((y, (relative, *before[:4], False)))
    expected = {os.path.basename(row[0]) for _, row in out}
    for entry in os.listdir(folder):  # stale years, old hive folders, leftover temporary files
        if entry not in expected:
            path = os.path.join(folder, entry)
            if os.path.isdir(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
    single = os.path.join(root, name + ".parquet")  # the layout before facts were partitioned
    if os.path.isfile(single):
        os.remove(single)
    return out


def model(dbt, session):
    dbt.config(materialized="table")
    root = dbt.config.get("export_root")
    os.makedirs(root, exist_ok=True)
    previous = _previous(session, dbt.this)
    since = _export_since(session)
    out = []

    relations = {
        "dim_area": dbt.ref("dim_area"),
        "dim_date": dbt.ref("dim_date"),
        "dim_delivery_period": dbt.ref("dim_delivery_period"),
        "dq_coverage": dbt.ref("dq_coverage"),
        "dq_source_issues": dbt.ref("dq_source_issues"),
        "fct_jepx_spot_area_prices": dbt.ref("fct_jepx_spot_area_prices"),
        "fct_jepx_intraday_prices": dbt.ref("fct_jepx_intraday_prices"),
        "fct_area_supply_demand": dbt.ref("fct_area_supply_demand"),
        "fct_area_demand_halfhourly": dbt.ref("fct_area_demand_halfhourly"),
        "fct_weather_hourly": dbt.ref("fct_weather_hourly"),
        "fct_area_weather_hourly": dbt.ref("fct_area_weather_hourly"),
        "ml_features": dbt.ref("ml_features"),
    }
    for name, order_by in MARTS.items():
        relation = relations[name]
        fingerprint = _fingerprints(session, relation)[None] if len(relation.limit(1)) else (0, "0")
        row = _export(session, root, previous, f"{name}.parquet", relation, order_by, fingerprint)
        out.append((row[0], name, None, *row[1:]))
    for name, (date_column, order_by) in PARTITIONED.items():
        for year, row in _export_by_year(session, root, previous, name, relations[name],
                                         date_column, order_by, since.get(name, ALL_YEARS)):
            out.append((row[0], name, year, *row[1:]))
    # every window is exported now: the next build fingerprints only what it rewrites
    session.execute("update pmd_incremental.windows set export_since = date '9999-12-31' "
                    "where model_name in (" + ", ".join(f"'{n}'" for n in PARTITIONED) + ")")

    return pd.DataFrame(out, columns=COLUMNS).astype(
        {"delivery_year": "Int32", "row_count": "int64", "bytes": "int64", "written": "bool"}
    )
