"""広域予備率Web公表システム (web-kohyo) ``downloadCsv`` files (occto.md §2).

Layout (all ``jhSybt``): UTF-8 with BOM, CRLF, every field double-quoted; line 1 is the file's
publication stamp ``"YYYY/MM/DD hh:mm UPDATE"`` (the latest publication in the file), line 2 the
header, then one row per (対象年月日, 時刻, エリア名 | 連系線名) with ``時刻`` the period END
``00:30`` … ``24:00``. Columns are found by header name; a header cell this parser does not know
is an error (the reference could not see every header verbatim: see ``RESERVE_COLUMNS`` and
``LINE_COLUMNS``).

Rows keep the published labels and measure text (``***`` = blackout); each row carries the
file's ``jhsybt`` and ``published_at_jst`` (the UPDATE stamp), so the history table can answer
"what was published at time T". Staging turns labels into period starts and ``***`` into NULL.
"""

from __future__ import annotations

import re
from datetime import datetime

import pyarrow as pa

from ...core.archive import logical_name
from ...core.errors import ParseError
from ...core.refdata import areas
from ...core.tabular import Col, header_cells
from ...core.textio import normalise_name
from . import csvfile
from .settings import SOURCE

# jhSybt 02 (翌日・当日), verbatim (occto.md §2.4 [C]); 05 adds 区分名 (§2.5 [C1], spelling [G]).
# ASSUMPTION (open question 1, "whether jhSybt=01 shares the layout of 02"): the weekly file (01)
# has 02's columns, with or without 区分名; its header was never seen.
RESERVE_COLUMNS = {
    "対象年月日": Col("target_date", "date"),
    "区分名": Col("category_name", required=False),
    "時刻": Col("time_label"),
    "ブロックNo": Col("block_no"),
    "エリア名": Col("area_name"),
    "広域ブロック需要(MW)": Col("block_demand_mw"),
    "広域ブロック供給力(MW)": Col("block_supply_mw"),
    "広域ブロック予備力(MW)": Col("block_reserve_mw"),
    "広域予備率(%)": Col("wide_area_reserve_margin_pct"),
    "広域使用率(%)": Col("wide_area_usage_pct"),
    "エリア需要(MW)": Col("area_demand_mw"),
    "エリア供給力(MW)": Col("area_supply_mw"),
    "エリア予備力(MW)": Col("area_reserve_mw"),
}
RESERVE_MEASURES = ("block_demand_mw", "block_supply_mw", "block_reserve_mw",
                    "wide_area_reserve_margin_pct", "wide_area_usage_pct", "area_demand_mw",
                    "area_supply_mw", "area_reserve_mw")

# jhSybt 04 (翌日・当日) and 06 (翌々日). Confirmed names (occto.md §2.6): 対象年月日, 時刻, 連系線名,
# 順/逆方向運用容量(MW), 順方向計画潮流(MW) [C]; 06's 順方向予想潮流(MW), 順/逆方向空容量(MW),
# 順/逆方向分断情報 [C1].
# ASSUMPTION (open question 1, "the full verbatim header of jhSybt=04 … idx 5, 6, 8, 11-13, 15"):
# 04 carries 16 columns (earthorsun's rows have ≥ 16); the names below marked [G] are guesses
# from the sample's arithmetic (free = capacity − margin ∓ flow) and from 06's names. A live file
# whose header differs fails with "unknown header column(s) [...]": put the real names here.
LINE_COLUMNS = {
    "対象年月日": Col("target_date", "date"),
    "時刻": Col("time_label"),
    "連系線名": Col("line_name"),
    "順方向運用容量(MW)": Col("fwd_operating_capacity_mw"),
    "逆方向運用容量(MW)": Col("rev_operating_capacity_mw"),
    "順方向マージン(MW)": Col("fwd_margin_mw", required=False),  # [G] idx 5
    "逆方向マージン(MW)": Col("rev_margin_mw", required=False),  # [G] idx 6
    "順方向計画潮流(MW)": Col("planned_flow_mw"),  # 04 idx 7, signed (06: 順方向予想潮流(MW))
    "逆方向計画潮流(MW)": Col("rev_planned_flow_mw", required=False),  # [G] idx 8
    "順方向空容量(MW)": Col("fwd_free_capacity_mw"),  # 04 idx 9 [I]
    "逆方向空容量(MW)": Col("rev_free_capacity_mw"),  # 04 idx 10 [I]
    "順方向広域調整枠(MW)": Col("fwd_wide_area_adjustment_mw", required=False),  # [G] idx 11
    "逆方向広域調整枠(MW)": Col("rev_wide_area_adjustment_mw", required=False),  # [G] idx 12
    "分断判定潮流(MW)": Col("split_test_flow_mw", required=False),  # [G] idx 13, meaning unknown
    "順方向分断情報": Col("fwd_split_label"),  # 04 idx 14 [I]
    "逆方向分断情報": Col("rev_split_label"),  # 04 idx 15 [I]
}
LINE_MEASURES = ("fwd_operating_capacity_mw", "rev_operating_capacity_mw", "fwd_margin_mw",
                 "rev_margin_mw", "planned_flow_mw", "rev_planned_flow_mw", "fwd_free_capacity_mw",
                 "rev_free_capacity_mw", "fwd_wide_area_adjustment_mw",
                 "rev_wide_area_adjustment_mw", "split_test_flow_mw")
# 06 names its planned flow 予想潮流 (a forecast); everything else is shared
LINE_COLUMNS_BY_CODE = {
    "04": LINE_COLUMNS,
    "06": {("順方向予想潮流(MW)" if k == "順方向計画潮流(MW)" else k): v for k, v in LINE_COLUMNS.items()},
}
SPLIT_LABELS = {"分断あり", "分断なし", csvfile.BLACKOUT}

_HEAD = [("jhsybt", pa.string()), ("published_at_jst", pa.timestamp("us"))]
RESERVE_SCHEMA = pa.schema([
    *_HEAD, ("target_date", pa.date32()), ("time_label", pa.string()),
    ("category_name", pa.string()), ("block_no", pa.string()), ("area_name", pa.string()),
    ("area_code", pa.string()), *[(m, pa.string()) for m in RESERVE_MEASURES]])
LINE_SCHEMA = pa.schema([
    *_HEAD, ("target_date", pa.date32()), ("time_label", pa.string()), ("line_name", pa.string()),
    *[(m, pa.string()) for m in LINE_MEASURES],
    ("fwd_split_label", pa.string()), ("rev_split_label", pa.string())])
RESERVE_KEY = ("jhsybt", "target_date", "time_label", "area_name")
LINE_KEY = ("jhsybt", "target_date", "time_label", "line_name")

NAME = re.compile(r"^kohyo_(\d{2})_")
_STAMP = re.compile(r'^"?(\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}) UPDATE"?\s*$')


def file_name(code: str, first, last) -> str:
    """The logical name of one request: ``kohyo_02_20240401-20240430.csv``."""
    return f"kohyo_{code}_{first:%Y%m%d}-{last:%Y%m%d}.csv"


def code_of(file: str) -> str:
    m = NAME.match(logical_name(file))
    if not m:
        raise ParseError(SOURCE, file, "not a web-kohyo file name (kohyo_<jhSybt>_<from>-<to>.csv)")
    return m.group(1)


def stamp(text: str, file: str) -> datetime:
    """Line 1's ``"YYYY/MM/DD hh:mm UPDATE"`` as a naive JST datetime."""
    first = text.split("\n", 1)[0].strip().lstrip("\ufeff")
    m = _STAMP.match(first)
    if not m:
        raise ParseError(SOURCE, file, f"line 1 is not the web-kohyo stamp \"YYYY/MM/DD hh:mm "
                         f"UPDATE\" (got {first[:40]!r})", line=1)
    return datetime.strptime(m.group(1), "%Y/%m/%d %H:%M")


def _read(data: bytes, file: str, columns, measures) -> tuple[pa.Table, datetime, list[str]]:
    text = csvfile.read_text(data, file, ("utf-8",))  # web-kohyo is UTF-8 with BOM
    published = stamp(text, file)
    table = csvfile.read_strict(text, file, columns, header_line=2, measures=measures)
    lines = text.splitlines()
    csvfile.check_labels(table, "time_label", 30, lines, 2, file, "時刻")
    return table, published, lines


def _with_head(table: pa.Table, code: str, published: datetime) -> pa.Table:
    n = table.num_rows
    table = table.add_column(0, "published_at_jst",
                             csvfile.constant(n, published, pa.timestamp("us")))
    return table.add_column(0, "jhsybt", csvfile.constant(n, code, pa.string()))


def parse_reserve(data: bytes, file: str) -> pa.Table:
    """jhSybt 01/02/05: one row per date × period × area (10 areas → 480 rows a day)."""
    code = code_of(file)
    table, published, lines = _read(data, file, RESERVE_COLUMNS, RESERVE_MEASURES)
    codes = {a.name_ja: a.code for a in areas()}
    names = table.column("area_name").to_pylist()
    unknown = sorted({n for n in names if n not in codes})
    if unknown:
        idx = names.index(unknown[0])
        raise ParseError(SOURCE, file, f"unknown area name {unknown[0]!r} (known: "
                         f"{', '.join(codes)})", line=csvfile.data_line(lines, 2, idx),
                         column="エリア名")
    table = table.append_column("area_code", pa.array([codes[n] for n in names], pa.string()))
    table = _with_head(table, code, published)
    csvfile.check_unique(table, list(RESERVE_KEY), lines, 2, file)
    return table.select(RESERVE_SCHEMA.names).cast(RESERVE_SCHEMA)


def parse_lines(data: bytes, file: str) -> pa.Table:
    """jhSybt 04/06: one row per date × period × published line name."""
    code = code_of(file)
    if code not in LINE_COLUMNS_BY_CODE:
        raise ParseError(SOURCE, file, f"jhSybt {code} is not an interconnector file (04, 06)")
    table, published, lines = _read(data, file, LINE_COLUMNS_BY_CODE[code], LINE_MEASURES)
    for col, header in (("fwd_split_label", "順方向分断情報"), ("rev_split_label", "逆方向分断情報")):
        values = table.column(col).to_pylist()
        bad = [i for i, v in enumerate(values) if v is not None and v not in SPLIT_LABELS]
        if bad:
            raise ParseError(SOURCE, file, f"split flag {values[bad[0]]!r} is not 分断あり/分断なし",
                             line=csvfile.data_line(lines, 2, bad[0]), column=header)
    table = _with_head(table, code, published)
    csvfile.check_unique(table, list(LINE_KEY), lines, 2, file)
    return table.select(LINE_SCHEMA.names).cast(LINE_SCHEMA)


def sniff(text: str) -> str | None:
    """The jhSybt a web-kohyo file's header implies (None: 01 and 05 look alike)."""
    header = normalised_header(text)
    if "連系線名" in header:
        return "06" if "順方向予想潮流(MW)" in header else "04"
    if "エリア名" in header:
        return None if "区分名" in header else "02"
    return None


def normalised_header(text: str) -> set[str]:
    lines = text.splitlines()
    return {normalise_name(c) for c in header_cells(lines[1])} if len(lines) > 1 else set()
