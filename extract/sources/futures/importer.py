"""Licensed and hand-downloaded settlement files: the canonical CSV and vendor profiles.

``python -m extract.run import futures FILE...`` accepts

* the **canonical CSV** (futures_hjks.md A.6, README "Futures"): UTF-8, comma, a header row,
  one row per trade date × contract, extra columns ignored;
* a **vendor export** described by a profile ``profiles/<name>.yaml`` in this package (column
  map, date format, encoding, header row, units, constants). The three shipped profiles
  (Bloomberg/LSEG per-ticker, EEX EoD, ICE settlement report) follow the layouts the reference
  GUESSES: no real vendor file was seen. Add or edit a profile for your export.

Both end in ``raw_futures.imported_settlement`` with the canonical columns, ``import_format``
(``canonical`` or the profile name) and ``layout_assumed``. Prices stay as published (no unit
conversion in raw); an implausible price for its unit (15,000 JPY/kWh) is an error.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import pyarrow as pa

from ...core.archive import logical_name
from ...core.errors import ParseError
from ...core.textio import decode, normalise_name, reject_html
from ...core.timeutil import JST
from . import contracts
from .settings import SOURCE

PROFILE_DIR = Path(__file__).with_name("profiles")
TENORS = ("day", "week", "month", "quarter", "season", "year", "fiscal_year")
REQUIRED = ("source", "exchange", "product_code", "tenor_type", "delivery_start",
            "delivery_end", "trade_date", "settlement_price", "currency", "price_unit")
OPTIONAL = ("contract_code", "product_name", "area", "load_profile", "open", "high", "low",
            "close", "volume", "volume_unit", "open_interest", "oi_is_prior_day", "quote_type",
            "published_at")
FLOATS = ("settlement_price", "open", "high", "low", "close", "volume", "open_interest")
DATES = ("delivery_start", "delivery_end", "trade_date")
# settlement: a daily settlement; final_settlement: an expired contract's final settlement
# (special quotation), compared with the JEPX average in dq_futures_final_settlement
QUOTE_TYPES = ("settlement", "final_settlement", "close", "website_settlement",
               "chart_daily_value")
MONTH_CODES = {c: i for i, c in enumerate("FGHJKMNQUVXZ", start=1)}

SCHEMA = pa.schema([
    ("source", pa.string()),
    ("exchange", pa.string()),
    ("product_code", pa.string()),
    ("tenor_type", pa.string()),
    ("delivery_start", pa.date32()),
    ("delivery_end", pa.date32()),
    ("trade_date", pa.date32()),
    ("contract_code", pa.string()),
    ("product_name", pa.string()),
    ("area", pa.string()),
    ("load_profile", pa.string()),
    ("settlement_price", pa.float64()),
    ("currency", pa.string()),
    ("price_unit", pa.string()),
    ("open", pa.float64()),
    ("high", pa.float64()),
    ("low", pa.float64()),
    ("close", pa.float64()),
    ("volume", pa.float64()),
    ("volume_unit", pa.string()),
    ("open_interest", pa.float64()),
    ("oi_is_prior_day", pa.bool_()),
    ("quote_type", pa.string()),
    ("published_at", pa.timestamp("us", tz="UTC")),
    ("import_format", pa.string()),
    ("layout_assumed", pa.bool_()),
])
PRIMARY_KEY = ("source", "exchange", "product_code", "tenor_type", "delivery_start",
               "delivery_end", "trade_date")


# ------------------------------------------------------------------------------------ profiles
@dataclass(frozen=True)
class Profile:
    name: str
    vendor: str
    note: str
    layout_assumed: bool
    encodings: tuple[str, ...]
    delimiter: str
    match_columns: tuple[str, ...]
    date_formats: tuple[str, ...]
    columns: dict  # canonical field → vendor column
    constants: dict  # canonical field → value
    value_maps: dict  # canonical field → {vendor value: canonical value}
    filters: dict  # vendor column → accepted values
    strip: dict  # {column, formats}: delivery month from a strip/contract-month column
    ticker: dict  # {pattern, roots}: product + delivery month from a ticker


@cache
def profiles() -> tuple[Profile, ...]:
    import yaml

    out = []
    for path in sorted(PROFILE_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        fmt = doc.get("date_format", "%Y-%m-%d")
        out.append(Profile(
            name=doc["name"], vendor=doc.get("vendor", ""), note=doc.get("note", ""),
            layout_assumed=bool(doc.get("layout_assumed", True)),
            encodings=tuple(doc.get("encoding", ["utf-8", "cp932"])),
            delimiter=doc.get("delimiter", ","),
            match_columns=tuple(doc["match_columns"]),
            date_formats=tuple([fmt] if isinstance(fmt, str) else fmt),
            columns=dict(doc.get("columns", {})), constants=dict(doc.get("constants", {})),
            value_maps=dict(doc.get("value_maps", {})), filters=dict(doc.get("filters", {})),
            strip=dict(doc.get("strip", {})), ticker=dict(doc.get("ticker", {})),
        ))
    return tuple(out)


# ------------------------------------------------------------------------------------- reading
def _cells(line: str, delimiter: str = ",") -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _keys(cells: list[str]) -> list[str]:
    return [normalise_name(c).casefold() for c in cells]


def _find_header(lines: list[str], wanted: tuple[str, ...], delimiter: str) -> int | None:
    want = [normalise_name(w).casefold() for w in wanted]
    for i, line in enumerate(lines[:30]):
        keys = _keys(_cells(line, delimiter))
        if all(w in keys for w in want):
            return i
    return None


def detect(text: str) -> tuple[str, Profile | None, int] | None:
    """('canonical', None, header index) or ('profile', profile, header index), else None."""
    lines = text.splitlines()
    i = _find_header(lines, REQUIRED, ",")
    if i is not None:
        return "canonical", None, i
    for prof in profiles():
        i = _find_header(lines, prof.match_columns, prof.delimiter)
        if i is not None:
            return "profile", prof, i
    return None


def no_match_message(text: str) -> str:
    first = next((ln for ln in text.splitlines()[:30] if ln.strip().count(",") >= 1), "")
    cols = [c.strip() for c in _cells(first) if c.strip()][:15]
    tried = "; ".join(f"{p.name} ({', '.join(p.match_columns)})" for p in profiles())
    return (f"no known futures layout: columns found {cols}; tried the canonical CSV "
            f"(needs {', '.join(REQUIRED)}) and the vendor profiles {tried}. Add a profile "
            f"under extract/sources/futures/profiles/ or convert the file to the canonical CSV")


def _date(text: str, formats: tuple[str, ...], file: str, line: int, column: str) -> date:
    for fmt in formats:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ParseError(SOURCE, file, f"value {text!r} is not a date ({' or '.join(formats)})",
                     line=line, column=column)


def _float(text: str, file: str, line: int, column: str) -> float | None:
    t = text.strip().replace(",", "")
    if t in ("", "-", "#N/A", "N/A", "NA"):
        return None
    try:
        return float(t)
    except ValueError:
        raise ParseError(SOURCE, file, f"value {text!r} is not a number", line=line,
                         column=column) from None


def _timestamp(text: str, file: str, line: int) -> datetime | None:
    if not text.strip():
        return None
    try:
        ts = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ParseError(SOURCE, file, f"published_at {text!r} is not ISO-8601", line=line,
                         column="published_at") from None
    return (ts if ts.tzinfo else ts.replace(tzinfo=JST)).astimezone(UTC)


def _ticker_contract(prof: Profile, ticker: str, trade_date: date) -> dict:
    """Bloomberg-style ``JKMK4 Comdty`` → product + delivery month (year digit nearest)."""
    pattern = prof.ticker.get("pattern", r"^(?P<root>[A-Z0-9]+?)(?P<month>[FGHJKMNQUVXZ])"
                                         r"(?P<year>\d{1,2})\b")
    m = re.match(pattern, ticker.strip())
    roots = prof.ticker.get("roots", {})
    if not m or m.group("root") not in roots:
        raise ValueError(f"ticker {ticker!r} is not <root><month code><year> with a root of "
                         f"{sorted(roots)}")
    y = int(m.group("year"))
    if len(m.group("year")) == 1:
        y = trade_date.year - trade_date.year % 10 + y
        if y < trade_date.year - 1:
            y += 10
    else:
        y += 2000
    start = date(y, MONTH_CODES[m.group("month")], 1)
    return {**roots[m.group("root")], "contract_code": ticker.strip(), "delivery_start": start,
            "delivery_end": contracts.delivery_from_start("month", start), "tenor_type": "month"}


# -------------------------------------------------------------------------------------- parse
def parse_import(data: bytes, file: str) -> pa.Table:
    reject_html(data, source=SOURCE, file=file)
    text = decode(data, source=SOURCE, file=file, encodings=("utf-8", "cp932"))
    found = detect(text)
    if found is None:
        raise ParseError(SOURCE, file, no_match_message(text), line=1)
    kind, prof, header = found
    delimiter = prof.delimiter if prof else ","
    lines = text.splitlines()
    head = _cells(lines[header], delimiter)
    index = {k: i for i, k in reversed(list(enumerate(_keys(head))))}
    ticker = None
    if prof and prof.ticker:
        ticker = _preamble_ticker(lines[:header]) or _name_ticker(file)
        if not ticker:
            raise ParseError(SOURCE, file, f"profile {prof.name}: no ticker in a line above the "
                             "header ('Security,<TICKER>') nor in the file name", line=1)
    out: dict[str, list] = {f.name: [] for f in SCHEMA}
    for lineno, row in enumerate(csv.reader(lines[header + 1:], delimiter=delimiter),
                                 start=header + 2):
        if not any(c.strip() for c in row):
            continue
        named = max((i + 1 for i, c in enumerate(head) if c.strip()), default=0)
        if len(row) < named or any(c.strip() for c in row[len(head):]):
            raise ParseError(SOURCE, file, f"expected {len(head)} fields as in the header, found "
                             f"{len(row)}", line=lineno)

        def cell(vendor_col: str, row=row) -> str:
            i = index.get(normalise_name(vendor_col).casefold())
            return row[i].strip() if i is not None and i < len(row) else ""

        if prof and any(cell(col) not in ([v] if isinstance(v, str) else v)
                        for col, v in prof.filters.items()):
            continue
        rec = _canonical_row(cell, kind, prof, ticker, file, lineno)
        for k in out:
            out[k].append(rec.get(k))
    if not out["trade_date"]:
        raise ParseError(SOURCE, file, "the file has a header but no rows", line=header + 1)
    return pa.Table.from_pydict(out, schema=SCHEMA)


def _canonical_row(cell, kind: str, prof: Profile | None, ticker: str | None, file: str,
                   line: int) -> dict:
    if kind == "canonical":
        raw = {k: cell(k) for k in (*REQUIRED, *OPTIONAL)}
        formats = ("%Y-%m-%d",)
    else:
        raw = {k: str(v) for k, v in prof.constants.items()}
        for field_name, vendor_col in prof.columns.items():
            raw[field_name] = cell(vendor_col)
        for field_name, mapping in prof.value_maps.items():
            if raw.get(field_name) in mapping:
                raw[field_name] = mapping[raw[field_name]]
        formats = prof.date_formats
    rec: dict = {k: (v or None) for k, v in raw.items() if k not in (*FLOATS, *DATES)}
    for k in FLOATS:
        rec[k] = _float(raw.get(k) or "", file, line, k)
    for k in DATES:
        rec[k] = _date(raw[k], formats, file, line, k) if raw.get(k) else None
    if prof and prof.strip and rec.get("delivery_start") is None:
        text = cell(prof.strip["column"])
        start = _date(text, tuple(prof.strip.get("formats", ["%b%y"])), file, line,
                      prof.strip["column"])
        rec["delivery_start"] = date(start.year, start.month, 1)
        rec["contract_code"] = rec.get("contract_code") or text
    if prof and prof.ticker and rec.get("trade_date"):
        try:
            rec.update(_ticker_contract(prof, ticker, rec["trade_date"]))
        except ValueError as exc:
            raise ParseError(SOURCE, file, f"profile {prof.name}: {exc}", line=line) from None
    seed = (contracts.product(rec["exchange"], rec["product_code"]) if rec.get("exchange")
            else contracts.any_product(rec.get("product_code") or ""))
    if seed is not None:  # fill what the vendor does not state from the products seed
        rec.setdefault("exchange", seed.exchange)
        rec["exchange"] = rec["exchange"] or seed.exchange
        for k, v in (("tenor_type", seed.tenor_type), ("currency", seed.currency),
                     ("price_unit", seed.price_unit), ("area", seed.area_code and
                                                       _area_slug(seed)),
                     ("load_profile", seed.load_profile or None)):
            rec[k] = rec.get(k) or v
    if rec.get("delivery_start") and not rec.get("delivery_end") and rec.get("tenor_type") in TENORS:
        rec["delivery_end"] = contracts.delivery_from_start(rec["tenor_type"], rec["delivery_start"])
    missing = [k for k in REQUIRED if rec.get(k) in (None, "")]
    if missing:
        raise ParseError(SOURCE, file, f"missing required value(s) {missing}", line=line)
    if rec["tenor_type"] not in TENORS:
        raise ParseError(SOURCE, file, f"tenor_type {rec['tenor_type']!r} is not one of "
                         f"{', '.join(TENORS)}", line=line, column="tenor_type")
    if rec["delivery_end"] < rec["delivery_start"]:
        raise ParseError(SOURCE, file, "delivery_end is before delivery_start", line=line)
    why = contracts.implausible(rec["settlement_price"], rec["price_unit"])
    if why:
        raise ParseError(SOURCE, file, why, line=line, column="settlement_price")
    oi_prior = str(rec.get("oi_is_prior_day") or "").strip().lower()
    rec["oi_is_prior_day"] = {"true": True, "1": True, "yes": True, "false": False, "0": False,
                              "no": False}.get(oi_prior)
    rec["published_at"] = _timestamp(str(rec.get("published_at") or ""), file, line)
    rec["quote_type"] = rec.get("quote_type") or "settlement"
    if rec["quote_type"] not in QUOTE_TYPES:
        raise ParseError(SOURCE, file, f"quote_type {rec['quote_type']!r} is not one of "
                         f"{', '.join(QUOTE_TYPES)}", line=line, column="quote_type")
    rec["import_format"] = prof.name if prof else "canonical"
    rec["layout_assumed"] = prof.layout_assumed if prof else False
    return rec


def _area_slug(p: contracts.Product) -> str | None:
    from ...core.refdata import areas

    return next((a.slug for a in areas() if a.code == p.area_code), None)


def _preamble_ticker(lines: list[str]) -> str | None:
    for line in lines:
        cells = [c.strip() for c in _cells(line)]
        if len(cells) >= 2 and normalise_name(cells[0]).casefold().rstrip(":") in (
                "security", "ticker", "ric"):
            return cells[1]
    return None


def _name_ticker(file: str) -> str | None:
    stem = logical_name(file).rsplit(".", 1)[0]
    return stem.replace("_", " ") if re.match(r"^[A-Z0-9]+[FGHJKMNQUVXZ]\d{1,2}\b", stem) else None


def looks_like_import(text: str) -> bool:
    return detect(text) is not None
