"""JEPX day-ahead spot results, both file families (columns by header name).

* ``spot_summary`` (family B, current site, FY2005→, UTF-8): ``csv_read.php?dir=spot_summary``.
* ``spot_market_excel`` (family A, legacy ``market/excel``, FY2016→, cp932): adds the
  α × average price, avoidable-cost and FIP reference-price columns.

The nine area columns come from the ``areas`` seed (JEPX names them by the area's Japanese name).
"""

from __future__ import annotations

import pyarrow as pa

from ...core.refdata import price_areas
from ...core.source import Dataset
from ...core.tabular import Col, schema_of
from .slots import KEY, read_price_csv, spot_closed_rows

AREAS = {a.name_ja: a.slug for a in price_areas()}  # JEPX header name → slug, JEPX order

BASE_COLUMNS = {
    "時刻コード": Col("time_code", "int"),
    "売り入札量(kWh)": Col("sell_bid_volume_kwh", "int"),
    "買い入札量(kWh)": Col("buy_bid_volume_kwh", "int"),
    "約定総量(kWh)": Col("contract_volume_kwh", "int"),
    "システムプライス(円/kWh)": Col("system_price_jpy_kwh", "float"),
    **{
        f"エリアプライス{jp}(円/kWh)": Col(f"area_price_{en}_jpy_kwh", "float")
        for jp, en in AREAS.items()
    },
    "売りブロック入札総量(kWh)": Col("sell_block_bid_volume_kwh", "int", required=False),
    "売りブロック約定総量(kWh)": Col("sell_block_contract_volume_kwh", "int", required=False),
    "買いブロック入札総量(kWh)": Col("buy_block_bid_volume_kwh", "int", required=False),
    "買いブロック約定総量(kWh)": Col("buy_block_contract_volume_kwh", "int", required=False),
}

SUMMARY_COLUMNS = {"受渡日": Col("delivery_date", "date"), **BASE_COLUMNS}

_AVG = "スポット・時間前平均価格(円/kWh)"
EXCEL_COLUMNS = {
    "年月日": Col("delivery_date", "date"),
    **BASE_COLUMNS,
    _AVG: Col("spot_intraday_avg_price_jpy_kwh", "float", required=False),
    f"α上限値×{_AVG}": Col("alpha_upper_x_avg_price_jpy_kwh", "float", required=False),
    f"α下限値×{_AVG}": Col("alpha_lower_x_avg_price_jpy_kwh", "float", required=False),
    f"α速報値×{_AVG}": Col("alpha_preliminary_x_avg_price_jpy_kwh", "float", required=False),
    f"α確報値×{_AVG}": Col("alpha_final_x_avg_price_jpy_kwh", "float", required=False),
    "回避可能原価全国値(円/kWh)": Col("avoidable_cost_national_jpy_kwh", "float", required=False),
    **{
        f"回避可能原価{jp}(円/kWh)": Col(f"avoidable_cost_{en}_jpy_kwh", "float", required=False)
        for jp, en in AREAS.items()
    },
    # full-width （） in the real header; matching is NFKC so half-width works too
    "FIP参照価格（卸電力取引市場分）全国値(円/kWh)": Col(
        "fip_reference_price_national_jpy_kwh", "float", required=False
    ),
    **{
        f"FIP参照価格（卸電力取引市場分）{jp}(円/kWh)": Col(
            f"fip_reference_price_{en}_jpy_kwh", "float", required=False
        )
        for jp, en in AREAS.items()
    },
}


def parse_spot_summary(data: bytes, file: str) -> pa.Table:
    """Parse a family-B ``spot_summary_<FY>.csv`` (UTF-8 or cp932, LF or CRLF)."""
    return read_price_csv(data, SUMMARY_COLUMNS, file)


def parse_spot_market_excel(data: bytes, file: str) -> pa.Table:
    """Parse a family-A ``market/excel/spot_<FY>.csv`` (cp932; empty separator columns)."""
    return read_price_csv(data, EXCEL_COLUMNS, file, encodings=("utf-8", "cp932"))


SPOT_SUMMARY = Dataset(
    name="spot_summary",
    parse=parse_spot_summary,
    primary_key=KEY,
    schema=schema_of(SUMMARY_COLUMNS),
    data_time="delivery_date",
    description="Day-ahead spot results, family B (csv_read.php spot_summary), one row per slot",
    closed_rows=spot_closed_rows,
)
SPOT_MARKET_EXCEL = Dataset(
    name="spot_market_excel",
    parse=parse_spot_market_excel,
    primary_key=KEY,
    schema=schema_of(EXCEL_COLUMNS),
    data_time="delivery_date",
    description="Day-ahead spot results, family A (market/excel), with α/avoidable cost/FIP",
    closed_rows=spot_closed_rows,
)
