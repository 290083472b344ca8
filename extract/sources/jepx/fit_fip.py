"""JEPX avoidable cost (回避可能原価) and FIP reference price per slot: ``csv_read.php?dir=fit_fip``.

One UTF-8 file per fiscal year (FY2016→), 22 columns: national + nine area values of each. The
FIP cells are empty before FY2021. The same facts are in the legacy family-A spot file
(``spot_market_excel``); a dbt test (warn) checks that the two agree. Note the FIP names use
half-width ``(卸電力取引市場分)`` here and full-width in family A: matching is NFKC, so the
column definitions are shared with :mod:`.spot`.
"""

from __future__ import annotations

import pyarrow as pa

from ...core.source import Dataset
from ...core.tabular import Col, read_csv_named, schema_of
from .settings import SOURCE
from .slots import KEY, check_slots
from .spot import EXCEL_COLUMNS

FIT_FIP_COLUMNS = {
    "年月日": Col("delivery_date", "date"),
    "時刻コード": Col("time_code", "int"),
    **{name: Col(col.out, "float", required=name.startswith("回避可能原価"))
       for name, col in EXCEL_COLUMNS.items()
       if name.startswith(("回避可能原価", "FIP参照価格"))},
}


def parse_fit_fip(data: bytes, file: str) -> pa.Table:
    """Parse a ``fit_fip_<FY>.csv`` (UTF-8 or cp932, LF or CRLF)."""
    table = read_csv_named(data, FIT_FIP_COLUMNS, source=SOURCE, file=file)
    return check_slots(table, file)


FIT_FIP = Dataset(
    name="fit_fip",
    parse=parse_fit_fip,
    primary_key=KEY,
    schema=schema_of(FIT_FIP_COLUMNS),
    data_time="delivery_date",
    description="Avoidable cost (回避可能原価) and FIP reference price (FY2021→) per slot, national "
    "and per area, JPY/kWh (csv_read.php fit_fip, FY2016→)",
)
