"""JEPX intraday (時間前市場) results per slot: ``csv_read.php?dir=intraday`` (FY2016→, UTF-8).

A slot with no trades has empty prices/volume and 約定件数 0.
"""

from __future__ import annotations

import pyarrow as pa

from ...core.source import Dataset
from ...core.tabular import Col, read_csv_named, schema_of
from .settings import SOURCE
from .slots import KEY, check_slots

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
    table = read_csv_named(data, INTRADAY_COLUMNS, source=SOURCE, file=file)
    return check_slots(table, file)


INTRADAY = Dataset(
    name="intraday",
    parse=parse_intraday,
    primary_key=KEY,
    schema=schema_of(INTRADAY_COLUMNS),
    data_time="delivery_date",
    description="Intraday (時間前) market per slot: OHLC, average price, volume, trade count",
)
