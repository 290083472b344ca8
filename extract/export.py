"""Export any mart or the feature mart to CSV or Parquet, for people who live in Excel.

    python -m extract.export MODEL [--format parquet|csv] [--start D] [--end D] [--out PATH]

``MODEL`` is a table of the ``marts`` or ``ml`` schema (``fct_jepx_spot_area_prices``,
``ml_features``; ``marts.dim_area`` works too). ``--start/--end`` filter on the model's date
column (the first of ``delivery_date``, ``*_date``, or the date of its first ``*_jst``
timestamp; ``--date-column`` names another). Timestamps are written tz-aware: a naive
``*_utc`` column is UTC, every other naive timestamp is JST wall-clock time (all sources are
JST), so the CSV has ISO 8601 with the offset (``2024-04-01T00:30:00+09:00``) and the Parquet
file has UTC-adjusted timestamps. CSV is UTF-8 (``--bom`` adds the byte-order mark Excel needs
to read Japanese text). Default output: ``<data>/exports/out/<model>.<csv|parquet>``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import duckdb

from .core.config import OptionError, data_dir, exports_dir, warehouse_path

SCHEMAS = ("marts", "ml")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def find_model(con, model: str) -> tuple[str, str]:
    schema, _, name = model.rpartition(".")
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables where table_name = ? "
        "and table_schema in (select unnest(?))", [name, [schema] if schema else list(SCHEMAS)]
    ).fetchall()
    if not rows:
        known = [f"{s}.{t}" if s != "marts" else t for s, t in con.execute(
            "select table_schema, table_name from information_schema.tables where table_schema "
            "in (select unnest(?)) order by 1, 2", [list(SCHEMAS)]).fetchall()]
        raise LookupError(f"no model {model!r} in the warehouse (run dbt build?); known: "
                          f"{', '.join(known) or 'none'}")
    return rows[0]


def columns(con, schema: str, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from information_schema.columns where table_schema = ? "
        "and table_name = ? order by ordinal_position", [schema, table]).fetchall()


def date_expr(cols: list[tuple[str, str]], chosen: str | None) -> str | None:
    """The SQL for the row's date (JST) used by --start/--end."""
    names = dict(cols)
    if chosen:
        if chosen not in names:
            raise LookupError(f"no column {chosen!r}; columns: {', '.join(names)}")
        return f"cast({_q(chosen)} as date)"
    for name in ("delivery_date", *[n for n, t in cols if t == "DATE" and n.endswith("_date")]):
        if name in names:
            return _q(name)
    for name, t in cols:
        if t == "TIMESTAMP" and name.endswith("_jst"):
            return f"cast({_q(name)} as date)"
    return None


def select_list(cols: list[tuple[str, str]], fmt: str) -> str:
    out = []
    for name, t in cols:
        col = _q(name)
        if t == "TIMESTAMP":  # naive: JST wall clock unless the name says UTC
            zone, offset = ("UTC", "+00:00") if name.endswith("_utc") else ("Asia/Tokyo", "+09:00")
            if fmt == "csv":
                out.append(f"strftime({col}, '%Y-%m-%dT%H:%M:%S') || '{offset}' as {col}")
            else:
                out.append(f"timezone('{zone}', {col}) as {col}")
        elif t.startswith("TIMESTAMP WITH TIME ZONE") and fmt == "csv":
            out.append(f"strftime(timezone('UTC', {col}), '%Y-%m-%dT%H:%M:%S') || '+00:00' "
                       f"as {col}")
        else:
            out.append(col)
    return ", ".join(out)


def export(model: str, *, fmt: str = "parquet", start: date | None = None,
           end: date | None = None, out: Path | None = None, data: Path | None = None,
           date_column: str | None = None, bom: bool = False) -> tuple[Path, int]:
    """Write the export; returns (path, rows)."""
    data = data or data_dir()
    wh = warehouse_path(data)
    if not wh.exists():
        raise LookupError(f"no warehouse at {wh}: run extract.run and dbt build first")
    con = duckdb.connect(str(wh), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        schema, table = find_model(con, model)
        cols = columns(con, schema, table)
        where = []
        if start or end:
            expr = date_expr(cols, date_column)
            if expr is None:
                raise LookupError(f"{schema}.{table} has no date column for --start/--end")
            if start:
                where.append(f"{expr} >= DATE '{start.isoformat()}'")
            if end:
                where.append(f"{expr} <= DATE '{end.isoformat()}'")
        sql = f"select {select_list(cols, fmt)} from {_q(schema)}.{_q(table)}"
        if where:
            sql += " where " + " and ".join(where)
        out = out or exports_dir(data) / "out" / f"{table}.{fmt}"
        out.parent.mkdir(parents=True, exist_ok=True)
        rows = con.execute(f"select count(*) from ({sql})").fetchone()[0]
        tmp = out.with_name(f".{out.name}.tmp")
        if fmt == "parquet":
            con.execute(f"copy ({sql}) to '{tmp}' (format parquet, compression zstd)")
        else:
            con.execute(f"copy ({sql}) to '{tmp}' (format csv, header true, delimiter ',', "
                        "dateformat '%Y-%m-%d')")
            if bom:
                tmp.write_bytes(b"\xef\xbb\xbf" + tmp.read_bytes())
        tmp.replace(out)
        return out, rows
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m extract.export",
                                description=__doc__.split("\n\n")[0],
                                epilog="Run after dbt build. Exit 2 for an unknown model.")
    p.add_argument("model", help="a mart (fct_jepx_spot_area_prices, marts.dim_area) or "
                   "ml_features")
    p.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    p.add_argument("--start", type=_date, help="first date (JST), inclusive")
    p.add_argument("--end", type=_date, help="last date (JST), inclusive")
    p.add_argument("--date-column", help="the column --start/--end filter on")
    p.add_argument("--out", type=Path, help="output file (default <data>/exports/out/MODEL.EXT)")
    p.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 byte-order mark "
                   "(Excel then reads Japanese text right)")
    p.add_argument("--data-dir", help="data directory (default $PMD_DATA_DIR, [pmd] data_dir)")
    args = p.parse_args(argv)
    if args.start and args.end and args.start > args.end:
        p.error("--start is after --end")
    try:
        path, rows = export(args.model, fmt=args.format, start=args.start, end=args.end,
                            out=args.out, data=data_dir(args.data_dir),
                            date_column=args.date_column, bom=args.bom)
    except (LookupError, OptionError, duckdb.Error) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{rows:,} rows → {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
