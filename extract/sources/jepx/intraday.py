"""JEPX intraday (時間前市場) results per slot: ``csv_read.php?dir=intraday`` (FY2016→, UTF-8).

A slot with no trades has empty prices/volume and 約定件数 0.
"""

from __future__ import annotations

import pyarrow as pa

from ...core.source import Dataset
from ...core.tabular import Col, schema_of
from .slots import KEY, fy_closed_rows, read_price_csv

INTRADAY_COLUMNS = {
    "年月日": Col("delivery_date", "date"),
    "時刻コード": Col("time_code", "int"),
    "始値(円/kWh)": Col("open_price_jpy_kwh", "float"),
    "高値(円/kWh)": Col("high_price_jpy_kwh", "float"),
    "安値(円/kWh)": Col("low_price_jpy_kwh", "float"),
    "終値(円/kWh)": Col("close_price_jpy_kwh", "float"),
    "平均(円/kWh)": Col("average_price_jpy_kwh", "float"),
    "約定量合計(kWh)": Col("contract_volume_kwh", "int"),
    "約定件数": Col("trade_count", "int"),
}


def parse_intraday(data: bytes, file: str) -> pa.Table:
    """Parse an ``intraday_<FY>.csv`` (時間前市場 summary per slot, UTF-8 or cp932)."""
    return read_price_csv(data, INTRADAY_COLUMNS, file)


INTRADAY = Dataset(
    name="intraday",
    parse=parse_intraday,
    primary_key=KEY,
    schema=schema_of(INTRADAY_COLUMNS),
    data_time="delivery_date",
    description="Intraday (時間前) market per slot: OHLC, average price, volume, trade count",
    closed_rows=fy_closed_rows,
)
