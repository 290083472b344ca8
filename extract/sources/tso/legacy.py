"""TSO legacy hourly area supply-demand files (FY2016 → FY2023), one layout per TSO.

Before the common 30-minute format (``eria_jukyu_YYYYMM_NN.csv``, see :mod:`.common`), each TSO
published hourly actuals in its own layout (``../shared/reference/tso.md`` §3):

===== ======================================== ============================================
area  file (period)                            layout quirks
===== ======================================== ============================================
01    ``sup_dem_results_<FY>_<Q>q.csv`` (FY Q)  ``月日`` only on a day's first row, ``N時``
      (FY2018 Q2: only an Excel 97–2003 ``.xls``, read with xlrd)
02    ``juyo_<FY>_tohoku_<Q>Q.csv`` (FY Q)      ``DATE_TIME`` with one or two spaces
03    ``area-<FY>.csv`` (FY)                    万kWh; fuel names in the row below ``DATE``
04    ``<FY>_areabalance_current_term.csv``    3 note lines; ``00:00``
05    ``area_jisseki_rikuden…csv`` (quarter →  names in the row above ``DATE,TIME,MWh,…``
      month from 2018-10)
06    ``area_jyukyu_jisseki_<FY>.csv`` (FY)     names split over two rows; ``"10,285"``
07    ``kako-<FY>.csv`` / ``eria_jyukyu.csv``   ``－`` for not applicable; thousands of empty rows
08    ``jukyu<FY>.xlsx`` (FY)                   Excel, 万kW, header over rows 7–9, totals row
09    ``area_jyukyu_jisseki_<FY|H##>_<Q>Q.csv`` like Kansai; Heisei years before FY2019
10    ``<FY>.csv`` (FY)                         header over three rows, a cell with a newline
===== ======================================== ============================================

One parser reads them all: it finds the ``DATE``/``DATE_TIME``/``月日`` row, builds each column's
name from the header rows around it (the deepest non-unit cell; a bare ``実績``/``抑制量`` gets the
``太陽光``/``風力`` group label above it), NFKC-normalises it and maps it by name. Every legacy
file is start-labelled (Kyushu's too). Values are converted to MW (hourly mean): MWh per hour
×1, 万kWh and 万kW ×10. Empty cells and dashes are NULL, never 0.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from operator import itemgetter
from struct import error as struct_error

import pyarrow as pa

from ...core.archive import RemoteFile, logical_name
from ...core.errors import ParseError
from ...core.lazy import lazy_module
from ...core.refdata import areas
from ...core.safezip import check_zip
from ...core.source import Dataset, Identified, RunContext
from ...core.tabular import (
    NOT_WS,
    WS,
    Cells,
    blank_rows,
    constant,
    first_duplicate,
    first_true,
    nfkc,
    parse_dates,
    py_strip,
    read_cells,
    rescue,
)
from ...core.textio import decode, normalise_name, reject_html
from ...core.timeutil import fiscal_year, fiscal_year_bounds, parse_date_cell, periods
from .settings import LEGACY as DATASET
from .settings import (
    LEGACY_FILES,
    LEGACY_FIRST_FY,
    LEGACY_LAST_FY,
    OPTIONAL_FILES,
    SOURCE,
    LegacyFiles,
)

pc = lazy_module("pyarrow.compute")

# Values are converted to MW (hourly mean): MWh per hour → ×1, 万kWh / 万kW → ×10.
VALUE_COLUMNS = (
    "demand_mw",
    "nuclear_mw",
    "thermal_mw",  # combined thermal (legacy files do not split by fuel)
    "hydro_mw",
    "geothermal_mw",
    "biomass_mw",
    "solar_mw",
    "solar_curtailment_mw",
    "wind_mw",
    "wind_curtailment_mw",
    "pumped_storage_mw",  # + generating, − pumping
    "interconnection_mw",  # as published: + import for every TSO's legacy file
    "other_mw",
    "total_mw",  # 合計 where the file has one (Hokkaido, TEPCO, Shikoku, Okinawa), else NULL
)

LEGACY_SCHEMA = pa.schema(
    [
        ("area_code", pa.string()),  # '01'..'10'
        ("slot_date", pa.date32()),  # the row's date as published
        ("time_minutes", pa.int32()),  # label minutes after midnight of `date` (interval start)
        ("time_label", pa.string()),  # the TIME cell as published ('0:00', '4時', ...)
        ("year_month", pa.string()),  # 'YYYY-MM' of `date`: merge key with area_code
        *[(c, pa.float64()) for c in VALUE_COLUMNS],
        ("source_unit", pa.string()),  # unit the file states: 'MWh', '万kWh', '万kW'
    ]
)

# canonical header name (see _canon) → output column
NAMES = {
    "エリア需要": "demand_mw",
    "需要": "demand_mw",
    "東京エリア需要": "demand_mw",
    "エリアの需要実績": "demand_mw",
    "原子力": "nuclear_mw",
    "火力": "thermal_mw",
    "火力等": "thermal_mw",
    "水力": "hydro_mw",
    "地熱": "geothermal_mw",
    "バイオマス": "biomass_mw",
    "太陽光": "solar_mw",
    "太陽光実績": "solar_mw",
    "太陽光発電実績": "solar_mw",
    "太陽光抑制量": "solar_curtailment_mw",
    "太陽光制御量": "solar_curtailment_mw",
    "太陽光出力制御量": "solar_curtailment_mw",
    "風力": "wind_mw",
    "風力実績": "wind_mw",
    "風力発電実績": "wind_mw",
    "風力抑制量": "wind_curtailment_mw",
    "風力制御量": "wind_curtailment_mw",
    "風力出力制御量": "wind_curtailment_mw",
    "揚水": "pumped_storage_mw",
    "揚水等": "pumped_storage_mw",
    "連系線": "interconnection_mw",
    "連系線潮流": "interconnection_mw",
    "その他": "other_mw",
    "合計": "total_mw",
    "供給力合計": "total_mw",
}
_DATE_NAMES = {"DATE", "月日", "年月日"}
_TIME_NAMES = {"TIME", "時刻"}
_DATETIME_NAMES = {"DATE_TIME"}
_GROUP_PARTS = {"実績", "抑制量", "制御量", "出力制御量", "発電実績"}
_NULLS = {"", "-", "－", "−", "ー", "―", "‐", "*", "#N/A"}
_UNIT_CELL = re.compile(r"^(単位.*|MWh|MW|万kWh|万kW|kWh)$", re.I)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _canon(cell: str) -> str:
    """Header cell → lookup key: NFKC, no whitespace (Okinawa has a newline inside a cell), no
    unit suffixes (〔MWh〕, (MWh), [MWh]), brackets dropped (太陽光(実績) → 太陽光実績)."""
    text = normalise_name(cell)
    text = re.sub(r"[〔\[(]\s*(MWh|MW|万kWh|万kW)\s*[〕\])]", "", text, flags=re.I)
    return text.replace("(", "").replace(")", "")


# --------------------------------------------------------------------------------------- areas
_NAME_AREAS = [
    (re.compile(r"^sup_dem_results_\d{4}_\dq", re.I), "01"),
    (re.compile(r"^juyo_\d{4}_tohoku_\dq", re.I), "02"),
    (re.compile(r"^area-\d{4}(?=$|\.)", re.I), "03"),
    (re.compile(r"^\d{4}_areabalance_current_term", re.I), "04"),
    (re.compile(r"^area_jisseki_rikuden\d{6}", re.I), "05"),
    (re.compile(r"^area_jyukyu_jisseki_\d{4}(?=$|\.)", re.I), "06"),
    (re.compile(r"^(kako-\d{4}|eria_jyukyu)(?=$|\.)", re.I), "07"),
    (re.compile(r"^jukyu\d{4}(?=$|\.)", re.I), "08"),
    (re.compile(r"^area_jyukyu_jisseki_(\d{4}|H\d{2})_\dQ", re.I), "09"),
    (re.compile(r"^okinawa_\d{4}(?=$|\.)", re.I), "10"),
]
_SLUGS = {**{a.slug: a.code for a in areas()}, "tepco": "03"}


def area_of(name: str) -> str | None:
    """The area code a legacy file name belongs to (None when the name does not tell).

    A user may also prefix any file with the area code or name: ``10_2016.csv``, ``kansai_x.csv``.
    """
    stem = logical_name(name).rsplit(".", 1)[0]
    for pattern, code in _NAME_AREAS:
        if pattern.match(stem):
            return code
    prefix = re.match(r"^(\d{2}|[a-z]+)[_-]", stem, re.I)
    if prefix:
        key = prefix.group(1).lower()
        if key in _SLUGS:
            return _SLUGS[key]
        if key.isdigit() and 1 <= int(key) <= 10:
            return key
    return None


# ------------------------------------------------------------------------------------- reading
HEAD_ROWS = 48  # the header is in the first 40 rows, its block at most 3 rows below


def _head_from_csv(text: str, file: str) -> list[tuple[int, list[str]]]:
    """The first :data:`HEAD_ROWS` records of the CSV with their line numbers (the header)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
            if len(rows) == HEAD_ROWS:
                break
    except csv.Error as exc:
        raise ParseError(SOURCE, file, f"malformed CSV: {exc}", line=reader.line_num) from exc
    return rows


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0) and value.year > 1900:
            return value.strftime("%Y/%m/%d")
        if value.year <= 1900:  # an Excel time stored as a datetime on 1899-12-30/31
            return f"{value.hour}:{value.minute:02d}"
        return value.strftime("%Y/%m/%d %H:%M")
    if isinstance(value, time):
        return f"{value.hour}:{value.minute:02d}"
    if isinstance(value, date):
        return value.strftime("%Y/%m/%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows_from_xlsx(data: bytes, file: str) -> list[tuple[int, list[str]]]:
    import warnings
    import zipfile

    import openpyxl

    check_zip(data, source=SOURCE, file=file)  # an .xlsx is a zip: refuse a zip bomb first
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Print area cannot be set to Defined name"
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ParseError(SOURCE, file, f"not a readable .xlsx workbook ({exc}); "
                         "truncated download?") from exc
    try:
        sheet = book.worksheets[0]
        return [(i, [_xlsx_cell(v) for v in row])
                for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97–2003 .xls (and other OLE2 files)


def _rows_from_xls(data: bytes, file: str) -> tuple[list[tuple[int, list[str]]], str]:
    """The first sheet of an Excel 97–2003 workbook as text rows (sheet row numbers, 1-based),
    each cell written as :func:`_xlsx_cell` writes an .xlsx cell; and the sheet's name."""
    import xlrd

    try:
        # xlrd writes its warnings ("file is truncated") to stdout unless given a log file
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, AssertionError, IndexError, KeyError,
            ValueError, struct_error) as exc:
        raise ParseError(SOURCE, file, f"not a readable Excel 97–2003 (.xls) workbook ({exc}); "
                         "truncated download?") from exc
    try:
        sheet = book.sheet_by_index(0)
        rows = []
        for r in range(sheet.nrows):
            cells = []
            for kind, value in zip(sheet.row_types(r), sheet.row_values(r), strict=True):
                if kind == xlrd.XL_CELL_DATE:
                    try:
                        value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                    except xlrd.xldate.XLDateError as exc:
                        raise ParseError(SOURCE, f"{file}, sheet {sheet.name!r}",
                                         f"cannot read the date cell ({exc})", line=r + 1,
                                         column=xlrd.formula.colname(len(cells)),
                                         line_word="row") from exc
                elif kind == xlrd.XL_CELL_ERROR:
                    value = xlrd.error_text_from_code.get(value, "#ERR")
                elif kind == xlrd.XL_CELL_BOOLEAN:
                    value = str(bool(value))
                cells.append(_xlsx_cell(value))
            rows.append((r + 1, cells))
        return rows, sheet.name
    finally:
        book.release_resources()


def _in_sheet(exc: ParseError, file: str, sheet: str) -> ParseError:
    """``exc`` (raised on the rows of a workbook) naming the sheet, its row and column letter."""
    column = exc.column
    if isinstance(column, int):
        column = _column_letter(column - 1)
    return ParseError(SOURCE, f"{file}, sheet {sheet!r}", exc.reason, line=exc.line,
                      column=column, line_word="row")


def _column_letter(index: int) -> str:
    """0 → 'A', 25 → 'Z', 26 → 'AA' (a spreadsheet column)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


# ------------------------------------------------------------------------------------- headers
@dataclass
class _Layout:
    header_index: int  # index (in rows) of the DATE row
    first_data: int  # index of the first row after the header block
    date_col: int | None
    time_col: int | None
    datetime_col: int | None
    columns: dict[int, str]  # position → output column
    unit: str
    scale: float


def _blank(row: list[str]) -> bool:
    return not any(c.strip() for c in row)


def _find_unit(rows: list[tuple[int, list[str]]], upto: int, file: str, line: int) -> tuple[str, float]:
    text = _nfkc(" ".join(c for _, row in rows[:upto] for c in row if c)).replace(" ", "")
    lowered = text.lower()
    if "万kwh" in lowered:
        return "万kWh", 10.0
    if "万kw" in lowered:
        return "万kW", 10.0
    if "mwh" in lowered:
        return "MWh", 1.0
    raise ParseError(SOURCE, file, "no unit (MWh, 万kWh or 万kW) stated above the data", line=line)


def _layout(rows: list[tuple[int, list[str]]], file: str) -> _Layout:
    header = None
    for i, (_, row) in enumerate(rows[:40]):
        if row and _canon(row[0]) in _DATE_NAMES | _DATETIME_NAMES:
            header = i
            break
    if header is None:
        raise ParseError(
            SOURCE, file, "no header row starting with DATE, DATE_TIME or 月日 in the first 40 "
            "lines: not a TSO legacy supply-demand file", line=1,
        )
    # the rows that make up the header: group labels above (first two cells empty), the DATE row,
    # and continuation rows below (first two cells empty, not blank) until the data starts
    block = [header]
    i = header - 1
    while i >= 0 and header - i <= 2:
        row = rows[i][1]
        if _blank(row) or any(c.strip() for c in row[:2]):
            break
        block.insert(0, i)
        i -= 1
    j = header + 1
    while j < len(rows) and j - header <= 3:
        row = rows[j][1]
        if _blank(row):
            j += 1
            continue
        if any(c.strip() for c in row[:2]):
            break
        block.append(j)
        j += 1
    first_data = j

    width = max(len(rows[k][1]) for k in block)
    columns: dict[int, str] = {}
    date_col = time_col = datetime_col = None
    seen: dict[str, int] = {}
    for col in range(width):
        cells = [rows[k][1][col] if col < len(rows[k][1]) else "" for k in block]
        name, depth = "", -1
        for d, cell in enumerate(cells):
            key = _canon(cell)
            if key and not _UNIT_CELL.match(key):
                name, depth = key, d
        if not name:
            continue
        if name in _GROUP_PARTS:
            group = ""
            for d in range(depth - 1, -1, -1):  # same column, then to the left in that row
                above = rows[block[d]][1]
                for c in range(min(col, len(above) - 1), -1, -1):
                    if _canon(above[c]):
                        group = _canon(above[c])
                        break
                if group:
                    break
            name = group + name
        if name in _DATE_NAMES:
            date_col = col
        elif name in _TIME_NAMES:
            time_col = col
        elif name in _DATETIME_NAMES:
            datetime_col = col
        elif name in NAMES:
            out = NAMES[name]
            if out in seen:
                raise ParseError(
                    SOURCE, file, f"two header columns map to {out} (columns {seen[out] + 1} and "
                    f"{col + 1})", line=rows[header][0], column=col + 1,
                )
            seen[out] = col
            columns[col] = out
    header_line = rows[header][0]
    if "demand_mw" not in seen:
        raise ParseError(SOURCE, file, "header has no demand column (エリア需要/需要)",
                         line=header_line)
    if datetime_col is None and (date_col is None or time_col is None):
        raise ParseError(SOURCE, file, "header has no DATE/TIME (or DATE_TIME) columns",
                         line=header_line)
    unit, scale = _find_unit(rows, first_data, file, header_line)
    return _Layout(header, first_data, date_col, time_col, datetime_col, columns, unit, scale)


# -------------------------------------------------------------------------------------- values
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$|^(\d{1,2})時$")


def _parse_minutes(cell: str) -> int | None:
    m = _TIME_RE.match(cell)
    if not m:
        return None
    if m.group(4) is not None:
        return int(m.group(4)) * 60
    if m.group(3) not in (None, "00"):
        return None
    return int(m.group(1)) * 60 + int(m.group(2))


def _float(text: str) -> float | None:
    """``float(text)``, None when it is not a number (the scalar rule behind the Arrow cast)."""
    try:
        return float(text)
    except ValueError:
        return None


_LEGACY_TIME = r"^(?:(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?|(?P<hh>\d{1,2})時)$"
_FLOAT = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
@cache
def _null_cells() -> pa.Array:
    """The null cells as an Arrow array, made on first use: ``pa.array`` imports pandas
    (~0.6 s), which a command that parses nothing must not pay for at import."""
    return pa.array(sorted(_NULLS))


def _minutes_of(labels: pa.Array) -> pa.Array:
    """Vectorised :func:`_parse_minutes` (``H:MM``, ``H:MM:00``, ``N時``), null where not one."""
    if len(labels) == 0:
        return pa.array([], pa.int64())
    parts = pc.extract_regex(labels, _LEGACY_TIME)
    matched = pc.is_valid(parts)

    def num(field: str) -> pa.Array:
        text = pc.struct_field(parts, field)
        return pc.cast(pc.if_else(pc.and_(matched, pc.not_equal(text, "")), text, "0"), pa.int64())

    hours = pc.not_equal(pc.struct_field(parts, "hh"), "")
    clock = pc.add(pc.multiply(num("h"), 60), num("m"))
    ok = pc.and_(matched, pc.or_(hours, pc.is_in(pc.struct_field(parts, "s"), pa.array(["", "00"]))))
    return pc.if_else(ok, pc.if_else(hours, pc.multiply(num("hh"), 60), clock),
                      pa.scalar(None, pa.int64()))


def _xlsx_cells(rows: list[tuple[int, list[str]]], first: int) -> Cells:
    body = rows[first:]
    records = list(map(itemgetter(1), body))
    columns = [pa.array(c, pa.string()) for c in itertools.zip_longest(*records, fillvalue="")]
    return Cells(columns, len(records), "", 0, "lines", list(map(itemgetter(0), body)))


def parse_legacy(data: bytes, file: str) -> pa.Table:
    """Parse one legacy file (CSV of any TSO, Shikoku's .xlsx, or an Excel 97–2003 .xls such as
    Hokkaido's FY2018 Q2) into :data:`LEGACY_SCHEMA`: the same name-based reading for all."""
    name = logical_name(file)
    area = area_of(name)
    if area is None:
        raise ParseError(
            SOURCE, file, "cannot tell which area this legacy file is from its name; use the "
            "TSO's published name or prefix it with the area code (e.g. 10_2016.csv)",
        )
    if data[:8] == OLE2_MAGIC:  # Hokkaido's FY2018 Q2 quarter survives only as an .xls
        rows, sheet = _rows_from_xls(data, file)
        try:
            lay = _layout(rows, file)
            cells = _xlsx_cells(rows, lay.first_data)
            return _rows_table(cells, lay, area, file, rows[lay.header_index][0])
        except ParseError as exc:
            raise _in_sheet(exc, file, sheet) from None
    if data[:2] == b"PK":
        rows = _rows_from_xlsx(data, file)
        lay = _layout(rows, file)
        cells = _xlsx_cells(rows, lay.first_data)
    else:
        reject_html(data, source=SOURCE, file=file)
        text = decode(data, source=SOURCE, file=file, encodings=("utf-8", "cp932"))
        rows = _head_from_csv(text, file)
        lay = _layout(rows, file)
        # data rows are as wide as the first of them (a ragged file is still read, more slowly)
        width = len(rows[lay.first_data][1] if lay.first_data < len(rows)
                    else rows[lay.header_index][1])
        cells = read_cells(text, rows[lay.first_data - 1][0], width, source=SOURCE, file=file)
    return _rows_table(cells, lay, area, file, rows[lay.header_index][0])


def _rows_table(cells: Cells, lay: _Layout, area: str, file: str, header_line: int) -> pa.Table:
    """Every data row checked and converted at once (see the module doc for the rules); an
    error names the first offending row, as reading row by row would."""
    n = cells.num_rows
    filled = pc.invert(blank_rows(cells.columns, n))
    if lay.datetime_col is not None:
        cell = py_strip(nfkc(cells.column(lay.datetime_col)))
        # 'date time' split on whitespace; more than two parts reads as ('?', '?')
        parts = pc.extract_regex(cell, f"^(?P<d>{NOT_WS}*)(?:{WS}+(?P<t>{NOT_WS}+))?"
                                       f"(?P<more>(?:{WS}+{NOT_WS}+)*)$")
        more = pc.not_equal(pc.struct_field(parts, "more"), "")
        date_text = pc.if_else(more, "?", pc.struct_field(parts, "d"))
        time_text = pc.if_else(more, "?", pc.struct_field(parts, "t"))
        date_column = time_column = lay.datetime_col
    else:
        date_text = py_strip(nfkc(cells.column(lay.date_col)))
        time_text = py_strip(nfkc(cells.column(lay.time_col)))
        date_column, time_column = lay.date_col, lay.time_col
    has_date = pc.not_equal(date_text, "")
    has_time = pc.not_equal(time_text, "")
    days, _ = rescue(date_text, parse_dates(date_text), pc.and_(filled, has_date),
                     parse_date_cell, fatal=has_time)
    unread = pc.and_(pc.and_(filled, has_date), pc.is_null(days))
    footer = pc.and_(unread, pc.invert(has_time))  # e.g. Shikoku's 合計（百万kWh） row
    active = pc.and_(filled, pc.invert(footer))
    current = pc.fill_null_forward(
        pc.if_else(pc.and_(active, pc.is_valid(days)), days, pa.scalar(None, pa.date32())))
    errors: list[tuple[int, int, Callable[[int], ParseError]]] = []

    def found(row: int | None, order: int, error: Callable[[int], ParseError]) -> None:
        if row is not None:
            errors.append((row, order, error))

    found(first_true(pc.and_(unread, has_time)), 0, lambda i: ParseError(
        SOURCE, file, f"cannot read date {date_text[i].as_py()!r}", line=cells.line(i),
        column=date_column + 1))
    found(first_true(pc.and_(pc.and_(active, pc.invert(has_date)), pc.is_null(current))), 0,
          lambda i: ParseError(SOURCE, file, "first data row has no date", line=cells.line(i),
                               column=date_column + 1))
    values: dict[str, pa.Array] = {}
    for order, (col, out_name) in enumerate(lay.columns.items(), start=1):
        raw = cells.column(col)
        text = pc.replace_substring(py_strip(nfkc(raw)), ",", "")
        number = pc.cast(pc.if_else(pc.match_substring_regex(text, _FLOAT), text,
                                    pa.scalar(None, pa.string())), pa.float64())
        todo = pc.and_(active, pc.invert(pc.is_in(text, value_set=_null_cells())))
        number, bad = rescue(text, number, todo, _float)
        found(bad, order, lambda i, raw=raw, col=col, out_name=out_name: ParseError(
            SOURCE, file, f"{out_name}: cannot read {raw[i].as_py()!r} as a number",
            line=cells.line(i), column=col + 1))
        values[out_name] = pc.multiply(number, lay.scale)
    published = None  # a pre-allocated row of the current year with nothing published yet: no
    for v in values.values():
        published = pc.is_valid(v) if published is None else pc.or_(published, pc.is_valid(v))
    timed = pc.and_(active, published)
    minutes, _ = rescue(time_text, _minutes_of(time_text), timed, _parse_minutes)
    hourly = pc.and_(pc.equal(pc.multiply(pc.divide(minutes, 60), 60), minutes),
                     pc.and_(pc.greater_equal(minutes, 0), pc.less(minutes, 1440)))
    found(first_true(pc.and_(timed, pc.invert(pc.fill_null(hourly, False)))), 1000,
          lambda i: ParseError(SOURCE, file, f"cannot read hourly time {time_text[i].as_py()!r}",
                               line=cells.line(i), column=time_column + 1))
    key = pc.add(pc.multiply(current.cast(pa.int32()).cast(pa.int64()), 2000), minutes)
    key = pc.if_else(pc.and_(timed, pc.fill_null(hourly, False)), key, pa.scalar(None, pa.int64()))

    def duplicate(i: int) -> ParseError:
        first = pc.index(key, key[i]).as_py()
        return ParseError(SOURCE, file, f"{current[i].as_py()} {time_text[i].as_py()} appears "
                          f"twice (first on line {cells.line(first)})", line=cells.line(i),
                          column=time_column + 1)

    found(first_duplicate(key), 1001, duplicate)
    if errors:
        row, _, error = min(errors, key=lambda e: (e[0], e[1]))
        raise error(row)
    take = pc.indices_nonzero(timed)
    if len(take) == 0:
        raise ParseError(SOURCE, file, "the file has a header but no data rows (truncated?)",
                         line=header_line)
    slot_date = current.take(take)
    columns = {
        "area_code": constant(area, len(take), pa.string()),
        "slot_date": slot_date,
        "time_minutes": minutes.take(take).cast(pa.int32()),
        "time_label": time_text.take(take),
        "year_month": pc.strftime(slot_date, format="%Y-%m"),
        **{c: values[c].take(take) if c in values else pa.nulls(len(take), pa.float64())
           for c in VALUE_COLUMNS},
        "source_unit": constant(lay.unit, len(take), pa.string()),
    }
    return pa.table(columns, schema=LEGACY_SCHEMA)


# ---------------------------------------------------------------------------------------- plan
def _remote(row: LegacyFiles, start: date, end: date) -> RemoteFile:
    fy = fiscal_year(start)
    fields = {"fy": fy, "q": (start.month - 4) % 12 // 3 + 1, "heisei": fy - 1988,
              "start": start, "end": end}
    name = row.name.format(**fields)
    return RemoteFile(source=SOURCE, dataset=DATASET, name=name, url=row.url.format(**fields),
                      period_start=start, period_end=end, immutable=True,
                      headers={"Referer": row.referer} if row.referer else {},
                      optional=row.optional or name in OPTIONAL_FILES)


def legacy_files(area: str, first: date, last: date) -> list[RemoteFile]:
    """The legacy files of ``area`` overlapping [first, last] (closed periods: immutable)."""
    out = []
    for row in LEGACY_FILES:
        if row.area != area:
            continue
        lo, hi = max(first, row.valid_from), min(last, row.valid_to)
        if lo > hi:
            continue
        if row.every == "fixed":
            out.append(_remote(row, row.valid_from, row.valid_to))
            continue
        out += [_remote(row, s, e) for s, e in periods(lo, hi, row.every)]
    return out


def legacy_plan(ctx: RunContext) -> list[RemoteFile]:
    """Legacy files overlapping [start, end] (FY2016..FY2023) for the selected areas.

    Without ``--start`` nothing is planned: legacy files are closed history, fetched once by a
    backfill (``--start 2016-04-01``).
    """
    if ctx.start is None:
        return []
    end = min(ctx.end or ctx.today, ctx.today, fiscal_year_bounds(LEGACY_LAST_FY)[1])
    start = max(ctx.start, fiscal_year_bounds(LEGACY_FIRST_FY)[0])
    out: dict[str, RemoteFile] = {}
    for area in ctx.options.areas:
        for rf in legacy_files(area, start, end):
            out.setdefault(rf.name, rf)
    return list(out.values())


def identify_legacy(name: str, data: bytes) -> Identified | None:
    """A hand-downloaded legacy file → (dataset, archive name, period); None if not legacy."""
    base = logical_name(name)
    stem = base.rsplit(".", 1)[0]
    if re.fullmatch(r"\d{4}", stem):  # Okinawa publishes bare <FY>.csv: recognise it by content
        head = _nfkc(decode(data[:4096], source=SOURCE, file=name, encodings=("utf-8", "cp932"))
                     if data[:2] != b"PK" else "")
        if "エリアの需要実績" not in head:
            return None
        base = f"okinawa_{stem}.csv"
    if area_of(base) is None or re.match(r"^eria_jukyu_\d{6}_\d{2}", stem):
        return None
    table = parse_legacy(data, base)
    bounds = pc.min_max(table.column("slot_date"))
    return Identified(DATASET, base, bounds["min"].as_py(), bounds["max"].as_py(), tables=table)


LEGACY = Dataset(
    name=DATASET,
    parse=parse_legacy,
    primary_key=("area_code", "slot_date", "time_minutes"),
    merge_key=("area_code", "year_month"),
    schema=LEGACY_SCHEMA,
    data_time="slot_date",
    extent_by=("area_code",),
    description="Legacy hourly area supply-demand actuals (FY2016→FY2023), one layout per TSO, "
    "converted to MW",
)
