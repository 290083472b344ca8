"""Reading OCCTO's CSVs strictly: every header cell must be known, every measure numeric.

Both systems publish measures that a blackout replaces with ``***`` (OCCTO manual, occto.md
§2.4) and future slots as empty cells. The raw tables keep a measure cell as published (text);
this module checks that each one is a number, ``***`` or empty, so a changed file is a clear
:class:`ParseError` here and staging can cast without surprises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pyarrow as pa

from ...core.errors import ParseError
from ...core.lazy import lazy_module
from ...core.tabular import Col, header_cells, read_csv_named
from ...core.textio import decode, normalise_name, reject_html
from .settings import SOURCE

pc = lazy_module("pyarrow.compute")

BLACKOUT = "***"
_MEASURE = r"^[+-]?(\d+\.?\d*|\.\d+)$|^\*\*\*$"


def read_text(data: bytes, file: str, encodings: tuple[str, ...]) -> str:
    reject_html(data, source=SOURCE, file=file)
    return decode(data, source=SOURCE, file=file, encodings=encodings)


def check_header(cells: list[str], columns: Mapping[str, Col], file: str, line: int) -> None:
    """Every header cell must be a column this parser knows (a new column is a clear error)."""
    known = {normalise_name(k) for k in columns}
    unknown = [c for c in cells if normalise_name(c) not in known]
    if unknown:
        raise ParseError(SOURCE, file, f"unknown header column(s) {unknown}: the publisher changed "
                         "the layout; add them to the parser's column map once their meaning is "
                         "known", line=line)


def read_strict(text: str, file: str, columns: Mapping[str, Col], *, header_line: int,
                measures: Iterable[str]) -> pa.Table:
    """The table of ``text`` (header on ``header_line``), all columns checked."""
    lines = text.splitlines()
    if len(lines) < header_line:
        raise ParseError(SOURCE, file, "file ends before its header (empty or truncated)",
                         line=len(lines))
    cells = header_cells(lines[header_line - 1])
    check_header(cells, columns, file, header_line)
    table = read_csv_named(b"", columns, source=SOURCE, file=file, header_line=header_line,
                           text=text)
    by_out = {c.out: name for name, c in columns.items()}
    for out in measures:
        arr = table.column(out)
        bad = pc.and_(pc.invert(pc.match_substring_regex(arr, _MEASURE)), pc.is_valid(arr))
        idx = pc.index(bad, True).as_py()
        if idx >= 0:
            raise ParseError(SOURCE, file, f"value {arr[idx].as_py()!r} is neither a number nor "
                             f"{BLACKOUT!r}", line=data_line(lines, header_line, idx),
                             column=by_out[out])
    return table


def data_line(lines: list[str], header_line: int, index: int) -> int | None:
    """1-based file line of the ``index``-th non-blank data row."""
    seen = -1
    for i, text in enumerate(lines[header_line:], start=header_line + 1):
        if text.strip():
            seen += 1
            if seen == index:
                return i
    return None


def check_labels(table: pa.Table, column: str, step: int, lines: list[str], header_line: int,
                 file: str, header: str) -> None:
    """``HH:MM`` period-END labels on a ``step``-minute grid, ``00:05``/``00:30`` … ``24:00``."""
    labels = table.column(column)
    for value in pc.unique(labels).to_pylist():
        m = re.fullmatch(r"(\d{1,2}):(\d{2})", value or "")
        minutes = int(m.group(1)) * 60 + int(m.group(2)) if m else -1
        if not (m and minutes % step == 0 and step <= minutes <= 1440 and int(m.group(2)) < 60):
            idx = pc.index(labels, value).as_py() if value is not None else \
                pc.index(pc.is_null(labels), True).as_py()
            raise ParseError(SOURCE, file, f"time {value!r} is not a {step}-minute period-end "
                             f"label (00:{step:02d} … 24:00)", line=data_line(lines, header_line, idx),
                             column=header)


def check_unique(table: pa.Table, keys: list[str], lines: list[str], header_line: int,
                 file: str) -> None:
    """No two rows of one file share a key (the grain the raw table declares)."""
    if table.num_rows == 0:
        return
    counts = table.group_by(keys).aggregate([([], "count_all")])
    dupes = counts.filter(pc.greater(counts["count_all"], 1))
    if dupes.num_rows:
        key = {k: dupes.column(k)[0].as_py() for k in keys}
        rows = table.to_pylist()
        idx = [i for i, r in enumerate(rows) if all(r[k] == v for k, v in key.items())][1]
        raise ParseError(SOURCE, file, f"row {key} appears twice",
                         line=data_line(lines, header_line, idx))


def constant(n: int, value, typ: pa.DataType) -> pa.Array:
    return pa.repeat(pa.scalar(value, typ), n)
