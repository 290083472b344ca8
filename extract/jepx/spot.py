"""JEPX day-ahead spot results: URLs, parsing by header name, and the dlt source."""

from __future__ import annotations

import re
from datetime import date

import dlt
import pyarrow as pa
import pyarrow.compute as pc

from ..archive import RemoteFile
from ..errors import ParseError
from ..source import Dataset, Identified, RunContext, SourceSpec, archive_resources
from ..tabular import Col, read_csv_named, schema_of
from ..textio import decode, reject_html
from ..timeutil import fiscal_year, fiscal_year_bounds

SOURCE = "jepx"
FIRST_FY_SUMMARY = 2005
FIRST_FY_EXCEL = 2016
SPOT_PAGE = "https://www.jepx.jp/electricpower/market-data/spot/"
SUMMARY_URL = "https://www.jepx.jp/js/csv_read.php?dir=spot_summary&file=spot_summary_{fy}.csv"
INTRADAY_PAGE = "https://www.jepx.jp/electricpower/market-data/intraday/"
INTRADAY_URL = "https://www.jepx.jp/js/csv_read.php?dir=intraday&file=intraday_{fy}.csv"
FIRST_FY_INTRADAY = 2016
EXCEL_URL = "https://www.jepx.jp/market/excel/spot_{fy}.csv"
# A closed fiscal year's file is treated as immutable this many days after the year ends
# (JEPX has regenerated old files with new columns; a month is enough for late corrections).
IMMUTABLE_AFTER_DAYS = 31

AREAS = {  # JEPX header name → English slug (JEPX order; Okinawa is not a JEPX area)
    "北海道": "hokkaido",
    "東北": "tohoku",
    "東京": "tokyo",
    "中部": "chubu",
    "北陸": "hokuriku",
    "関西": "kansai",
    "中国": "chugoku",
    "四国": "shikoku",
    "九州": "kyushu",
}

_BASE = {
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

SUMMARY_COLUMNS = {"受渡日": Col("delivery_date", "date"), **_BASE}

_AVG = "スポット・時間前平均価格(円/kWh)"
EXCEL_COLUMNS = {
    "年月日": Col("delivery_date", "date"),
    **_BASE,
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


# intraday (時間前市場) per slot; a slot with no trades has empty prices/volume and 約定件数 0
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


def _check_slots(table: pa.Table, file: str, header_line: int = 1) -> pa.Table:
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


def parse_spot_summary(data: bytes, file: str) -> pa.Table:
    """Parse a family-B ``spot_summary_<FY>.csv`` (UTF-8 or cp932, LF or CRLF)."""
    table = read_csv_named(data, SUMMARY_COLUMNS, source=SOURCE, file=file)
    return _check_slots(table, file)


def parse_spot_market_excel(data: bytes, file: str) -> pa.Table:
    """Parse a family-A ``market/excel/spot_<FY>.csv`` (cp932; empty separator columns)."""
    table = read_csv_named(
        data, EXCEL_COLUMNS, source=SOURCE, file=file, encodings=("utf-8", "cp932")
    )
    return _check_slots(table, file)


def parse_intraday(data: bytes, file: str) -> pa.Table:
    """Parse an ``intraday_<FY>.csv`` (時間前市場 summary per slot, UTF-8 or cp932)."""
    table = read_csv_named(data, INTRADAY_COLUMNS, source=SOURCE, file=file)
    return _check_slots(table, file)


_PRICE_HINTS = {"delivery_date": {"data_type": "date"}, "time_code": {"data_type": "bigint"}}

DATASETS = {
    "spot_summary": Dataset(
        name="spot_summary",
        parse=parse_spot_summary,
        primary_key=("delivery_date", "time_code"),
        description="Day-ahead spot results, family B (csv_read.php spot_summary), one row per slot",
        columns=_PRICE_HINTS,
        schema=schema_of(SUMMARY_COLUMNS),
    ),
    "spot_market_excel": Dataset(
        name="spot_market_excel",
        parse=parse_spot_market_excel,
        primary_key=("delivery_date", "time_code"),
        description="Day-ahead spot results, family A (market/excel), with α/avoidable cost/FIP",
        columns=_PRICE_HINTS,
        schema=schema_of(EXCEL_COLUMNS),
    ),
    "intraday": Dataset(
        name="intraday",
        parse=parse_intraday,
        primary_key=("delivery_date", "time_code"),
        description="Intraday (時間前) market per slot: OHLC, average price, volume, trade count",
        columns=_PRICE_HINTS,
        schema=schema_of(INTRADAY_COLUMNS),
    ),
}


# dataset → (logical name, URL, first fiscal year, request headers) of its fiscal-year file
FY_FILES = {
    "spot_summary": ("spot_summary_{fy}.csv", SUMMARY_URL, FIRST_FY_SUMMARY,
                     {"Referer": SPOT_PAGE, "Accept": "*/*"}),
    "spot_market_excel": ("spot_{fy}.csv", EXCEL_URL, FIRST_FY_EXCEL, {"Accept": "*/*"}),
    "intraday": ("intraday_{fy}.csv", INTRADAY_URL, FIRST_FY_INTRADAY,
                 {"Referer": INTRADAY_PAGE, "Accept": "*/*"}),
}


def fy_remote(dataset: str, fy: int, today: date) -> RemoteFile:
    """The fiscal-year file of ``dataset``; closed once its year ended IMMUTABLE_AFTER_DAYS ago."""
    name, url, _, headers = FY_FILES[dataset]
    start, end = fiscal_year_bounds(fy)
    return RemoteFile(
        source=SOURCE,
        dataset=dataset,
        name=name.format(fy=fy),
        url=url.format(fy=fy),
        period_start=start,
        period_end=end,
        immutable=(today - end).days > IMMUTABLE_AFTER_DAYS,
        headers=dict(headers),
    )


def plan(ctx: RunContext) -> list[RemoteFile]:
    """FY files covering [start, end]; without --start, the current fiscal year only."""
    today = ctx.today
    end = min(ctx.end or today, today)
    start = ctx.start or fiscal_year_bounds(fiscal_year(today))[0]
    datasets = ctx.options.get("datasets") or tuple(DATASETS)
    out: list[RemoteFile] = []
    for fy in range(max(fiscal_year(start), FIRST_FY_SUMMARY), fiscal_year(end) + 1):
        for dataset, (_, _, first_fy, _) in FY_FILES.items():
            if dataset in datasets and fy >= first_fy:
                out.append(fy_remote(dataset, fy, today))
    return out


def validate(rf: RemoteFile, data: bytes) -> None:
    """Refuse bodies that cannot be a spot file before they become an archive version."""
    reject_html(data, source=SOURCE, file=rf.name)
    if len(data) < 100:
        raise ParseError(SOURCE, rf.name, f"response of {len(data)} bytes is too short to be data")


_FY_NAME = re.compile(r"(\d{4})")


def identify(name: str, data: bytes) -> Identified:
    """Which family a hand-downloaded spot file is, and which dates it covers."""
    reject_html(data, source=SOURCE, file=name)
    header = decode(data[:4096], source=SOURCE, file=name).splitlines()[0]
    if "受渡日" in header:
        dataset, table = "spot_summary", parse_spot_summary(data, name)
    elif "年月日" in header and "エリアプライス" in header:
        dataset, table = "spot_market_excel", parse_spot_market_excel(data, name)
    elif "年月日" in header and "始値" in header:
        dataset, table = "intraday", parse_intraday(data, name)
    else:
        raise ParseError(
            SOURCE, name, "not a JEPX spot or intraday file (no 受渡日, 年月日 + エリアプライス "
            "or 年月日 + 始値 header)", line=1,
        )
    dates = table.column("delivery_date")
    if table.num_rows == 0:
        raise ParseError(SOURCE, name, "file has a header but no rows")
    first, last = pc.min(dates).as_py(), pc.max(dates).as_py()
    return Identified(dataset, name, first, last)


@dlt.source(name="jepx", max_table_nesting=0)
def jepx_source(files, archive, progress=None):
    """dlt source: one merge resource per JEPX dataset, fed from the archive."""
    return archive_resources(SOURCE, DATASETS, files, archive, progress)


SPEC = SourceSpec(
    name=SOURCE,
    description="JEPX day-ahead spot prices (FY2005→, both file families) and intraday (FY2016→)",
    datasets=DATASETS,
    plan=plan,
    identify=identify,
    dlt_source=jepx_source,
    validate=validate,
)

__all__ = ["SPEC", "jepx_source", "parse_intraday", "parse_spot_market_excel", "parse_spot_summary"]
