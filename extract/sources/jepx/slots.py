"""What every JEPX price file shares: one row per delivery date × time code 1..48."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ...core.errors import ParseError
from .settings import SOURCE

KEY = ("delivery_date", "time_code")


def check_slots(table: pa.Table, file: str, header_line: int = 1) -> pa.Table:
    """Every row needs a delivery date and a time code in 1..48."""
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
    return table
