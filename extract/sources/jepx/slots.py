"""What every JEPX price file shares: one row per delivery date × time code 1..48, each once;
a closed fiscal year has every slot of every day (from the first delivery day)."""

from __future__ import annotations

import pyarrow as pa

from ...core.archive import ArchivedFile
from ...core.errors import ParseError
from ...core.lazy import lazy_module
from ...core.tabular import Col, read_csv_named
from ...core.textio import decode, reject_html, require_final_newline
from ...core.timeutil import closed_period_slots
from .settings import SOURCE, SPOT_FIRST_DELIVERY

pc = lazy_module("pyarrow.compute")

KEY = ("delivery_date", "time_code")


def read_price_csv(data: bytes, columns: dict[str, Col], file: str, *,
                   encodings: tuple[str, ...] = ("utf-8", "cp932")) -> pa.Table:
    """Read a JEPX price file: not empty, whole lines (JEPX ends every file with a newline),
    at least one data row, one row per (delivery date, time code 1..48)."""
    if not data.strip():
        raise ParseError(SOURCE, file, f"the file is empty ({len(data)} bytes)", line=1)
    reject_html(data, source=SOURCE, file=file)
    text = decode(data, source=SOURCE, file=file, encodings=encodings)
    require_final_newline(data, source=SOURCE, file=file)
    table = read_csv_named(data, columns, source=SOURCE, file=file, text=text)
    if table.num_rows == 0:
        raise ParseError(SOURCE, file, "the file has a header but no data rows", line=2)
    return check_slots(table, file)


def spot_closed_rows(entry: ArchivedFile) -> int | None:
    """Slots of a closed fiscal-year spot file (from the market's first delivery day)."""
    return closed_period_slots(entry.period_start, entry.period_end, SPOT_FIRST_DELIVERY)


def fy_closed_rows(entry: ArchivedFile) -> int | None:
    """Slots of a closed fiscal-year file (every day of its period)."""
    return closed_period_slots(entry.period_start, entry.period_end)


def check_slots(table: pa.Table, file: str, header_line: int = 1, *,
                unique: bool = True) -> pa.Table:
    """Every row needs a delivery date and a time code in 1..48, and (``unique``: files with one
    row per slot) each (date, code) once."""
    date_col = table.column("delivery_date")
    code = table.column("time_code")
    bad = pc.or_kleene(
        pc.is_null(date_col),
        pc.or_kleene(pc.is_null(code), pc.or_(pc.less(code, 1), pc.greater(code, 48))),
    )
    bad = pc.fill_null(bad, True)
    idx = pc.index(bad, True).as_py()
    if idx >= 0:
        raise ParseError(
            SOURCE,
            file,
            f"row has no delivery date or a time code outside 1..48 "
            f"(date={date_col[idx].as_py()}, time code={code[idx].as_py()})",
            line=header_line + 1 + idx,
        )
    if not unique:
        return table
    keys = pa.table({"d": date_col, "c": code, "i": pa.array(range(table.num_rows))})
    dup = keys.group_by(["d", "c"]).aggregate([("i", "count"), ("i", "min"), ("i", "max")])
    dup = dup.filter(pc.greater(dup.column("i_count"), 1))
    if dup.num_rows:
        first = min(range(dup.num_rows), key=lambda k: dup.column("i_max")[k].as_py())
        a, b = dup.column("i_min")[first].as_py(), dup.column("i_max")[first].as_py()
        raise ParseError(
            SOURCE, file,
            f"delivery date {dup.column('d')[first].as_py()} time code "
            f"{dup.column('c')[first].as_py()} appears twice (lines {header_line + 1 + a} and "
            f"{header_line + 1 + b}); a repeated day would load an arbitrary copy",
            line=header_line + 1 + b,
        )
    return table
