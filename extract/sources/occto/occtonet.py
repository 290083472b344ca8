"""OCCTONET3 系統情報サービス bulk downloads (screen CF01S010C; occto.md §3-§5).

CP932, LF, no preamble, header on line 1. Three files:

* 連系線潮流実績 (``rklDataKnd=11``): one row per 連系線 × 対象日付 × 対象時刻, 5-minute period-END
  labels ``00:05`` … ``24:00``; 潮流実績/計画潮流 signed (positive = the line's 順方向); the
  reverse-direction capacity columns are negative. Future slots of today (no 潮流実績) are not
  loaded.
* 連系線空容量 (``rklDataKnd`` 05/06/07 = 翌々日/翌日/当日): long format, one row per line × date ×
  period × 方向 (順方向/逆方向; reverse capacities negative) with its own 最新更新年月日時刻.
* 需要予想・ピーク時供給力 (``areaDataKnd`` 32/05/06 = 翌々日/翌日/当日): one row per 策定日 ×
  対象日付 × 対象エリア (10 areas + ``9エリア計`` + ``10エリア計``).

Measures stay as published text (checked: number, ``***`` or empty); staging casts them.
"""

from __future__ import annotations

import re
from datetime import datetime

import pyarrow as pa

from ...core.archive import logical_name
from ...core.errors import ParseError
from ...core.lazy import lazy_module
from ...core.refdata import areas
from ...core.tabular import Col
from ...core.timeutil import parse_date_cell
from . import csvfile
from .settings import SOURCE

pc = lazy_module("pyarrow.compute")

ENCODINGS = ("cp932",)

FLOW_COLUMNS = {  # verbatim, occto.md §3.2 [C]
    "連系線": Col("line_name"),
    "対象日付": Col("target_date_text"),
    "対象時刻": Col("time_label"),
    "運用容量(順方向)": Col("fwd_operating_capacity_mw"),
    "運用容量(逆方向)": Col("rev_operating_capacity_mw"),
    "広域調整枠(順方向)": Col("fwd_wide_area_adjustment_mw"),
    "広域調整枠(逆方向)": Col("rev_wide_area_adjustment_mw"),
    "マージン(順方向)": Col("fwd_margin_mw"),
    "マージン(逆方向)": Col("rev_margin_mw"),
    "空容量(順方向)": Col("fwd_free_capacity_mw"),
    "空容量(逆方向)": Col("rev_free_capacity_mw"),
    "計画潮流(順方向)": Col("fwd_planned_flow_mw"),
    "計画潮流(逆方向)": Col("rev_planned_flow_mw"),
    "潮流実績": Col("actual_flow_mw"),
    "運用容量拡大分(順方向)": Col("fwd_capacity_extension_mw"),
    "運用容量拡大分(逆方向)": Col("rev_capacity_extension_mw"),
}
FLOW_MEASURES = tuple(c.out for c in FLOW_COLUMNS.values()
                      if c.out not in ("line_name", "target_date_text", "time_label"))

CAPACITY_COLUMNS = {  # verbatim, occto.md §4 (JEPX-Viewer PLAN_CSV) [C1]
    "対象断面": Col("horizon_label"),
    "策定日": Col("formulation_date_text"),
    "策定／更新後": Col("status_label"),
    "連系線": Col("line_name"),
    "年月日": Col("target_date_text"),
    "時刻": Col("time_label"),
    "方向": Col("direction_label"),
    "空容量": Col("free_capacity_mw"),
    "計画潮流": Col("planned_flow_mw"),
    "広域調整枠": Col("wide_area_adjustment_mw"),
    "マージン": Col("margin_mw"),
    "運用容量": Col("operating_capacity_mw"),
    "運用容量決定要因": Col("capacity_factor", required=False),
    "最新更新年月日時刻": Col("updated_at_text"),
}
CAPACITY_MEASURES = ("free_capacity_mw", "planned_flow_mw", "wide_area_adjustment_mw",
                     "margin_mw", "operating_capacity_mw")
DIRECTIONS = {"順方向", "逆方向"}

# verbatim for areaDataKnd=32, occto.md §5 [C1].
# ASSUMPTION (not listed among the open questions, but unseen): 翌日 (05) and 当日 (06) use the
# same header as 翌々日 (32); a different header fails with "unknown header column(s)".
DEMAND_COLUMNS = {
    "策定日": Col("formulation_date_text"),
    "対象日付": Col("target_date_text"),
    "対象エリア": Col("area_label"),
    "最小総需要予想時刻": Col("min_demand_time_label"),
    "最小総需要予想（MW）": Col("min_demand_mw"),
    "最大総需要予想時刻": Col("max_demand_time_label"),
    "最大総需要予想（MW）": Col("max_demand_mw"),
    "最大供給力予想（MW）": Col("max_supply_mw"),
    "予想使用率": Col("usage_pct"),
    "予想予備率": Col("reserve_margin_pct"),
}
DEMAND_MEASURES = ("min_demand_mw", "max_demand_mw", "max_supply_mw", "usage_pct",
                   "reserve_margin_pct")
TOTAL_LABELS = {"9エリア計": "9area", "10エリア計": "10area"}

FLOW_SCHEMA = pa.schema([("line_name", pa.string()), ("target_date", pa.date32()),
                         ("time_label", pa.string()), *[(m, pa.string()) for m in FLOW_MEASURES]])
FLOW_KEY = ("line_name", "target_date", "time_label")
CAPACITY_SCHEMA = pa.schema([
    ("rkl_data_kind", pa.string()), ("horizon_label", pa.string()),
    ("formulation_date", pa.date32()), ("status_label", pa.string()), ("line_name", pa.string()),
    ("target_date", pa.date32()), ("time_label", pa.string()), ("direction_label", pa.string()),
    *[(m, pa.string()) for m in CAPACITY_MEASURES], ("capacity_factor", pa.string()),
    ("updated_at_jst", pa.timestamp("us"))])
CAPACITY_KEY = ("rkl_data_kind", "status_label", "line_name", "target_date", "time_label",
                "direction_label")
DEMAND_SCHEMA = pa.schema([
    ("area_data_kind", pa.string()), ("formulation_date", pa.date32()),
    ("target_date", pa.date32()), ("area_label", pa.string()), ("area_code", pa.string()),
    ("min_demand_time_label", pa.string()), ("max_demand_time_label", pa.string()),
    *[(m, pa.string()) for m in DEMAND_MEASURES]])
DEMAND_KEY = ("area_data_kind", "formulation_date", "target_date", "area_label")

NAME = re.compile(r"^occtonet_(flows|capacity|demand)_(\d{2})_")


def file_name(kind: str, code: str, first, last) -> str:
    """``occtonet_flows_11_20250401-20250430.csv`` and the like."""
    return f"occtonet_{kind}_{code}_{first:%Y%m%d}-{last:%Y%m%d}.csv"


def code_of(file: str, kind: str) -> str:
    m = NAME.match(logical_name(file))
    if not m or m.group(1) != kind:
        raise ParseError(SOURCE, file, f"not an OCCTONET3 {kind} file name "
                         f"(occtonet_{kind}_<code>_<from>-<to>.csv)")
    return m.group(2)


def _dates(table: pa.Table, column: str, header: str, lines: list[str], file: str) -> pa.Array:
    """``YYYY/MM/DD`` or ``YYYYMMDD`` cells → dates (each distinct text parsed once)."""
    arr = table.column(column).combine_chunks()
    uniques = pc.unique(arr)
    parsed = [parse_date_cell(v or "") for v in uniques.to_pylist()]
    for text, value in zip(uniques.to_pylist(), parsed, strict=True):
        if value is None:
            idx = pc.index(arr, text).as_py() if text is not None else \
                pc.index(pc.is_null(arr), True).as_py()
            raise ParseError(SOURCE, file, f"{text!r} is not a date", column=header,
                             line=csvfile.data_line(lines, 1, idx))
    return pc.take(pa.array(parsed, pa.date32()), pc.index_in(arr, uniques))


def _read(data: bytes, file: str, columns, measures) -> tuple[pa.Table, list[str]]:
    text = csvfile.read_text(data, file, ENCODINGS)
    table = csvfile.read_strict(text, file, columns, header_line=1, measures=measures)
    return table, text.splitlines()


def parse_flows(data: bytes, file: str) -> pa.Table:
    """連系線潮流実績 (5-minute actual flows)."""
    code_of(file, "flows")
    table, lines = _read(data, file, FLOW_COLUMNS, FLOW_MEASURES)
    csvfile.check_labels(table, "time_label", 5, lines, 1, file, "対象時刻")
    table = table.append_column("target_date",
                                _dates(table, "target_date_text", "対象日付", lines, file))
    csvfile.check_unique(table, list(FLOW_KEY), lines, 1, file)
    table = table.filter(pc.is_valid(table.column("actual_flow_mw")))  # future slots
    return table.select(FLOW_SCHEMA.names).cast(FLOW_SCHEMA)


def parse_capacity(data: bytes, file: str) -> pa.Table:
    """連系線空容量 by horizon (long format, one row per direction)."""
    code = code_of(file, "capacity")
    table, lines = _read(data, file, CAPACITY_COLUMNS, CAPACITY_MEASURES)
    csvfile.check_labels(table, "time_label", 30, lines, 1, file, "時刻")
    directions = table.column("direction_label").to_pylist()
    bad = [i for i, d in enumerate(directions) if d not in DIRECTIONS]
    if bad:
        raise ParseError(SOURCE, file, f"方向 {directions[bad[0]]!r} is not 順方向/逆方向",
                         line=csvfile.data_line(lines, 1, bad[0]), column="方向")
    updated = []
    for i, text in enumerate(table.column("updated_at_text").to_pylist()):
        try:
            updated.append(datetime.strptime((text or "").strip(), "%Y/%m/%d %H:%M:%S"))
        except ValueError:
            raise ParseError(SOURCE, file, f"{text!r} is not YYYY/MM/DD hh:mm:ss",
                             line=csvfile.data_line(lines, 1, i), column="最新更新年月日時刻") from None
    n = table.num_rows
    table = (table
             .append_column("rkl_data_kind", csvfile.constant(n, code, pa.string()))
             .append_column("formulation_date",
                            _dates(table, "formulation_date_text", "策定日", lines, file))
             .append_column("target_date", _dates(table, "target_date_text", "年月日", lines, file))
             .append_column("updated_at_jst", pa.array(updated, pa.timestamp("us"))))
    csvfile.check_unique(table, list(CAPACITY_KEY), lines, 1, file)
    return table.select(CAPACITY_SCHEMA.names).cast(CAPACITY_SCHEMA)


def parse_demand(data: bytes, file: str) -> pa.Table:
    """需要予想・ピーク時供給力 (daily forecasts per area and the 9/10-area totals)."""
    code = code_of(file, "demand")
    table, lines = _read(data, file, DEMAND_COLUMNS, DEMAND_MEASURES)
    codes = {a.name_ja: a.code for a in areas()}
    labels = table.column("area_label").to_pylist()
    bad = [i for i, v in enumerate(labels) if v not in codes and v not in TOTAL_LABELS]
    if bad:
        raise ParseError(SOURCE, file, f"unknown 対象エリア {labels[bad[0]]!r}",
                         line=csvfile.data_line(lines, 1, bad[0]), column="対象エリア")
    for col, header in (("min_demand_time_label", "最小総需要予想時刻"),
                        ("max_demand_time_label", "最大総需要予想時刻")):
        values = table.column(col).to_pylist()
        wrong = [i for i, v in enumerate(values) if v and not re.fullmatch(r"\d{1,2}:\d{2}", v)]
        if wrong:
            raise ParseError(SOURCE, file, f"{values[wrong[0]]!r} is not a time (hh:mm)",
                             line=csvfile.data_line(lines, 1, wrong[0]), column=header)
    n = table.num_rows
    table = (table
             .append_column("area_data_kind", csvfile.constant(n, code, pa.string()))
             .append_column("area_code", pa.array([codes.get(v) for v in labels], pa.string()))
             .append_column("formulation_date",
                            _dates(table, "formulation_date_text", "策定日", lines, file))
             .append_column("target_date", _dates(table, "target_date_text", "対象日付", lines,
                                                  file)))
    csvfile.check_unique(table, list(DEMAND_KEY), lines, 1, file)
    return table.select(DEMAND_SCHEMA.names).cast(DEMAND_SCHEMA)
