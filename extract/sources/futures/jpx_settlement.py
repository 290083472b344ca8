"""JPX settlement prices CSV: ``rb_e{YYYYMMDD}.csv`` (English) / ``rb{YYYYMMDD}.csv`` (Japanese).

One file holds every OSE and TOCOM futures and option of one trade date (≈43,000 rows); every
row is kept in ``raw_futures.jpx_settlement``. Layout (futures.md §2.2, from fixtures that say
they match the live file): two quoted preamble lines, blank lines, then the header

    Issue Code,Issue Name,Put–Call,Contract Month,Strike Price,Settlement Price,...

whose punctuation differs between sources (``Put–Call``/``Put/Call``, ``Volatility ``), so the
header is located by its first cell and the 12 columns are read by POSITION. The trade date is
the file name's date (JPX names files by trade date; the index page links the latest one).

``Issue Name`` = ``FUT_<ROOT>_<YYMMDD>`` for futures, the suffix being the last trading day. The
root is split off exactly (``EEB`` is not ``EEBW``/``EEBY``) and looked up in the
``futures_products`` seed for tenor → delivery period. OSE USD/JPY's root is unknown [G]: rows
whose underlying name reads USD/JPY (米ドル/日本円) are tagged ``USDJPY``.
"""

from __future__ import annotations

import csv
import re
from datetime import date

import pyarrow as pa

from ...core.archive import logical_name
from ...core.errors import ParseError
from ...core.textio import decode, normalise_name, reject_html
from . import contracts
from .settings import SOURCE

NAME_RE = re.compile(r"^rb(_e)?(\d{8})\.csv$", re.I)
COLUMNS = ("Issue Code", "Issue Name", "Put–Call", "Contract Month", "Strike Price",
           "Settlement Price", "Theoretical Price", "Underlying Price", "Volatility",
           "Interest Rate", "Days until Maturity", "Underlying Name")
_FLOATS = {4: "strike_price", 5: "settlement_price", 6: "theoretical_price",
           7: "underlying_price", 8: "volatility", 9: "interest_rate"}
FX_USDJPY = re.compile(r"USD\s*/\s*JPY|US\s*Dollar|米ドル\s*/\s*日本円", re.I)

SCHEMA = pa.schema([
    ("trade_date", pa.date32()),
    ("issue_code", pa.string()),
    ("issue_name", pa.string()),
    ("instrument", pa.string()),
    ("root", pa.string()),
    ("last_trading_day", pa.date32()),
    ("put_call", pa.string()),
    ("contract_month", pa.string()),
    ("strike_price", pa.float64()),
    ("settlement_price", pa.float64()),
    ("theoretical_price", pa.float64()),
    ("underlying_price", pa.float64()),
    ("volatility", pa.float64()),
    ("interest_rate", pa.float64()),
    ("days_until_maturity", pa.int64()),
    ("underlying_name", pa.string()),
    ("file_language", pa.string()),
    ("product_code", pa.string()),
    ("tenor_type", pa.string()),
    ("delivery_start", pa.date32()),
    ("delivery_end", pa.date32()),
])


def trade_date_of(name: str) -> tuple[date, str] | None:
    """(trade date, language) of ``rb_e20240318.csv`` / ``rb20240318.csv``, else None."""
    m = NAME_RE.match(logical_name(name))
    if not m:
        return None
    d = m.group(2)
    try:
        return date(int(d[:4]), int(d[4:6]), int(d[6:])), "en" if m.group(1) else "ja"
    except ValueError:
        return None


def is_header(cells: list[str]) -> bool:
    first = normalise_name(cells[0]).casefold() if cells else ""
    return first == "issuecode" or (first.endswith("コード") and len(cells) >= 12)


def looks_like_settlement(text: str) -> bool:
    for line in text.splitlines()[:12]:
        cells = next(csv.reader([line]), [])
        if cells and is_header(cells):
            return True
    return False


def _number(cell: str, kind, file: str, line: int, column: str):
    cell = cell.strip().replace(",", "")
    if cell in ("", "-"):
        return None
    try:
        return kind(cell)
    except ValueError:
        raise ParseError(SOURCE, file, f"value {cell!r} is not a number", line=line,
                         column=column) from None


def classify(issue_name: str, underlying: str) -> tuple[str, str | None, date | None]:
    """(instrument, root, last trading day) from ``FUT_<ROOT>_<YYMMDD>`` (split on ``_``)."""
    parts = issue_name.split("_")
    instrument = parts[0] if parts else ""
    root = parts[1] if len(parts) >= 2 and parts[1] else None
    ltd = contracts.ltd_from_suffix(parts[2]) if len(parts) >= 3 else None
    return instrument, root, ltd


def parse_settlement(data: bytes, file: str) -> pa.Table:
    reject_html(data, source=SOURCE, file=file)
    found = trade_date_of(file)
    if found is None:
        raise ParseError(SOURCE, file, "the trade date comes from the file name: name it "
                         "rb_eYYYYMMDD.csv (English) or rbYYYYMMDD.csv (Japanese) as JPX does")
    trade_date, language = found
    text = decode(data, source=SOURCE, file=file, encodings=("utf-8", "cp932"))
    lines = text.splitlines()
    header = None
    for i, line in enumerate(lines[:20]):
        cells = next(csv.reader([line]), [])
        if cells and is_header(cells):
            header = i
            break
    if header is None:
        raise ParseError(SOURCE, file, "no 'Issue Code,…' header in the first 20 lines: not a "
                         "JPX settlement price file", line=1)
    ncols = len(next(csv.reader([lines[header]])))
    if ncols < 12:
        raise ParseError(SOURCE, file, f"header has {ncols} columns, expected 12", line=header + 1)
    roots = contracts.jpx_roots()
    rows: dict[str, list] = {f.name: [] for f in SCHEMA}
    for idx, row in enumerate(csv.reader(lines[header + 1:]), start=header + 2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < 12 or any(c.strip() for c in row[12:]):
            raise ParseError(SOURCE, file, f"expected 12 fields as in the header, found "
                             f"{len(row)}", line=idx)
        cells = [c.strip() for c in row[:12]]
        if not cells[0] or not cells[1]:
            raise ParseError(SOURCE, file, "row without Issue Code or Issue Name", line=idx)
        instrument, root, ltd = classify(cells[1], cells[11])
        for pos, out in _FLOATS.items():
            rows[out].append(_number(cells[pos], float, file, idx, COLUMNS[pos]))
        days = _number(cells[10], int, file, idx, COLUMNS[10])
        if cells[3] and not re.fullmatch(r"\d{6}", cells[3]):
            raise ParseError(SOURCE, file, f"contract month {cells[3]!r} is not YYYYMM",
                             line=idx, column=COLUMNS[3])
        prod = roots.get(root) if instrument == "FUT" and root else None
        if prod is None and instrument == "FUT" and FX_USDJPY.search(cells[11]):
            prod = contracts.product("OSE", "USDJPY")
        period = contracts.jpx_delivery(prod.tenor_type, cells[3], ltd) if prod else None
        for key, value in (
            ("trade_date", trade_date), ("issue_code", cells[0]), ("issue_name", cells[1]),
            ("instrument", instrument), ("root", root), ("last_trading_day", ltd),
            ("put_call", cells[2] or None), ("contract_month", cells[3] or None),
            ("days_until_maturity", days), ("underlying_name", cells[11] or None),
            ("file_language", language), ("product_code", prod.code if prod else None),
            ("tenor_type", prod.tenor_type if prod else None),
            ("delivery_start", period[0] if period else None),
            ("delivery_end", period[1] if period else None),
        ):
            rows[key].append(value)
    if not rows["issue_code"]:
        raise ParseError(SOURCE, file, "the file has a header but no rows", line=header + 1)
    return pa.Table.from_pydict(rows, schema=SCHEMA)
