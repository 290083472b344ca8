"""JPX daily volume and open interest workbook: ``{YYYYMMDD}open_interest.xlsx`` (+ ``_e``).

Layout, read from the two real samples (``shared/samples/futures/PROVENANCE.md``):

* row 1 title, cell A2 the trade date (an Excel date);
* sections ``<OSE Index Futures>`` / ``＜TOCOM 商品先物取引＞`` in column A (and H for the right
  table), each followed by a header row ``Contract Month | Trading Volume | Current Day Open
  Interest | Change | Previous Day Open Interest`` (``限月取引 | 取引高 | 当日建玉残高 | 前日比 |
  前日建玉残高``) that covers two side-by-side tables, B–F (name in A) and I–M (name in H);
* a product's name only on its first row, a ``Total``/``合計`` row closing it;
* contract months as Excel dates (English monthly), ``2026年08月限``, weeks ``2nd week Feb. 2026``
  / ``2026年08月第4週`` (numbered by the delivery week's Friday), fiscal years ``FY2026`` /
  ``2027年度``;
* after the futures come option sections, final open interest and footnotes: not parsed.

Every futures row of every product is kept (Totals are derived and dropped). Products of the
``futures_products`` seed get their code and delivery period.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from datetime import date, datetime, timedelta

import pyarrow as pa

from ...core.errors import ParseError
from ...core.textio import normalise_name
from ...core.timeutil import fiscal_year_bounds, month_bounds
from . import contracts
from .settings import SOURCE

NAME_RE = re.compile(r"^(\d{8})open_interest(_e)?\.xlsx$", re.I)
HEADER_CELLS = {"contractmonth", "限月取引"}
TOTAL_CELLS = {"total", "合計"}
NOT_FUTURES = re.compile(r"option|オプション|final open interest|最終建玉|exercise|権利行使", re.I)
MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                      "sep", "oct", "nov", "dec"), start=1)}
SIDES = ((0, 1), (7, 8))  # (name column, contract-month column); four numbers follow
VALUE_NAMES = ("Trading Volume", "Current Day Open Interest", "Change",
               "Previous Day Open Interest")

SCHEMA = pa.schema([
    ("trade_date", pa.date32()),
    ("product_name", pa.string()),
    ("contract_label", pa.string()),
    ("file_language", pa.string()),
    ("section", pa.string()),
    ("contract_month", pa.date32()),
    ("label_tenor", pa.string()),
    ("product_code", pa.string()),
    ("tenor_type", pa.string()),
    ("delivery_start", pa.date32()),
    ("delivery_end", pa.date32()),
    ("trading_volume", pa.int64()),
    ("open_interest", pa.int64()),
    ("open_interest_change", pa.int64()),
    ("previous_open_interest", pa.int64()),
    ("sheet_row", pa.int64()),
])


def trade_date_of_name(name: str) -> date | None:
    return contracts.name_date(NAME_RE, name)


def _excel_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and 20_000 < value < 80_000:
        return date(1899, 12, 30) + timedelta(days=int(value))
    return None


def label_period(value) -> tuple[str, str | None, date | None, tuple[date, date] | None]:
    """(label, tenor, contract month, delivery) of a contract-month cell."""
    d = _excel_date(value)
    if d is not None:
        first = date(d.year, d.month, 1)
        return f"{d:%Y-%m}", "month", first, month_bounds(d.year, d.month)
    text = re.sub(r"\s+", " ", str(value)).strip()
    m = re.fullmatch(r"(\d{4})年\s*(\d{1,2})月限", text)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        return text, "month", date(y, mo, 1), month_bounds(y, mo)
    m = (re.fullmatch(r"(\d{4})年\s*(\d{1,2})月第\s*(\d)週", text)
         or re.fullmatch(r"(\d)(?:st|nd|rd|th) week ([A-Za-z]{3})[a-z]*\.? (\d{4})", text))
    if m:
        if text[0].isdigit() and "年" in text:
            y, mo, n = int(m.group(1)), int(m.group(2)), int(m.group(3))
        else:
            n, mo, y = int(m.group(1)), MONTHS.get(m.group(2).lower()), int(m.group(3))
        if mo:
            try:
                return text, "week", None, contracts.nth_friday_week(y, mo, n)
            except ValueError:
                pass
    m = re.fullmatch(r"FY\s*(\d{4})", text) or re.fullmatch(r"(\d{4})年度", text)
    if m:
        return text, "fiscal_year", None, fiscal_year_bounds(int(m.group(1)))
    return text, None, None, None


def _clean_name(value, language: str) -> str:
    lines = [part.strip() for part in str(value).splitlines()]
    return re.sub(r"\s+", " ", ("" if language == "ja" else " ").join(p for p in lines if p)).strip()


def _int(value, file: str, row: int, col: int) -> int | None:
    if value is None or (isinstance(value, str) and value.strip() in ("", "-")):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    text = str(value).strip().replace(",", "")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    raise ParseError(SOURCE, file, f"value {value!r} is not a whole number of contracts",
                     line=row, column=f"{chr(ord('A') + col)} ({VALUE_NAMES[(col - 2) % 7]})")


def read_rows(data: bytes, file: str) -> list[tuple]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ParseError(SOURCE, file, f"not a readable .xlsx workbook ({exc}); truncated "
                         "download?") from exc
    try:
        return [tuple(row[:14]) + (None,) * (14 - len(row[:14]))
                for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def parse_open_interest(data: bytes, file: str) -> pa.Table:
    rows = read_rows(data, file)
    trade_date = _excel_date(rows[1][0]) if len(rows) > 1 else None
    named = trade_date_of_name(file)
    if trade_date is None:
        trade_date = named
    if trade_date is None:
        raise ParseError(SOURCE, file, "cell A2 holds no trade date (and the file name has none)",
                         line=2, column="A")
    language = None
    section: list[str | None] = [None, None]
    futures = [False, False]  # per side: inside a futures table (after its header row)
    current: list[str | None] = [None, None]
    names = contracts.oi_names()
    out: dict[str, list] = {f.name: [] for f in SCHEMA}
    for r, row in enumerate(rows, start=1):
        marks = [row[ncol].strip() if isinstance(row[ncol], str)
                 and row[ncol].strip()[:1] in ("<", "＜") else None for ncol, _ in SIDES]
        if marks[0] or marks[1]:
            # a section row on the left only covers both tables (TOCOM's electricity blocks)
            section = [marks[0] or section[0], marks[1] or marks[0] or section[1]]
            futures, current = [False, False], [None, None]
        header = [normalise_name(str(row[c])).casefold() if row[c] is not None else ""
                  for _, c in SIDES]
        if any(h in HEADER_CELLS for h in header):
            language = language or ("ja" if "限月取引" in header else "en")
            for side in (0, 1):
                futures[side] = (header[side] in HEADER_CELLS and section[side] is not None
                                 and not NOT_FUTURES.search(section[side]))
                current[side] = None
            continue
        if not any(futures):
            if language and all(s and NOT_FUTURES.search(s) for s in section):
                break
            continue
        for side, (ncol, ccol) in enumerate(SIDES):
            if not futures[side] or row[ccol] is None or str(row[ccol]).strip() == "":
                continue
            if row[ncol] is not None and str(row[ncol]).strip():
                current[side] = _clean_name(row[ncol], language or "en")
            label_cell = row[ccol]
            if isinstance(label_cell, str) and normalise_name(label_cell).casefold() in TOTAL_CELLS:
                current[side] = None
                continue
            if current[side] is None:
                raise ParseError(SOURCE, file, "a contract month with no product name above it",
                                 line=r, column=chr(ord("A") + ccol))
            values = [_int(row[ccol + k], file, r, ccol + k) for k in range(1, 5)]
            label, label_tenor, month, period = label_period(label_cell)
            prod = names.get(contracts.oi_key(current[side]))
            if prod is not None and label_tenor is not None and label_tenor != prod.tenor_type:
                raise ParseError(SOURCE, file, f"{current[side]}: contract {label!r} is a "
                                 f"{label_tenor}, the product is {prod.tenor_type}", line=r,
                                 column=chr(ord("A") + ccol))
            for key, value in (
                ("trade_date", trade_date), ("product_name", current[side]),
                ("contract_label", label), ("file_language", language or "en"),
                ("section", section[side]), ("contract_month", month),
                ("label_tenor", label_tenor), ("product_code", prod.code if prod else None),
                ("tenor_type", prod.tenor_type if prod else label_tenor),
                ("delivery_start", period[0] if prod and period else None),
                ("delivery_end", period[1] if prod and period else None),
                ("trading_volume", values[0]), ("open_interest", values[1]),
                ("open_interest_change", values[2]), ("previous_open_interest", values[3]),
                ("sheet_row", r),
            ):
                out[key].append(value)
    if language is None:
        raise ParseError(SOURCE, file, "no 'Contract Month'/'限月取引' header row: not a JPX open "
                         "interest workbook")
    if not out["trade_date"]:
        raise ParseError(SOURCE, file, "no futures rows found under the section headers")
    return pa.Table.from_pydict(out, schema=SCHEMA)
