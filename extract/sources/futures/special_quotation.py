"""JPX final settlement prices (special quotations, SQ): an HTML page.

``https://www.jpx.co.jp/english/markets/derivatives/special-quotation/index.html`` lists the
LAST final settlement of LNG, Platts Dubai and each electricity product (monthly and weekly),
updated after 15:15 JST on the day after the last trading day (futures.md §2.4). The page shows
only the latest value of each product, so — as with the rb CSV — the daily fetch plus the raw
archive *is* the history. Each fetch is archived byte for byte as
``special_quotation_{YYYYMMDD}.html`` (the JST date of the fetch = ``page_date``).

**The layout is ASSUMED.** No copy of the real page was available when this parser was written
(futures.md quotes its purpose and values, not its markup). The parser therefore reads it by
header TEXT, not by position:

* every ``<table>`` whose header row (one of its first three rows, ``<th>`` or ``<td>``) has a
  final-settlement price column — "Final Settlement Price", "Special Quotation", "SQ"
  (最終清算数値 / 特別清算数値 / SQ値 in Japanese);
* in such a table, a product column ("Product", "Underlying", "Issue", 商品/銘柄) and a contract
  column ("Contract Month"/"Contract Week"/"Contract"/"Delivery", 限月); optionally "Last
  Trading Day" and "Final Settlement Day"/"Date";
* merged cells (``rowspan``/``colspan``) are expanded; a product named only on its first row
  carries down.

A product is recognised as the rb CSV recognises it: a cell ``FUT_<ROOT>_<YYMMDD>`` or a cell
that IS a root (``EEB`` is not ``EEBW``), else its name against the ``futures_products`` seed
(English/Japanese workbook names, product names). Contract labels: ``Mar. 2024``, ``March
2024``, ``2024/03``, ``202403``, ``2024年03月限``, weeks ``1st week Apr. 2024`` (numbered by the
delivery week's Friday, as in the open-interest workbook) or a ``YYYY/MM/DD-YYYY/MM/DD`` range,
``FY2026``. Rows of products outside the seed are kept with ``product_code`` NULL.

A page without such a table, or a table without product/contract columns, is a ParseError that
names the file (the bytes stay archived, so a fixed parser can replay them).
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pyarrow as pa

from ...core.errors import ParseError
from ...core.textio import decode
from ...core.timeutil import fiscal_year_bounds, month_bounds
from . import contracts, jpx_oi
from .settings import SOURCE

NAME_RE = re.compile(r"^special_quotation_(\d{8})\.html?$", re.I)
LAYOUT_ASSUMED = True

SCHEMA = pa.schema([
    ("page_date", pa.date32()),
    ("table_index", pa.int64()),
    ("row_index", pa.int64()),
    ("html_line", pa.int64()),
    ("section", pa.string()),
    ("product_name", pa.string()),
    ("contract_label", pa.string()),
    ("issue_name", pa.string()),
    ("root", pa.string()),
    ("product_code", pa.string()),
    ("tenor_type", pa.string()),
    ("delivery_start", pa.date32()),
    ("delivery_end", pa.date32()),
    ("last_trading_day", pa.date32()),
    ("final_settlement_day", pa.date32()),
    ("final_settlement_price", pa.float64()),
    ("price_text", pa.string()),
    ("layout_assumed", pa.bool_()),
])

ISSUE_RE = re.compile(r"^FUT_([A-Z0-9]+)_(\d{6})$")
MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                      "sep", "oct", "nov", "dec"), start=1)}
DATE_FORMATS = ("%Y/%m/%d", "%Y-%m-%d", "%Y.%m.%d", "%Y%m%d", "%b %d, %Y", "%B %d, %Y",
                "%d %b %Y", "%d %B %Y", "%Y年%m月%d日")
EMPTY = ("", "-", "－", "—", "–", "n/a", "N/A")


def page_date_of(name: str) -> date | None:
    return contracts.name_date(NAME_RE, name)


def looks_like_special_quotation(text: str) -> bool:
    head = text[:200_000].casefold()
    return "<table" in head and ("final settlement" in head or "special quotation" in head
                                 or "最終清算数値" in head or "特別清算数値" in head)


# ------------------------------------------------------------------------------ header roles
def role(header: str) -> str | None:
    """What a header cell names: price, ltd, fsd (final settlement day), contract, product."""
    k = contracts.oi_key(header)  # NFKC, no spaces/line breaks, case-folded
    if not k:
        return None
    if ("price" in k and ("final" in k or "sq" in k or "special" in k)) or k in (
            "specialquotation", "sq", "sqvalue", "finalsettlement", "finalsettlementvalue") or any(
            w in k for w in ("最終清算数値", "特別清算数値", "最終決済価格", "sq値")):
        return "price"
    if "lasttrading" in k or "取引最終日" in k:
        return "ltd"
    if (("final" in k or "sq" in k or "settlement" in k) and ("day" in k or "date" in k)) or \
            k in ("date", "日付") or "最終決済期日" in k or "sq日" in k:
        return "fsd"
    if "contract" in k or "delivery" in k or "限月" in k or k in ("month", "week"):
        return "contract"
    if any(w in k for w in ("product", "underlying", "issue", "name", "商品", "銘柄")):
        return "product"
    return None


# ------------------------------------------------------------------------------ values
def parse_date(text: str) -> date | None:
    t = re.sub(r"\s+", " ", text.replace(".", " ").replace(",", ", ")).strip()
    t = re.sub(r" ,", ",", re.sub(r"\s+", " ", t))
    t = re.sub(r"\bSept\b", "Sep", t)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    return None


def contract_period(text: str) -> tuple[str | None, tuple[date, date] | None]:
    """(tenor, delivery) of a contract label; (None, None) when it is none of the known forms."""
    t = re.sub(r"\s+", " ", text).strip()
    _, tenor, _, period = jpx_oi.label_period(t)
    if tenor is not None:
        return tenor, period
    m = re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2}) ?[-–~〜～] ?(\d{4})/(\d{1,2})/(\d{1,2})", t)
    if m:
        a = date(int(m[1]), int(m[2]), int(m[3]))
        b = date(int(m[4]), int(m[5]), int(m[6]))
        return ("week" if (b - a).days == 6 else None), (a, b)
    m = re.fullmatch(r"([A-Za-z]{3})[a-z]*\.? ?[-']? ?(\d{4}|\d{2})", t)
    if m and m[1].lower() in MONTHS:
        y = int(m[2]) + (2000 if len(m[2]) == 2 else 0)
        return "month", month_bounds(y, MONTHS[m[1].lower()])
    m = re.fullmatch(r"(\d{4})[/-]?(\d{2})", t) or re.fullmatch(r"(\d{4})年(\d{1,2})月", t)
    if m and 1 <= int(m[2]) <= 12:
        return "month", month_bounds(int(m[1]), int(m[2]))
    m = re.fullmatch(r"FY ?(\d{4})", t, re.I)
    if m:
        return "fiscal_year", fiscal_year_bounds(int(m[1]))
    return None, None


def parse_price(text: str, file: str, line: int) -> float | None:
    t = re.sub(r"(?i)\s*(jpy|yen|円|¥|￥)\s*", "", text).replace(",", "").strip()
    t = t.split("/")[0].strip()  # "12.34 /kWh"
    if t in EMPTY:
        return None
    try:
        return float(t)
    except ValueError:
        raise ParseError(SOURCE, file, f"final settlement price {text!r} is not a number",
                         line=line, column="Final Settlement Price") from None


# ------------------------------------------------------------------------------ products
def _names() -> dict[str, contracts.Product]:
    """The open-interest workbook's product names (JPX products only), and each JPX product's
    own name where no workbook name is the same."""
    out = {k: p for k, p in contracts.oi_names().items() if p.exchange in contracts.JPX_EXCHANGES}
    for p in contracts.products():
        if p.exchange in contracts.JPX_EXCHANGES and p.name:
            out.setdefault(contracts.oi_key(p.name), p)
    return out


def _with_tenor(prod: contracts.Product, tenor: str | None) -> contracts.Product:
    """The sibling product of ``prod`` with the contract's tenor (a weekly contract listed
    under the monthly product's name)."""
    if tenor is None or prod.tenor_type == tenor or prod.commodity != "power":
        return prod
    for p in contracts.products():
        if (p.exchange == prod.exchange and p.commodity == "power" and p.tenor_type == tenor
                and p.area_code == prod.area_code and p.load_profile == prod.load_profile):
            return p
    return prod


# ------------------------------------------------------------------------------ tables
def _grid(table) -> list[tuple[int, list[str]]]:
    """Rows of a table as (source line, cell texts), rowspan/colspan expanded."""
    grid: list[tuple[int, list[str]]] = []
    pending: dict[int, tuple[str, int]] = {}  # column → (text, rows still to fill)
    for tr in table.iter("tr"):
        cells: list[str] = []
        col = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                continue
            col = _fill(pending, cells, col)
            text = re.sub(r"\s+", " ", td.text_content()).strip()
            span = _int_attr(td, "colspan")
            down = _int_attr(td, "rowspan")
            for _ in range(span):
                cells.append(text)
                if down > 1:
                    pending[col] = (text, down - 1)
                col += 1
        _fill(pending, cells, col)
        grid.append((tr.sourceline or 0, cells))
    return grid


def _fill(pending: dict[int, tuple[str, int]], cells: list[str], col: int) -> int:
    """Copy the cells spanning down from rows above into this row from ``col`` on."""
    while col in pending:
        text, left = pending.pop(col)
        cells.append(text)
        if left > 1:
            pending[col] = (text, left - 1)
        col += 1
    return col


def _no_stray_text(table, file: str, t_index: int) -> None:
    """Text inside a table but in no cell (between rows or cells): a layout this parser does
    not know, never silently skipped."""
    for el in table.iter("table", "thead", "tbody", "tfoot", "tr"):
        for stray, line in ((el.text, el.sourceline),
                            *((child.tail, child.sourceline) for child in el)):
            if stray and stray.strip():
                raise ParseError(SOURCE, file, f"table {t_index + 1}: text outside any cell "
                                 f"({stray.strip()[:40]!r})", line=line)


def _int_attr(el, name: str) -> int:
    try:
        return max(1, min(int(el.get(name, "1")), 100))
    except ValueError:
        return 1


def _section(table) -> str | None:
    cap = table.find("caption")
    if cap is not None and cap.text_content().strip():
        return re.sub(r"\s+", " ", cap.text_content()).strip()
    heads = table.xpath("preceding::*[self::h1 or self::h2 or self::h3 or self::h4 or "
                        "self::h5][1]")
    return re.sub(r"\s+", " ", heads[0].text_content()).strip() if heads else None


def parse_special_quotation(data: bytes, file: str) -> pa.Table:
    import lxml.etree
    import lxml.html

    page_date = page_date_of(file)
    if page_date is None:
        raise ParseError(SOURCE, file, "the page date comes from the file name: name it "
                         "special_quotation_YYYYMMDD.html (the JST date it was fetched)")
    # the English JPX site is UTF-8 (meta charset); other bytes are a broken or foreign page
    text = decode(data, source=SOURCE, file=file, encodings=("utf-8",))
    try:
        doc = lxml.html.document_fromstring(text.encode("utf-8"),
                                            parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ParseError(SOURCE, file, f"not a readable HTML page ({exc})", line=1) from None
    roots = contracts.jpx_roots()
    names = _names()
    out: dict[str, list] = {f.name: [] for f in SCHEMA}
    found_table = False
    for t_index, table in enumerate(doc.iter("table")):
        grid = _grid(table)
        header = None
        for i, (_, cells) in enumerate(grid[:3]):
            if any(role(c) == "price" for c in cells):
                header = i
                break
        if header is None:
            continue
        found_table = True
        _no_stray_text(table, file, t_index)
        line, head = grid[header]
        cols: dict[str, int] = {}
        for i, cell in enumerate(head):
            r = role(cell)
            if r and r not in cols:
                cols[r] = i
        missing = [r for r in ("product", "contract") if r not in cols]
        if missing:
            raise ParseError(SOURCE, file, f"table {t_index + 1}: a final settlement price "
                             f"column but no {' / '.join(missing)} column (header {head}); the "
                             "assumed layout does not fit this page", line=line)
        section = _section(table)
        product = None
        for r_index, (line, cells) in enumerate(grid[header + 1:], start=1):
            if not any(cells) or len(cells) <= cols["price"]:
                continue
            cell = {r: (cells[i] if i < len(cells) else "") for r, i in cols.items()}
            if cell["product"]:
                product = cell["product"]
            if cell["price"] == head[cols["price"]]:
                continue  # a repeated header row
            price = parse_price(cell["price"], file, line)
            issue = next((c for c in cells if ISSUE_RE.match(c)), None)
            root, ltd = None, None
            prod = None
            if issue:
                _, root, ltd = _issue(issue)
                prod = roots.get(root)
            if prod is None:
                code = next((c for c in cells if c in roots), None)
                if code:
                    root, prod = code, roots[code]
            if prod is None and product:
                prod = names.get(contracts.oi_key(product))
            label = cell["contract"] or None
            tenor, period = contract_period(label) if label else (None, None)
            if prod is not None:
                prod = _with_tenor(prod, tenor)
                if period is None or (tenor is not None and tenor != prod.tenor_type):
                    period = contracts.jpx_delivery(prod.tenor_type, None, ltd) if ltd else None
            if "ltd" in cols and cell["ltd"] not in EMPTY:
                ltd = _date(cell["ltd"], file, line, "Last Trading Day") or ltd
            fsd = None
            if "fsd" in cols and cell["fsd"] not in EMPTY:
                fsd = _date(cell["fsd"], file, line, "Final Settlement Day")
            if prod is not None and period is None:
                raise ParseError(SOURCE, file, f"{product}: contract {label!r} is none of the "
                                 "known forms (Mar. 2024, 2024/03, 1st week Apr. 2024, FY2026)",
                                 line=line, column="Contract Month")
            for key, value in (
                ("page_date", page_date), ("table_index", t_index), ("row_index", r_index),
                ("html_line", line), ("section", section), ("product_name", product),
                ("contract_label", label), ("issue_name", issue), ("root", root),
                ("product_code", prod.code if prod else None),
                ("tenor_type", prod.tenor_type if prod else tenor),
                ("delivery_start", period[0] if prod and period else None),
                ("delivery_end", period[1] if prod and period else None),
                ("last_trading_day", ltd), ("final_settlement_day", fsd),
                ("final_settlement_price", price), ("price_text", cell["price"] or None),
                ("layout_assumed", LAYOUT_ASSUMED),
            ):
                out[key].append(value)
    if not found_table:
        raise ParseError(SOURCE, file, "no table with a 'Final Settlement Price' / 'Special "
                         "Quotation' header: the page layout is not the assumed one (the page "
                         "stays archived; adapt extract/sources/futures/special_quotation.py and "
                         "replay with --offline)", line=1)
    if not out["page_date"]:
        raise ParseError(SOURCE, file, "final settlement tables have a header but no rows",
                         line=1)
    return pa.Table.from_pydict(out, schema=SCHEMA)


def _issue(name: str) -> tuple[str, str | None, date | None]:
    from .jpx_settlement import classify

    return classify(name, "")


def _date(text: str, file: str, line: int, column: str) -> date:
    d = parse_date(text)
    if d is None:
        raise ParseError(SOURCE, file, f"{column} {text!r} is not a date", line=line,
                         column=column)
    return d
