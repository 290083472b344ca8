"""Read a delimited text file into a typed Arrow table by header *name*.

Every parser describes the columns it knows as ``{header name: Col}``; header cells are matched
after :func:`extract.textio.normalise_name` (NFKC), so full-/half-width brackets, reordered and
added columns do not matter. Values are parsed with Arrow (fast), and any value that does not
fit its type raises :class:`ParseError` naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .errors import ParseError
from .textio import decode, normalise_name, reject_html

KINDS = ("str", "int", "float", "date")
_PATTERNS = {
    "int": r"^[+-]?\d+$",
    "float": r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$",
}
_TYPES = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32()}


@dataclass(frozen=True)
class Col:
    """How to read one named column."""

    out: str  # output column name (snake_case with units)
    kind: str = "str"  # str | int | float | date
    required: bool = True
    date_format: str = "%Y/%m/%d"
    thousands: bool = False  # strip "," inside numbers ("10,285")
    scale: float | None = None  # multiply numbers by this (万kWh → MWh: 10)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")


def header_cells(line: str, delimiter: str = ",") -> list[str]:
    return next(csv.reader([line], delimiter=delimiter))


def match_header(
    cells: list[str],
    columns: Mapping[str, Col],
    *,
    source: str,
    file: str,
    line: int,
) -> dict[int, Col]:
    """Map header positions to known columns by normalised name; check required ones exist."""
    wanted = {normalise_name(k): v for k, v in columns.items()}
    found: dict[int, Col] = {}
    seen: set[str] = set()
    for i, cell in enumerate(cells):
        key = normalise_name(cell)
        col = wanted.get(key)
        if col is not None and col.out not in seen:
            found[i] = col
            seen.add(col.out)
    if not found:
        raise ParseError(
            source,
            file,
            f"header has none of the expected columns (got {[c for c in cells if c][:8]}...)",
            line=line,
        )
    missing = [name for name, c in columns.items() if c.required and c.out not in seen]
    if missing:
        raise ParseError(
            source, file, f"header lacks required column(s) {missing}", line=line
        )
    return found


def _data_line_numbers(lines: list[str], first_line: int) -> list[int]:
    """1-based file line numbers of the non-blank data lines (Arrow skips blank ones)."""
    return [first_line + i for i, text in enumerate(lines) if text.strip()]


def read_csv_named(
    data: bytes,
    columns: Mapping[str, Col],
    *,
    source: str,
    file: str,
    header_line: int = 1,
    encodings: tuple[str, ...] = ("utf-8", "cp932"),
    null_values: Iterable[str] = ("",),
    delimiter: str = ",",
    text: str | None = None,
) -> pa.Table:
    """Parse a CSV whose header is on ``header_line`` (1-based) into a typed table.

    Only the known columns are kept, named by ``Col.out``, in the order of ``columns``; optional
    columns absent from the file come back as all-NULL columns so the schema is stable.
    """
    if text is None:
        reject_html(data, source=source, file=file)
        text = decode(data, source=source, file=file, encodings=encodings)
    lines = text.splitlines()
    if len(lines) < header_line:
        raise ParseError(source, file, "file ends before its header (empty or truncated)", line=len(lines))
    cells = header_cells(lines[header_line - 1], delimiter)
    found = match_header(cells, columns, source=source, file=file, line=header_line)
    body_lines = lines[header_line:]
    if not any(t.strip() for t in body_lines):
        raise ParseError(source, file, "the file has a header but no data rows (empty or cut "
                         "after its header)", line=header_line + 1)
    body = "\n".join(body_lines).encode("utf-8")
    names = [f"c{i}" for i in range(len(cells))]
    keep = [names[i] for i in found]
    try:
        raw = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                include_columns=keep,
                null_values=list(null_values),
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as exc:
        _raise_shape_error(body_lines, len(cells), header_line, delimiter, source, file, exc)
        raise  # pragma: no cover - _raise_shape_error always raises

    out: dict[str, pa.Array] = {}
    line_numbers: list[int] | None = None
    for i, col in found.items():
        arr = raw.column(names[i]).combine_chunks()
        try:
            out[col.out] = convert(arr, col)
        except ValueError as exc:
            idx = first_invalid(arr, col)
            if line_numbers is None:
                line_numbers = _data_line_numbers(body_lines, header_line + 1)
            line = line_numbers[idx] if idx is not None and idx < len(line_numbers) else None
            value = arr[idx].as_py() if idx is not None else None
            raise ParseError(
                source,
                file,
                f"value {value!r} is not a valid {col.kind} ({exc})",
                line=line,
                column=cells[i],
            ) from None
    n = raw.num_rows
    arrays, fields = [], []
    for col in columns.values():
        if col.out in out:
            arrays.append(out[col.out])
        elif col.out not in {f.name for f in fields}:
            arrays.append(pa.nulls(n, _TYPES[col.kind]))
        else:
            continue
        fields.append(pa.field(col.out, _TYPES[col.kind]))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def schema_of(columns: Mapping[str, Col]) -> pa.Schema:
    """The Arrow schema :func:`read_csv_named` returns for ``columns``."""
    fields: dict[str, pa.DataType] = {}
    for col in columns.values():
        fields.setdefault(col.out, _TYPES[col.kind])
    return pa.schema(list(fields.items()))


def _clean_numeric(arr: pa.Array, col: Col) -> pa.Array:
    arr = pc.utf8_trim_whitespace(arr)
    if col.thousands:
        arr = pc.replace_substring(arr, ",", "")
    return arr


def convert(arr: pa.Array, col: Col) -> pa.Array:
    """Convert a string array to the column's type; raise ValueError on a bad value."""
    try:
        if col.kind == "str":
            return pc.utf8_trim_whitespace(arr)
        if col.kind == "date":
            ts = pc.strptime(pc.utf8_trim_whitespace(arr), format=col.date_format, unit="s")
            return pc.cast(ts, pa.date32())
        cleaned = _clean_numeric(arr, col)
        if col.kind == "int" and col.scale is None:
            return pc.cast(cleaned, pa.int64())
        values = pc.cast(cleaned, pa.float64())
        if col.scale is not None:
            values = pc.multiply(values, col.scale)
        return values
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ValueError(str(exc).split("\n")[0]) from None


def first_invalid(arr: pa.Array, col: Col) -> int | None:
    """Index of the first non-null value that does not convert (None when all do)."""
    if col.kind in _PATTERNS:
        ok = pc.match_substring_regex(_clean_numeric(arr, col), _PATTERNS[col.kind])
        bad = pc.and_(pc.invert(ok), pc.is_valid(arr))
        idx = pc.index(bad, True).as_py()
        return None if idx < 0 else idx
    for i, value in enumerate(arr.to_pylist()):
        if value is None:
            continue
        try:
            convert(pa.array([value]), col)
        except ValueError:
            return i
    return None


def _raise_shape_error(
    body_lines: list[str],
    expected: int,
    header_line: int,
    delimiter: str,
    source: str,
    file: str,
    exc: Exception,
) -> None:
    for offset, text in enumerate(body_lines):
        if not text.strip():
            continue
        got = len(next(csv.reader([text], delimiter=delimiter)))
        if got != expected:
            last = offset == len(body_lines) - 1 or not any(s.strip() for s in body_lines[offset + 1 :])
            why = " (the file looks truncated)" if last and got < expected else ""
            raise ParseError(
                source,
                file,
                f"expected {expected} fields as in the header, found {got}{why}",
                line=header_line + 1 + offset,
            )
    raise ParseError(source, file, f"unreadable CSV: {str(exc).splitlines()[0]}")


_SNAKE = re.compile(r"[^0-9a-z]+")


def snake(name: str) -> str:
    return _SNAKE.sub("_", name.lower()).strip("_")
