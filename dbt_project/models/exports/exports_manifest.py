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
  * fingerprints only the years an incremental build may have changed, and of those only the
    years whose row count is the previous file's (a count that changed, as a new day's does,
    means new content: that year is rewritten without hashing its rows): every incremental model
    records in pmd_incremental.windows the first date it rewrote since its last export
    (export_since, kept by incremental_commit() across builds until this model has exported
    them, so a build whose export was skipped is caught up by the next). Years before it keep
    their files and manifest rows without a scan (when the file still has its recorded bytes);
    a --full-refresh fingerprints every year,
  * fingerprints nothing where there is nothing to compare with: a file with no previous
    manifest row (a first build, a new year) is written straight away, and its manifest row
    records the row count COPY returned and no content hash (NULL). A later build that
    fingerprints that file compares with the file's own fingerprint, read back from its Parquet
    (cheaper than rewriting it), so an unchanged file still keeps its bytes, and records it,
  * runs the COPYs side by side, one DuckDB cursor per DuckDB thread (one ordered COPY keeps
    about one core busy); each file is still one COPY of the same query, so its bytes do not
    depend on what runs beside it,
  * deletes every file in a partitioned folder that no year produces any more (a year gone
    upstream, the old `delivery_year=YYYY/` folders, a fact's old single file), so no stale file
    survives,
  * writes through a temporary file renamed into place (a crash never leaves half a file),
and returns one row per file: path, rows, content fingerprint, bytes, sha256, whether written.
COPY streams from DuckDB to the file; nothing passes through Python memory.
"""

import hashlib
import os
import queue
import shutil
from concurrent.futures import ThreadPoolExecutor

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
    # the order of (delivery_date, delivery_period, area_code) as one BIGINT (ml_features' own
    # join key: the area codes are two digits, dim_area's accepted_values test): the same rows
    # in the same order, so the same bytes, and a sort of its 108 columns about a fifth faster
    "ml_features": ("delivery_date", "((delivery_date - date '1900-01-01') * 100 + delivery_period)"
                                     " * 100 + cast(area_code as integer)"),
}
ALL_YEARS = 0
# the manifest's columns and types (one row per file)
COLUMNS = {"export_path": "varchar", "model_name": "varchar", "delivery_year": "integer",
           "row_count": "bigint", "content_hash": "varchar", "bytes": "bigint", "sha256": "varchar",
           "written": "boolean"}


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _q(name):
    return '"' + name.replace('"', '""') + '"'


def _fingerprint_sql(columns, source, key="null", where="true"):
    return (f"select {key} as k, count(*) as n, "
            f"cast(coalesce(sum(cast(hash({columns}) as hugeint)), 0) as varchar) as h "
            f"from {source} where {where} group by all")


def _fingerprints(session, relation, key="null", where="true"):
    """{key value (None without a key): (rows, hash)} of a relation's rows, order-free."""
    cols = ", ".join(_q(c) for c in relation.columns)
    sql = _fingerprint_sql(cols, f"({relation.sql_query()})", key, where)
    return {k: (int(n), h) for k, n, h in session.sql(sql).fetchall()}


def _file_fingerprint(session, path, relation):
    """(rows, hash) of a written file, each column read back as the relation's type, so that
    equal rows give the fingerprint _fingerprints() gives (a type that does not survive the
    round trip only makes the file look changed: it is rewritten, never wrongly kept)."""
    cols = ", ".join(f"cast({_q(c)} as {t})" for c, t in zip(relation.columns, relation.types, strict=True))
    path_sql = "'" + path.replace("'", "''") + "'"
    found = session.sql(_fingerprint_sql(cols, f"read_parquet({path_sql})")).fetchall()
    return (int(found[0][1]), found[0][2]) if found else (0, "0")


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


def _kept(root, relative, before):
    """True when the file of a previous manifest row is still there with its recorded bytes."""
    path = os.path.join(root, relative)
    return os.path.isfile(path) and os.path.getsize(path) == before[2]


class _Writer:
    """Runs the COPYs of one export on as many DuckDB cursors as DuckDB has threads.

    A single ordered COPY keeps about one core busy (most of it is the Parquet writer), so the
    files are written side by side. Each file is still one COPY of the same query ORDER BY its
    grain, so its bytes do not depend on what runs beside it."""

    def __init__(self, session, root):
        workers = max(1, int(session.sql("select current_setting('threads')").fetchall()[0][0]))
        self.root = root
        self.cursors = queue.Queue()
        timezone = session.sql("select current_setting('TimeZone')").fetchall()[0][0]
        for _ in range(workers):
            cursor = session.cursor()
            cursor.execute(f"set TimeZone = '{timezone}'")
            self.cursors.put(cursor)
        self.pool = ThreadPoolExecutor(max_workers=workers)

    def _copy(self, relative, query, rows, content):
        path = os.path.join(self.root, relative)
        tmp = path + ".tmp"
        cursor = self.cursors.get()
        try:
            written = cursor.execute(f"copy ({query}) to '{tmp}' (format parquet)").fetchone()[0]
        finally:
            self.cursors.put(cursor)
        os.replace(tmp, path)
        if rows is not None and rows != written:
            raise RuntimeError(f"exports_manifest: {relative}: fingerprinted {rows} rows, "
                               f"wrote {written}")
        return (relative, int(written), content, os.path.getsize(path), _sha256(path), True)

    def write(self, relative, relation, order_by, rows=None, content=None):
        """Queue a COPY of the relation ORDER BY its grain to relative, through a temporary
        file; rows and content are its fingerprint (None: not computed, nothing to compare)."""
        query = f"select * from ({relation.sql_query()}) order by {order_by}"
        return self.pool.submit(self._copy, relative, query, rows, content)

    def close(self):
        self.pool.shutdown(wait=True)
        while not self.cursors.empty():
            self.cursors.get().close()


def _export(session, writer, previous, relative, relation, order_by, fingerprint):
    """Keep one file when its content and bytes are those of the previous build, else write it.

    fingerprint is (rows, content hash), or None. None or no previous file: the file is written
    without a scan of its rows, and the manifest records no content hash (NULL). A later build
    that fingerprints it then compares with the file's own fingerprint, read back from it. A
    content hash of None (rows counted, not hashed) is never the previous file's: the file is
    written, its manifest row records the rows and no content hash.
    Returns the manifest row, or a future of it."""
    before = previous.get(relative)
    if fingerprint is None or before is None:
        return writer.write(relative, relation, order_by)
    rows, content = fingerprint
    if before[0] == rows and _kept(writer.root, relative, before):
        recorded = before[1]
        if recorded is None:  # written without a fingerprint: read it back from the file
            recorded = _file_fingerprint(session, os.path.join(writer.root, relative),
                                         relation)[1]
        if recorded == content:
            return (relative, rows, content, before[2], before[3], False)
    return writer.write(relative, relation, order_by, rows, content)


def _export_by_year(session, writer, previous, name, relation, date_column, order_by,
                    first_year):
    """One file per year of date_column; years before first_year are kept unscanned.

    Returns [(year, manifest row or its future)]."""
    folder = os.path.join(writer.root, name)
    os.makedirs(folder, exist_ok=True)
    prefix = "delivery_year_" if name == "ml_features" else "year_"
    earlier = {}  # year -> previous manifest row of a file kept as it is
    redo = []  # years before first_year whose file is missing or altered: fingerprint them
    for relative, before in previous.items():
        if not relative.startswith(name + "/") or before[4] is None:
            continue
        if int(before[4]) >= first_year:
            continue
        if _kept(writer.root, relative, before):
            earlier[int(before[4])] = (relative, before)
        else:
            redo.append(int(before[4]))
    if not earlier and not redo:
        first_year = ALL_YEARS  # no file of this layout yet: every year
    year = f"year({_q(date_column)})"
    where = "true" if first_year == ALL_YEARS else (
        f"{_q(date_column)} >= date '{first_year:04d}-01-01'"
        + (f" or {year} in ({', '.join(str(y) for y in redo)})" if redo else ""))
    # the years to export (never one of `earlier`) and their rows: a scan of the date column alone
    counts = {int(y): int(n) for y, n in session.sql(
        f"select {year}, count(*) from ({relation.sql_query()}) where {where} group by all"
    ).fetchall()}

    def relative_of(y):
        return f"{name}/{prefix}{y}.parquet"

    # fingerprint only the years whose previous file has as many rows: a year whose row count
    # changed (a new day) is rewritten without hashing its rows ((rows, None) below), and its
    # manifest row records no content hash, as a first export's does
    compared = [y for y, n in counts.items()
                if relative_of(y) in previous and previous[relative_of(y)][0] == n]
    fingerprints = {}
    if compared:
        fingerprints = {int(y): f for y, f in _fingerprints(
            session, relation, year,
            f"({where}) and {year} in ({', '.join(str(y) for y in compared)})").items()}
    out = []  # (year, manifest row or its future)
    for y in sorted(counts):
        part = relation.filter(f"{_q(date_column)} >= date '{y:04d}-01-01' "
                               f"and {_q(date_column)} < date '{y + 1:04d}-01-01'")
        out.append((y, _export(session, writer, previous, relative_of(y), part, order_by,
                               fingerprints.get(y, (counts[y], None)))))
    for y, (relative, before) in earlier.items():
        out.append((y, (relative, *before[:4], False)))
    return out


def _remove_stale(root, name, paths):
    """Delete every entry of a yearly folder that is none of this export's paths (stale years,
    old hive folders, leftover temporary files) and the model's file of the layout before
    years."""
    folder = os.path.join(root, name)
    expected = {os.path.basename(path) for path in paths}
    for entry in os.listdir(folder):
        if entry not in expected:
            path = os.path.join(folder, entry)
            if os.path.isdir(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
    single = os.path.join(root, name + ".parquet")
    if os.path.isfile(single):
        os.remove(single)


def _done(row):
    return row.result() if hasattr(row, "result") else row


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
    writer = _Writer(session, root)
    try:
        planned = []  # (model, year, manifest row or its future)
        for name, order_by in MARTS.items():
            relation = relations[name]
            relative = f"{name}.parquet"
            fingerprint = None
            if relative in previous:
                fingerprint = (_fingerprints(session, relation)[None]
                               if len(relation.limit(1)) else (0, "0"))
            planned.append((name, None, _export(session, writer, previous, relative, relation,
                                                order_by, fingerprint)))
        for name, (date_column, order_by) in PARTITIONED.items():
            planned.extend((name, year, row) for year, row in _export_by_year(
                session, writer, previous, name, relations[name], date_column, order_by,
                since.get(name, ALL_YEARS)))
        for name, year, row in planned:
            row = _done(row)
            out.append((row[0], name, year, *row[1:]))
    finally:
        writer.close()
    for name in PARTITIONED:
        _remove_stale(root, name, [row[0] for row in out if row[1] == name])
    # every window is exported now: the next build fingerprints only what it rewrites
    session.execute("update pmd_incremental.windows set export_since = date '9999-12-31' "
                    "where model_name in (" + ", ".join(f"'{n}'" for n in PARTITIONED) + ")")

    # a DuckDB relation, not a DataFrame: importing pandas took about 0.7 s of every build
    # (this model is its last node)
    session.execute("create or replace temp table exports_manifest_rows ("
                    + ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items()) + ")")
    if out:
        session.executemany("insert into exports_manifest_rows values ("
                            + ", ".join("?" * len(COLUMNS)) + ")", out)
    return session.table("exports_manifest_rows")
