"""Read a delimited text file into a typed Arrow table by header *name*.

Every parser describes the columns it knows as ``{header name: Col}``; header cells are matched
after :func:`extract.textio.normalise_name` (NFKC), so full-/half-width brackets, reordered and
added columns do not matter. Values are parsed with Arrow (fast), and any value that does not
fit its type raises :class:`ParseError` naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .errors import ParseError
from .lazy import lazy_module
from .textio import decode, normalise_name, reject_html

pc = lazy_module("pyarrow.compute")
pacsv = lazy_module("pyarrow.csv")

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


def arrow_type(col: Col) -> pa.DataType:
    """The type :func:`convert` gives ``col`` (to declare a schema without parsing anything)."""
    if col.kind == "int" and col.scale is not None:
        return pa.float64()
    return _TYPES[col.kind]


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


# -- vectorised row checks ----------------------------------------------------------------------
# Parsers validate every data row (dates, time labels, numbers, duplicates) with Arrow compute
# instead of a Python loop. Each check computes a mask over all rows; the error names the FIRST
# offending row, exactly as a row-by-row loop would. Where a scalar rule accepts more than the
# vectorised one (Python's ``\d`` and ``float()`` accept any Unicode digit, ``float()`` takes
# ``1_000`` and ``nan``), the few rows the vectorised rule leaves unread are handed to the scalar
# rule (:func:`rescue`), so results and messages stay those of the scalar rule.

# the characters Python's str.strip()/str.split() treat as whitespace (str.isspace)
PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
WS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in PY_WHITESPACE) + "]"  # RE2 class
NOT_WS = "[^" + WS[1:]
_DATE_RE2 = (r"^(?:(?P<y1>\d{4})[/-](?P<m1>\d{1,2})[/-](?P<d1>\d{1,2})"
             r"|(?P<y2>\d{4})(?P<m2>\d{2})(?P<d2>\d{2}))$")


def py_strip(arr: pa.Array) -> pa.Array:
    """``str.strip()`` of every value."""
    return pc.utf8_trim(arr, characters=PY_WHITESPACE)


def nfkc(arr: pa.Array) -> pa.Array:
    """NFKC of every value (``unicodedata.normalize('NFKC', ...)``); ASCII is left as it is."""
    if len(arr) == 0 or pc.all(pc.string_is_ascii(arr)).as_py() is not False:
        return arr
    return pc.utf8_normalize(arr, form="NFKC")


def blank_rows(columns: list[pa.Array], n: int) -> pa.Array:
    """True where every cell of the row is empty or whitespace (``not any(c.strip() ...)``)."""
    if not columns:
        return constant(True, n, pa.bool_())
    row = pc.binary_join_element_wise(*columns, "", null_handling="replace", null_replacement="")
    return pc.match_substring_regex(row, f"^{WS}*$")


def first_true(mask: pa.Array) -> int | None:
    """Index of the first true value (nulls count as false), or None."""
    if len(mask) == 0:
        return None
    i = pc.index(pc.fill_null(mask, False), True).as_py()
    return None if i < 0 else i


def rescue(
    texts: pa.Array,
    parsed: pa.Array,
    todo: pa.Array,
    fn: Callable[[str | None], object],
    fatal: pa.Array | None = None,
) -> tuple[pa.Array, int | None]:
    """Ask the scalar rule ``fn`` about the rows of ``todo`` the vectorised rule left null.

    Values ``fn`` reads (not None) are patched into ``parsed``; the first row it cannot read
    where ``fatal`` holds (default: every row) ends the scan and its index is returned. In valid
    files there is no such row at all, so this costs nothing there.
    """
    if parsed.null_count == 0:
        return parsed, None
    idx = pc.indices_nonzero(pc.fill_null(pc.and_(todo, pc.is_null(parsed)), False))
    if len(idx) == 0:
        return parsed, None
    fatal_rows = None if fatal is None else pc.fill_null(fatal, True)
    fixed: dict[int, object] = {}
    bad = None
    for i in idx.to_pylist():
        value = fn(texts[i].as_py())
        if value is not None:
            fixed[i] = value
        elif fatal_rows is None or fatal_rows[i].as_py():
            bad = i
            break
    if fixed:
        keys = sorted(fixed)
        where = np.zeros(len(parsed), dtype=bool)
        where[keys] = True
        parsed = pc.replace_with_mask(parsed, pa.array(where),
                                      pa.array([fixed[k] for k in keys], parsed.type))
    return parsed, bad


def parse_dates(texts: pa.Array) -> pa.Array:
    """Vectorised :func:`extract.core.timeutil.parse_date_cell`: ``YYYY/M/D``, ``YYYY-MM-DD`` or
    ``YYYYMMDD`` → date32; null where the text is not one (or not a real day, e.g. 2/30)."""
    parts = pc.extract_regex(texts, _DATE_RE2)
    if len(texts) == 0:
        return pa.array([], pa.date32())
    y = pc.binary_join_element_wise(pc.struct_field(parts, "y1"), pc.struct_field(parts, "y2"), "")
    m = pc.binary_join_element_wise(pc.struct_field(parts, "m1"), pc.struct_field(parts, "m2"), "")
    d = pc.binary_join_element_wise(pc.struct_field(parts, "d1"), pc.struct_field(parts, "d2"), "")
    iso = pc.binary_join_element_wise(y, pc.utf8_lpad(m, 2, "0"), pc.utf8_lpad(d, 2, "0"), "-")
    stamp = pc.strptime(iso, format="%Y-%m-%d", unit="s", error_is_null=True)
    # strptime rolls 2024-02-30 over to March: a real day formats back to the same text
    real = pc.and_(pc.equal(pc.strftime(stamp, format="%Y-%m-%d"), iso), pc.not_equal(y, "0000"))
    return pc.if_else(real, pc.cast(stamp, pa.date32()), pa.scalar(None, pa.date32()))


@dataclass
class Cells:
    """The data rows of a CSV as string columns (missing cells are ""), and their line numbers."""

    columns: list[pa.Array]
    num_rows: int
    _text: str
    _first_line: int
    _count: str
    _lines: list[int] | None = None

    def column(self, i: int | None) -> pa.Array:
        if i is None or i >= len(self.columns):
            return pa.array(np.full(self.num_rows, ""), pa.string())
        return self.columns[i]

    def line(self, row: int) -> int:
        """The file line of data row ``row`` (computed on first use: error messages only)."""
        if self._lines is None:
            reader = csv.reader(io.StringIO(self._text, newline=""))
            lines: list[int] = []
            for k, cells in enumerate(reader, start=1):  # noqa: B007 - error path only
                if cells:
                    lines.append(self._first_line + (reader.line_num if self._count == "lines"
                                                     else k))
            self._lines = lines
        return self._lines[row]


def read_cells(
    text: str,
    skip: int,
    width: int,
    *,
    source: str,
    file: str,
    count: str = "lines",
    offset: int | None = None,
) -> Cells:
    """Read the rows of ``text`` after its first ``skip`` lines as ``width`` string columns.

    The rows are tokenised like :mod:`csv` (quotes, doubled quotes, quoted newlines); empty lines
    are not rows. Arrow reads them when every row has ``width`` fields; a ragged file falls back
    to the :mod:`csv` module (still no Python code per row). ``count`` says what
    :meth:`Cells.line` numbers: physical ``lines`` (``csv.reader.line_num``) or ``records``
    (the 1-based index of the record, empty lines included), plus ``offset`` (default
    ``skip``).
    """
    buf = io.StringIO(text, newline="")
    for _ in range(skip):
        buf.readline()
    body = buf.read()
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(body.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24,
                                           use_threads=False),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                quoted_strings_can_be_null=False),
        )
        columns = [table.column(n).combine_chunks() for n in names]
        n = table.num_rows
    except pa.ArrowInvalid:  # ragged rows: tokenise with the csv module
        reader = csv.reader(io.StringIO(body, newline=""))
        try:
            records = list(filter(None, reader))
        except csv.Error as exc:
            raise ParseError(source, file, f"malformed CSV: {exc}",
                             line=skip + reader.line_num) from exc
        columns = [pa.array(c, pa.string()) for c in itertools.zip_longest(*records, fillvalue="")]
        n = len(records)
    return Cells(columns, n, body, skip if offset is None else offset, count)


def constant(value, n: int, type_: pa.DataType) -> pa.Array:
    """An array of ``n`` copies of ``value``."""
    return pc.fill_null(pa.nulls(n, type_), pa.scalar(value, type_))


def first_duplicate(keys: pa.Array) -> int | None:
    """Index of the first row whose (non-null) key already appeared in an earlier row."""
    valid = pc.is_valid(keys)
    present = pc.sum(valid).as_py() or 0
    if pc.count_distinct(keys, mode="only_valid").as_py() == present:
        return None
    rows = pc.indices_nonzero(valid).to_numpy()
    values = keys.filter(valid).to_numpy(zero_copy_only=False)
    _, first = np.unique(values, return_index=True)
    repeated = np.ones(len(values), dtype=bool)
    repeated[first] = False
    return int(rows[np.argmax(repeated)])
