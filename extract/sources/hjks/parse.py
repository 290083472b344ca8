"""Parse HJKS CSV downloads: the outage/derating events and the unit list.

Both come as CP932 (the unit-list sample was re-saved as UTF-8: both decode). The reader is
tolerant of what the evidence disagrees on (futures_hjks.md B.3):

* comma or tab as the delimiter (sniffed from the header line);
* header names with or without a ``(kW)`` suffix, full- or half-width brackets (NFKC);
* a trailing delimiter on data rows (one more, empty, field than the header: the unit list);
* quoted cells with embedded newlines (停止原因), hence the ``csv`` module, not line splitting;
* ``-``, ``－`` and empty cells are NULL; numbers may carry thousands separators.

Columns are looked up by name; a missing required one, a row with the wrong number of fields or
a value that does not fit is a :class:`ParseError` naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping

import pyarrow as pa

from ...core.errors import ParseError
from ...core.lazy import lazy_module
from ...core.tabular import Col, arrow_type, convert, first_invalid, match_header
from ...core.textio import decode, reject_html
from .settings import SOURCE

pc = lazy_module("pyarrow.compute")

NULLS = frozenset({"", "-", "－", "ー", "―"})
_KW = re.compile(r"\((?:kW|KW|kw)\)$")
DATETIME = "datetime"  # extra kind here: "YYYY/MM/DD HH:MM" → naive JST timestamp


def header_name(cell: str) -> str:
    """Normalised header cell: NFKC, no spaces, no ``(kW)`` suffix."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell).replace("\ufeff", ""))
    return _KW.sub("", text)


def _delimiter(header_line: str) -> str:
    return "\t" if header_line.count("\t") > header_line.count(",") else ","


def read_hjks_csv(data: bytes, columns: Mapping[str, Col], file: str,
                  datetimes: frozenset[str] = frozenset()) -> pa.Table:
    """Read an HJKS CSV into a typed table (``datetimes``: output columns holding date+time)."""
    reject_html(data, source=SOURCE, file=file)
    text = decode(data, source=SOURCE, file=file)
    first = text.split("\n", 1)[0]
    delim = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        header = next(reader)
    except StopIteration:
        raise ParseError(SOURCE, file, "empty file", line=1) from None
    cells = [header_name(c) for c in header]
    while cells and not cells[-1]:
        cells.pop()
    found = match_header(cells, {header_name(k): v for k, v in columns.items()}, source=SOURCE,
                         file=file, line=1)
    values: dict[int, list[str | None]] = {i: [] for i in found}
    lines: list[int] = []
    start = reader.line_num + 1
    try:
        for row in reader:
            if not any(c.strip() for c in row):
                start = reader.line_num + 1
                continue
            if len(row) == len(cells) + 1 and not row[-1].strip():
                row = row[:-1]  # the trailing delimiter of every data row
            if len(row) != len(cells):
                raise ParseError(SOURCE, file, f"expected {len(cells)} fields as in the header, "
                                 f"found {len(row)}", line=start)
            for i in found:
                cell = row[i].strip()
                values[i].append(None if cell in NULLS else cell)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ParseError(SOURCE, file, f"unreadable CSV: {exc}", line=start) from None
    out: dict[str, pa.Array] = {}
    for i, col in found.items():
        arr = pa.array(values[i], pa.string())
        try:
            out[col.out] = (_datetime(arr) if col.out in datetimes else convert(arr, col))
        except ValueError as exc:
            idx = _first_bad_datetime(arr) if col.out in datetimes else first_invalid(arr, col)
            raise ParseError(SOURCE, file, f"value {arr[idx].as_py() if idx is not None else None!r}"
                             f" is not a valid {DATETIME if col.out in datetimes else col.kind} "
                             f"({exc})", line=lines[idx] if idx is not None else None,
                             column=header[i]) from None
    n = len(lines)
    fields, arrays = [], []
    for col in columns.values():
        typ = pa.timestamp("us") if col.out in datetimes else arrow_type(col)
        arrays.append(out.get(col.out, pa.nulls(n, typ)))
        fields.append(pa.field(col.out, typ))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


_DT_FORMATS = ("%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d")


def _datetime(arr: pa.Array) -> pa.Array:
    """``YYYY/MM/DD HH:MM`` (or with seconds, or a bare date) → timestamp[us], naive JST."""
    arr = pc.utf8_trim_whitespace(arr)
    result = pa.nulls(len(arr), pa.timestamp("us"))
    remaining = pc.is_valid(arr)
    for fmt in _DT_FORMATS:
        parsed = pc.cast(pc.strptime(arr, format=fmt, unit="s", error_is_null=True),
                         pa.timestamp("us"))
        result = pc.if_else(pc.and_(remaining, pc.is_valid(parsed)), parsed, result)
        remaining = pc.and_(remaining, pc.is_null(parsed))
    if pc.any(remaining).as_py():
        raise ValueError("expected YYYY/MM/DD HH:MM")
    return result


def _first_bad_datetime(arr: pa.Array) -> int | None:
    for i, value in enumerate(arr.to_pylist()):
        if value is not None:
            try:
                _datetime(pa.array([value]))
            except ValueError:
                return i
    return None


# -- outages ------------------------------------------------------------------------------------
OUTAGE_COLUMNS = {
    "エリア": Col("area_name", "str"),
    "発電事業者": Col("company_name", "str", required=False),
    "発電所コード": Col("plant_code", "str"),
    "発電所名": Col("plant_name", "str"),
    "発電形式": Col("generation_type", "str", required=False),
    "ユニット名": Col("unit_name", "str"),
    "認可出力": Col("authorised_capacity_kw", "float", thousands=True, required=False),
    "停止区分": Col("outage_category", "str", required=False),
    "種別": Col("outage_kind", "str", required=False),
    "低下量": Col("derating_kw", "float", thousands=True, required=False),
    "停止日時": Col("outage_start_jst", "str"),
    "復旧見通し": Col("recovery_outlook", "str", required=False),
    "復旧予定日": Col("expected_recovery_jst", "str", required=False),
    "停止原因": Col("outage_reason", "str", required=False),
    "最終更新日時": Col("last_updated_jst", "str"),
}
OUTAGE_DATETIMES = frozenset({"outage_start_jst", "expected_recovery_jst", "last_updated_jst"})
OUTAGE_KEY = ("plant_code", "unit_name", "outage_start_jst", "last_updated_jst")


def parse_outages(data: bytes, file: str) -> pa.Table:
    """One row per outage/derating event as listed in this snapshot (no event id)."""
    table = read_hjks_csv(data, OUTAGE_COLUMNS, file, OUTAGE_DATETIMES)
    return _require(table, file, ("plant_code", "outage_start_jst", "last_updated_jst"),
                    blank_ok=("unit_name",))


# -- unit list ------------------------------------------------------------------------------------
UNIT_COLUMNS = {
    "エリア": Col("area_name", "str"),
    "発電事業者": Col("company_name", "str", required=False),
    "発電所コード": Col("plant_code", "str"),
    "発電所名": Col("plant_name", "str"),
    "発電形式": Col("generation_type", "str", required=False),
    "ユニット名": Col("unit_name", "str"),
    "認可出力": Col("authorised_capacity_kw", "float", thousands=True),
    "認可出力(変更後)": Col("changed_capacity_kw", "float", thousands=True, required=False),
    "適用開始日": Col("change_effective_date", "date", required=False),
    "稼働開始日": Col("operation_start_date", "date", required=False),
    "稼働終了日": Col("operation_end_date", "date", required=False),
    "最終更新日時": Col("last_updated_jst", "str"),
}
UNIT_KEY = ("plant_code", "plant_name", "unit_name")


def parse_units(data: bytes, file: str) -> pa.Table:
    """One row per unit (認可出力 in kW; 1900/01/01 and 9999/12/31 are kept as published)."""
    table = read_hjks_csv(data, UNIT_COLUMNS, file, frozenset({"last_updated_jst"}))
    return _require(table, file, ("plant_code", "plant_name", "last_updated_jst"),
                    blank_ok=("unit_name",))


def _require(table: pa.Table, file: str, required: tuple[str, ...],
             blank_ok: tuple[str, ...]) -> pa.Table:
    """Key columns must be filled; a blank unit name is kept as '' (it is part of the key)."""
    for name in required:
        col = table.column(name)
        if col.null_count:
            idx = pc.index(pc.is_null(col), True).as_py()
            raise ParseError(SOURCE, file, f"empty {name} in data row {idx + 1}")
    for name in blank_ok:
        i = table.schema.get_field_index(name)
        table = table.set_column(i, name, pc.fill_null(table.column(name), ""))
    return table


def schema(columns: Mapping[str, Col], datetimes: frozenset[str]) -> pa.Schema:
    """The schema :func:`read_hjks_csv` returns, declared without parsing (it is built when the
    package is imported, on every command)."""
    return pa.schema([pa.field(c.out, pa.timestamp("us") if c.out in datetimes else arrow_type(c))
                      for c in columns.values()])
