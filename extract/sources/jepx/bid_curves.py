"""JEPX day-ahead aggregate bid curves (入札曲線): ``csv_read.php?dir=spot_bid_curves``.

One UTF-8 file per delivery day (from 2022-06-01), 35–45k rows, published after the auction::

    電力受渡日,商品コード,入札価格(円/kWh),売入札量累積(MW),買入札量累積(MW),分断エリア連番
    20240815,1,0.00,0.0,34389.6,

* one curve per slot (商品コード 1..48) and 分断エリア連番: **empty = the system-wide curve**,
  ``0, 1, 2…`` = the curve of split-area group *n* (join ``spot_splitting_areas`` on it). Raw
  keeps the empty sequence as ``split_area_seq = -1`` so that the key has no NULL.
* a curve is a list of step points; **prices repeat** (every curve starts with two 0.00 rows),
  so the row order within a curve is the key: ``step_no`` = 1, 2, … in file order.
* cumulative volumes in MW (1 decimal); sell non-decreasing and buy non-increasing in price.
"""

from __future__ import annotations

import io

import numpy as np
import pyarrow as pa

from ...core.errors import ParseError
from ...core.lazy import lazy_module
from ...core.source import Dataset
from ...core.tabular import Col, header_cells, match_header, read_csv_named
from .settings import SOURCE
from .slots import check_slots

pc = lazy_module("pyarrow.compute")
pacsv = lazy_module("pyarrow.csv")

SYSTEM_SEQ = -1  # 分断エリア連番 empty: the system-wide (unsplit) curve

BID_CURVE_COLUMNS = {
    "電力受渡日": Col("delivery_date", "date", date_format="%Y%m%d"),
    "商品コード": Col("time_code", "int"),
    "入札価格(円/kWh)": Col("bid_price_jpy_kwh", "float"),
    "売入札量累積(MW)": Col("sell_volume_cumulative_mw", "float"),
    "買入札量累積(MW)": Col("buy_volume_cumulative_mw", "float"),
    "分断エリア連番": Col("split_area_seq", "int"),
}
KEY = ("delivery_date", "time_code", "split_area_seq", "step_no")
SCHEMA = pa.schema([
    ("delivery_date", pa.date32()),
    ("time_code", pa.int64()),
    ("split_area_seq", pa.int64()),
    ("step_no", pa.int64()),
    ("bid_price_jpy_kwh", pa.float64()),
    ("sell_volume_cumulative_mw", pa.float64()),
    ("buy_volume_cumulative_mw", pa.float64()),
])


def system_seq(table: pa.Table, column: str = "split_area_seq") -> pa.Table:
    """Empty 分断エリア連番 (the system curve/group) → :data:`SYSTEM_SEQ`; negative published
    values would collide with it and are refused by the caller's checks."""
    idx = table.schema.get_field_index(column)
    return table.set_column(idx, column, pc.fill_null(table.column(column), SYSTEM_SEQ))


def step_numbers(keys: list[np.ndarray]) -> tuple[np.ndarray, int]:
    """1-based position of each row within its run of equal keys (file order), and the index of
    the first row whose key already had an earlier, separate run (-1 when none)."""
    n = len(keys[0])
    if n == 0:
        return np.zeros(0, dtype=np.int64), -1
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for k in keys:
        change[1:] |= k[1:] != k[:-1]
    starts = np.flatnonzero(change)
    run = np.cumsum(change) - 1
    steps = np.arange(n, dtype=np.int64) - starts[run] + 1
    # a curve must be one contiguous block of rows: its key may start only one run (~150 runs)
    seen: set[tuple] = set()
    for i, rec in enumerate(zip(*(k[starts].tolist() for k in keys), strict=True)):
        if rec in seen:
            return steps, int(starts[i])
        seen.add(rec)
    return steps, -1


_ARROW_TYPES = {"date": pa.timestamp("s"), "int": pa.int64(), "float": pa.float64()}


def read_typed(data: bytes, file: str) -> pa.Table | None:
    """The usual file (UTF-8, header on line 1, every value well-formed) read by Arrow with the
    final types at once: the same table as :func:`read_csv_named`, about twice as fast on 40k
    rows a day. None for anything unusual (then the generic reader parses it and names the
    line of a bad value)."""
    head, sep, body = data.partition(b"\n")
    if not sep or not body.strip():
        return None
    try:
        cells = header_cells(head.decode("utf-8-sig").rstrip("\r"))
        found = match_header(cells, BID_CURVE_COLUMNS, source=SOURCE, file=file, line=1)
    except (UnicodeDecodeError, ParseError):
        return None
    if len(found) != len(BID_CURVE_COLUMNS):
        return None
    names = [f"c{i}" for i in range(len(cells))]
    fmt = {c.date_format for c in found.values() if c.kind == "date"}
    try:
        raw = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            convert_options=pacsv.ConvertOptions(
                column_types={names[i]: _ARROW_TYPES[c.kind] for i, c in found.items()},
                include_columns=[names[i] for i in found], null_values=[""],
                timestamp_parsers=sorted(fmt)),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if raw.num_rows == 0:
        return None
    cols = {c.out: raw.column(names[i]) for i, c in found.items()}
    return pa.table({
        c.out: pc.cast(cols[c.out], pa.date32()) if c.kind == "date" else cols[c.out]
        for c in BID_CURVE_COLUMNS.values()
    })


def parse_bid_curves(data: bytes, file: str) -> pa.Table:
    """Parse one ``spot_bid_curves_YYYYMMDD.csv`` into step rows with a ``step_no``."""
    table = read_typed(data, file)
    if table is None:
        table = read_csv_named(data, BID_CURVE_COLUMNS, source=SOURCE, file=file)
    table = check_slots(table, file, unique=False)  # many rows per slot: own key checked below
    seq = table.column("split_area_seq")
    if pc.any(pc.less(seq, 0)).as_py():
        idx = pc.index(pc.fill_null(pc.less(seq, 0), False), True).as_py()
        raise ParseError(SOURCE, file, f"negative 分断エリア連番 {seq[idx].as_py()}",
                         line=idx + 2, column="分断エリア連番")
    for name in ("bid_price_jpy_kwh", "sell_volume_cumulative_mw", "buy_volume_cumulative_mw"):
        col = table.column(name)
        if col.null_count:
            idx = pc.index(pc.is_null(col), True).as_py()
            raise ParseError(SOURCE, file, f"empty {name}", line=idx + 2)
    table = system_seq(table)
    keys = [table.column(c).combine_chunks().to_numpy(zero_copy_only=False)
            for c in ("delivery_date", "time_code", "split_area_seq")]
    steps, again = step_numbers(keys)
    if again >= 0:
        raise ParseError(SOURCE, file, "a curve (date, 商品コード, 分断エリア連番) continues after "
                         "another curve started: its step order is ambiguous", line=again + 2)
    return pa.Table.from_arrays(
        [table.column("delivery_date"), table.column("time_code"),
         table.column("split_area_seq"), pa.array(steps, pa.int64()),
         table.column("bid_price_jpy_kwh"), table.column("sell_volume_cumulative_mw"),
         table.column("buy_volume_cumulative_mw")],
        schema=SCHEMA,
    )


BID_CURVES = Dataset(
    name="spot_bid_curves",
    parse=parse_bid_curves,
    primary_key=KEY,
    merge_key=("delivery_date",),
    schema=SCHEMA,
    data_time="delivery_date",
    description="Day-ahead aggregate bid curves, one file per delivery day: step points (price, "
    "cumulative sell/buy MW) per slot and curve; split_area_seq -1 = the system curve; step_no "
    "= row order within the curve (prices repeat)",
)
