"""Demo futures files for trade dates 2024-03-18 … 2024-04-12, in the formats of the reference.

* ``rb_e{YYYYMMDD}.csv`` for each JPX business day (2024-03-20 is a holiday): UTF-8, CRLF, the
  two quoted preamble lines, two blank lines and the verbatim header (``Put–Call``,
  ``Volatility ``) of futures.md §2.2; a Nikkei 225 and a rubber future as in the reference's
  rows, and every TOCOM energy future of 2024: East/West base and peak monthly (15 months),
  weekly (5 weeks, listed from 2024-03-18), LNG and Platts Dubai. No Chubu and no fiscal-year
  contracts: they were listed in 2025.
* ``{YYYYMMDD}open_interest_e.xlsx`` for the same days, and the Japanese
  ``20240412open_interest.xlsx``: the real samples' layout (title, A2 date, section rows,
  side-by-side B–F / I–M tables, names on a product's first row only, Totals, monthly months as
  Excel dates in English and ``2024年05月限`` in Japanese, weeks ``3rd week Apr. 2024`` /
  ``2024年04月第3週``, line breaks inside names, an options section after the futures).
* ``eex_<ROOT>_<YYYYMMDD>.json``: getChain answers as futures.md §3.2 quotes them, for Tokyo and
  Kansai base month on every EEX trading day (Good Friday and Easter Monday are EEX holidays),
  and peak month, quarter, year and week roots on 2024-04-12.
* ``ice_<CODE>_20240412_contracts.json`` and ``ice_<CODE>_20240412_<Strip>_<marketId>.json``:
  ICE's contract-data list and each single-month contract's data/historical answer (compact
  JSON, one archived file per HTTP answer) for TTF, JKM and Newcastle.
* ``special_quotation_{YYYYMMDD}.html`` for Friday 2024-03-29 and Friday 2024-04-05: JPX's final
  settlement prices page as fetched at 18:00 JST. **Its layout is ASSUMED** (no copy of the real
  page exists here; ``extract/sources/futures/special_quotation.py``): tables headed "Final
  Settlement Price" under "Energy: TOCOM Market", the latest monthly and weekly electricity
  contract and the latest LNG and Dubai contract. The weekly values ARE the demo JEPX averages
  of the Saturday–Friday week (Tokyo = East, Kansai = West; peak = periods 17–40 Mon–Fri), so
  ``dq_futures_final_settlement`` shows them within a cent; the week of 2024-04-12 has no page
  and is compared by its last-trading-day settlement instead.
* ``futures_import_example.csv``: the canonical import CSV with CME 6J (USD per JPY) and EUR/JPY
  settlements, the FX the curve mart converts with.

Values are synthetic and deterministic.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from datetime import UTC, date, datetime, timedelta

from extract.sources.futures import contracts
from extract.sources.futures.settings import (
    EEX_CHAIN_URL,
    ICE_CONTRACTS_URL,
    ICE_HISTORY_URL,
    ICE_PRODUCTS,
    JPX_OI_URL,
    JPX_SETTLEMENT_URL,
    JPX_SQ_PAGE,
)

FIRST, LAST = date(2024, 3, 18), date(2024, 4, 12)
FIXED = (2024, 4, 14, 3, 0, 0)
PREAMBLE = (
    '"— Sorted by Index Futures,JGB Futures, Index Options (Put, Call), Options on 10-year JGB '
    'futures, Individual Options,Commodity Futures,Commodity Futures Options each in contract '
    'month numerical order.",,,,,,,,,,,,\r\n'
    '"— the issues which passed the trading date is not listed in this file.",,,,,,,,,,,\r\n'
    "\r\n\r\n"
    "Issue Code,Issue Name,Put–Call,Contract Month,Strike Price,Settlement Price,Theoretical "
    "Price,Underlying Price,Volatility ,Interest Rate,Days until Maturity,Underlying Name\r\n"
)
POWER = {  # root → (area index for price offsets, peak?, English underlying name)
    "EEB": (0, False, "Electricity(East Base)"), "EEP": (0, True, "Electricity(East Peak)"),
    "EWB": (1, False, "Electricity(West Base)"), "EWP": (1, True, "Electricity(West Peak)"),
}
WEEKLY = {"EEBW": "EEB", "EEPW": "EEP", "EWBW": "EWB", "EWPW": "EWP"}
SEASON = {1: 16.0, 2: 15.2, 3: 12.4, 4: 11.2, 5: 10.8, 6: 11.9, 7: 14.6, 8: 15.8, 9: 12.9,
          10: 11.6, 11: 12.2, 12: 14.1}


def trade_days() -> list[date]:
    out, d = [], FIRST
    while d <= LAST:
        if contracts.is_jpx_business_day(d):
            out.append(d)
        d += timedelta(days=1)
    return out


def _bday_before(d: date) -> date:
    d -= timedelta(days=1)
    while not contracts.is_jpx_business_day(d):
        d -= timedelta(days=1)
    return d


def monthly_ltd(year: int, month: int) -> date:
    """The business day before the month's last day (FUT_EEB_260330 for March 2026)."""
    return _bday_before(contracts.add_months(date(year, month, 1), 1) - timedelta(days=1))


def power_price(root: str, start: date, t: date, days: int = 30) -> float:
    area, peak, _ = POWER[root]
    n = (t - FIRST).days
    level = SEASON[start.month] - 1.3 * area + (1.6 if peak else 0.0)
    level += 0.25 * math.sin(n * 0.7 + start.month) + 0.02 * n
    if days <= 7:
        level -= 0.4
    return round(level, 2)


def listed_months(t: date, n: int) -> list[date]:
    first = date(t.year, t.month, 1)
    if t > monthly_ltd(t.year, t.month):
        first = contracts.add_months(first, 1)
    return [contracts.add_months(first, k) for k in range(n)]


def listed_weeks(t: date) -> list[tuple[date, date, date]]:
    """(Saturday, Friday, LTD) of the 5 weeks trading on ``t`` (weekly listed 2024-03-18)."""
    sat = date(2024, 3, 23)
    out = []
    while len(out) < 5:
        fri = sat + timedelta(days=6)
        ltd = _bday_before(fri)
        if ltd >= t:
            out.append((sat, fri, ltd))
        sat += timedelta(days=7)
    return out


# ------------------------------------------------------------------------------ settlement
def settlement_rows(t: date) -> list[list]:
    rows = [
        ["161060018", "FUT_225_240613", "", "202406", "", 40150 + 10 * (t.day % 7), 40231,
         40188.12, "", "0.0794", (date(2024, 6, 13) - t).days, "Nikkei 225"],
        ["1610900AK", "FUT_RSS3_240924", "", "202409", "", 318 + t.day % 5, "", "", "", "",
         (date(2024, 9, 24) - t).days, "Rubber(RSS3)"],
    ]
    for i, root in enumerate(POWER):
        for m in listed_months(t, 15):
            ltd = monthly_ltd(m.year, m.month)
            rows.append([f"17{i}{m:%y%m}00", f"FUT_{root}_{ltd:%y%m%d}", "",
                         f"{m:%Y%m}", "", power_price(root, m, t), "", "", "", "",
                         (ltd - t).days, POWER[root][2]])
    for i, (wroot, root) in enumerate(WEEKLY.items()):
        for sat, fri, ltd in listed_weeks(t):
            rows.append([f"18{i}{ltd:%y%m%d}", f"FUT_{wroot}_{ltd:%y%m%d}", "", f"{fri:%Y%m}",
                         "", power_price(root, sat, t, 7), "", "", "", "", (ltd - t).days,
                         POWER[root][2].replace("(", "(Weekly ")])
    for k, m in enumerate(listed_months(t, 13)[1:]):
        ltd = _bday_before(date(m.year, m.month, 1) - timedelta(days=14))
        rows.append([f"190{m:%y%m}00", f"FUT_LNG_{ltd:%y%m%d}", "", f"{m:%Y%m}", "",
                     round(1380 + 12 * math.sin(k + t.day / 5) + 3 * k, 1), "", "", "", "",
                     (ltd - t).days, "LNG(Platts JKM)"])
    for k, m in enumerate(listed_months(t, 7)[1:]):
        ltd = _bday_before(date(m.year, m.month, 1))
        rows.append([f"160{m:%y%m}01", f"FUT_DBAI_{ltd:%y%m%d}", "", f"{m:%Y%m}", "",
                     80650 - 420 * k + 30 * (t.day % 9), "", "", "", "", (ltd - t).days,
                     "Platts Dubai Crude Oil"])
    return rows


def settlement_csv(t: date) -> bytes:
    lines = [",".join(str(c) for c in row) for row in settlement_rows(t)]
    return (PREAMBLE + "\r\n".join(lines) + "\r\n").encode("utf-8")


# ------------------------------------------------------------------------------ open interest
def _oi(seed: int, t: date) -> tuple[int, int, int, int]:
    prev = (seed * 37) % 400 + 20 * ((t.toordinal() - 1) % 3)
    vol = (seed * 13 + t.day) % 4 * 25
    cur = prev + (vol if seed % 2 else 0)
    return vol, cur, cur - prev, prev


def _book(rows: list[list], title: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy/m/d" if cell.row == 2 else "mmm-yy"
    book.properties.created = book.properties.modified = datetime(*FIXED)
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED[:6]),
                         src.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _pair(left: list, right: list) -> list[list]:
    """Side-by-side B–F / I–M tables: [name, label, 4 numbers] per side, padded."""
    n = max(len(left), len(right))
    blank = [None] * 6
    return [[*(left[i] if i < len(left) else blank), None,
             *(right[i] if i < len(right) else blank), None] for i in range(n)]


def _product(name: str, labels: list, seed: int, t: date, total: str) -> list[list]:
    rows, sums = [], [0, 0, 0, 0]
    for k, label in enumerate(labels):
        vals = _oi(seed + k, t)
        sums = [a + b for a, b in zip(sums, vals, strict=True)]
        rows.append([name if k == 0 else None, label, *vals])
    rows.append([None, total, *sums])
    return rows


def oi_workbook(t: date, ja: bool) -> bytes:
    def month(m: date):
        return f"{m:%Y}年{m:%m}月限" if ja else datetime(m.year, m.month, 1)

    def week(fri: date):
        n = (fri.day - 1) // 7 + 1
        if ja:
            return f"{fri:%Y}年{fri:%m}月第{n}週"
        return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n, 'th')} week {fri:%b}. {fri:%Y}"

    total = "合計" if ja else "Total"
    unit = "（単位）" if ja else "(contracts)"
    head = (["限月取引", "取引高", "当日\n建玉残高", "前日比", "前日\n建玉残高"] if ja else
            ["Contract\nMonth", "Trading\nVolume", "Current Day Open Interest", "Change",
             "Previous Day Open Interest"])
    header = [None, *head, None, None, *head, None]
    names = ({"EEB": "東エリア・ベースロード電力", "EWB": "西エリア・ベースロード電力",
              "EEP": "東エリア・日中\nロード電力", "EWP": "西エリア・日中\nロード電力",
              "EEBW": "東エリア・週間ベース\nロード電力", "EWBW": "西エリア・週間ベースロード電力",
              "EEPW": "東エリア・週間日中\nロード電力", "EWPW": "西エリア・週間日中\nロード電力",
              "DBAI": "プラッツ\nドバイ原油", "LNG": "LNG", "N225": "日経225", "TOPIX": "TOPIX"}
             if ja else
             {"EEB": "East Area Baseload Electricity", "EWB": "West Area Baseload Electricity",
              "EEP": "East Area Peakload Electricity", "EWP": "West Area Peakload Electricity",
              "EEBW": "East Area Baseload Electricity (Weekly)",
              "EWBW": "West Area Baseload Electricity (Weekly)",
              "EEPW": "East Area Peakload Electricity (Weekly)",
              "EWPW": "West Area Peakload Electricity (Weekly)",
              "DBAI": "Platts Dubai Crude Oil", "LNG": "LNG", "N225": "Nikkei 225",
              "TOPIX": "TOPIX"})
    months15 = [month(m) for m in listed_months(t, 15)]
    weeks = [week(fri) for _, fri, _ in listed_weeks(t)]
    rows: list[list] = [
        ["JPXデリバティブ建玉残高状況（概算）" if ja else "JPX Derivatives Open Interest"],
        [datetime(t.year, t.month, t.day)],
        [],
        ["＜OSE 指数先物取引＞" if ja else "<OSE Index Futures>", None, None, None, None, unit,
         None, None, None, None, None, None, unit],
        header,
        *_pair(_product(names["N225"], [month(date(2024, 6, 1)), month(date(2024, 9, 1))], 3, t,
                        total),
               _product(names["TOPIX"], [month(date(2024, 6, 1)), month(date(2024, 9, 1))], 5, t,
                        total)),
        [],
        ["＜TOCOM 商品先物取引＞" if ja else "＜TOCOM Commodity Futures＞", None, None, None, None,
         unit, None, None, None, None, None, None, unit],
        header,
        *_pair(_product(names["DBAI"], [month(m) for m in listed_months(t, 7)[1:]], 7, t, total),
               _product(names["LNG"], [month(m) for m in listed_months(t, 13)[1:]], 11, t, total)),
        [],
        [None, None, None, None, None, unit, None, None, None, None, None, None, unit],
        header,
        *_pair(_product(names["EWB"], months15, 17, t, total),
               _product(names["EEB"], months15, 19, t, total)),
        [],
        [None, None, None, None, None, unit, None, None, None, None, None, None, unit],
        header,
        *_pair(_product(names["EWP"], months15, 23, t, total),
               _product(names["EEP"], months15, 29, t, total)),
        *_pair(_product(names["EWBW"], weeks, 31, t, total),
               _product(names["EEBW"], weeks, 37, t, total)),
        *_pair(_product(names["EWPW"], weeks, 41, t, total),
               _product(names["EEPW"], weeks, 43, t, total)),
        [None] * 7 + ["（注）建玉残高は、概算値（Preliminary Estimates）であるため、翌日以降、変動する場合があります。"
                      if ja else '(*) For all futures trading figures, "Current Day Open '
                      'Interest" and "Previous Day Open Interest" '],
        [],
        ["＜OSE 指数オプション取引＞" if ja else "<OSE Index Options>", None, None, None, None, unit,
         None, None, None, None, None, None, None],
        [None, None, *head[1:], None, None, None, None, None, None, None, None],
        ["日経225\nオプション" if ja else "Nikkei 225\nOptions", "プット" if ja else "Put", 48579,
         552389, 9282, 543107],
        [None, "コール" if ja else "Call", 52211, 293692, 461, 293231],
        [None, total, 100790, 846081, 9743, 836338],
    ]
    return _book(rows, "デリバティブ建玉残高状況" if ja else "JPX Derivatives Open Interest")


# ------------------------------------------------------------------------------------ EEX
EEX_HOLIDAYS = {date(2024, 3, 29), date(2024, 4, 1)}  # Good Friday, Easter Monday (ECC)
EEX_DEMO_DAY = date(2024, 4, 12)


def eex_days() -> list[date]:
    out, d = [], FIRST
    while d <= LAST:
        if d.weekday() < 5 and d not in EEX_HOLIDAYS:
            out.append(d)
        d += timedelta(days=1)
    return out


def _us(d: date) -> str:
    return f"{d:%m/%d/%Y}"


def eex_chain(root: str, t: date) -> bytes:
    tenor = next(v for k, v in (("_WEEK", "week"), ("M", "month"), ("Q", "quarter"),
                                ("S", "season"), ("Y", "year")) if root.endswith(k))
    jpx_root = {"FOB": "EEB", "FOP": "EEP", "FQB": "EWB", "FQP": "EWP"}[root[:3]]
    letters = "FGHJKMNQUVXZ"
    if tenor == "month":
        starts = [contracts.add_months(date(t.year, t.month, 1), k) for k in range(1, 7)]
        symbols = [f"/E.{root}{letters[m.month - 1]}{m:%y}" for m in starts]
    elif tenor == "quarter":
        starts = [date(2024, 7, 1), date(2024, 10, 1), date(2025, 1, 1)]
        symbols = [f"/E.{root}{letters[m.month - 1]}{m:%y}" for m in starts]
    elif tenor == "year":
        starts = [date(2025, 1, 1), date(2026, 1, 1)]
        symbols = [f"/E.{root}F{m:%y}" for m in starts]
    else:  # week: EEX weeks assumed Monday–Sunday
        monday = t + timedelta(days=7 - t.weekday())
        starts = [monday + timedelta(days=7 * k) for k in range(4)]
        symbols = [f"/E.{root.replace('_WEEK', '')}0{(m.day - 1) // 7 + 1}{letters[m.month - 1]}"
                   f"{m:%y}" for m in starts]
    items = []
    for k, (sym, start) in enumerate(zip(symbols, starts, strict=True)):
        price = power_price(jpx_root, start, t) + 0.05 + (0.3 if tenor in ("quarter", "year")
                                                          else 0.0)
        items.append({
            "gv.pricesymbol": sym, "gv.displaydate": _us(t),
            "gv.expirationdate": _us(_bday_before(start)),
            "tradedatetimegmt": f"{_us(t)} 03:45:00 PM", "gv.eexdeliverystart": _us(start),
            "ontradeprice": round(price - 0.02, 2) if k < 2 else None, "close": round(price, 2),
            "onexchsingletradevolume": 1 if k < 2 else None,
            "onexchtradevolumeeex": 0 if k > 1 else 2 + t.day % 3,
            "offexchtradevolumeeex": 40 + 10 * (t.day % 4) if k < 3 else 0,
            "openinterest": 1200 - 150 * k + 5 * t.day,
        })
    return json.dumps({"results": {"items": items}}, separators=(",", ":")).encode("utf-8")


# ------------------------------------------------------------------------------------ ICE
ICE_LEVELS = {"TFM": 27.4, "JKM": 9.45, "NCF": 131.5}
ICE_MONTHS = ("May24", "Jun24", "Jul24", "Aug24", "Sep24", "Oct24")


def _ice_json(doc) -> bytes:
    return json.dumps(doc, separators=(",", ":")).encode("utf-8")  # compact, as an API serves


def ice_files(code: str) -> list[tuple[str, str, bytes]]:
    """(name, url, body) of one product's fetch on LAST: the contract-data list, then the
    data/historical answer of each single-month contract, each its own file."""
    product_id, hub_id, _, _ = ICE_PRODUCTS[code]
    base = ICE_LEVELS[code]
    contract_data, out = [], []
    for k, strip in enumerate(ICE_MONTHS):
        market = 8_000_000 + product_id * 10 + k
        start = datetime.strptime(strip, "%b%y")
        contract_data.append({
            "marketId": market, "marketStrip": strip,
            "endDate": int((start - timedelta(days=3)).timestamp() * 1000),
            "lastPrice": round(base * (1 + 0.01 * k), 3), "volume": 1000 - 120 * k,
            "lastTime": "04/12/2024 04:29 PM GMT", "change": 0.036,
        })
        bars = []
        for i, d in enumerate(eex_days()):
            bars.append([datetime(d.year, d.month, d.day).strftime("%a %b %d %H:%M:%S %Y"),
                         round(base * (1 + 0.01 * k) * (1 + 0.012 * math.sin(i * 0.9)), 3)])
        out.append((f"ice_{code}_{LAST:%Y%m%d}_{strip}_{market}.json",
                    f"{ICE_HISTORY_URL}?marketId={market}&historicalSpan=1",
                    _ice_json({"bars": bars})))
    contract_data.append({"marketId": 8_999_000 + product_id, "marketStrip": "Q3 24",
                          "endDate": 1719792000000, "lastPrice": base, "volume": 0,
                          "lastTime": "04/12/2024 04:29 PM GMT", "change": 0.0})
    listing = (f"ice_{code}_{LAST:%Y%m%d}_contracts.json",
               f"{ICE_CONTRACTS_URL}?productId={product_id}&hubId={hub_id}",
               _ice_json(contract_data))
    return [listing, *out]


# ------------------------------------------------------------------------ final settlement
SQ_PAGES = (date(2024, 3, 29), date(2024, 4, 5))
SQ_AREAS = {"EEB": "東京", "EEP": "東京", "EWB": "関西", "EWP": "関西"}
SQ_NAMES = {"EEB": "East Area Baseload Electricity", "EEP": "East Area Peakload Electricity",
            "EWB": "West Area Baseload Electricity", "EWP": "West Area Peakload Electricity"}


def _bday_after(d: date) -> date:
    d += timedelta(days=1)
    while not contracts.is_jpx_business_day(d):
        d += timedelta(days=1)
    return d


def jepx_average(root: str, first: date, last: date) -> float:
    """The demo JEPX area price average (base: every period; peak: 17–40 on Mon–Fri)."""
    from demo_sources.jepx import _slot

    peak, values, d = POWER[root][1], [], first
    while d <= last:
        for k in range(1, 49):
            if not peak or (d.weekday() < 5 and 17 <= k <= 40):
                values.append(_slot(d, k)["areas"][SQ_AREAS[root]])
        d += timedelta(days=1)
    return round(sum(values) / len(values), 2)


def _week_label(fri: date) -> str:
    n = (fri.day - 1) // 7 + 1
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n, 'th')} week {fri:%b}. {fri:%Y}"


def _tr(cells: list[str], tag: str = "td") -> str:
    return "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>"


def sq_page(day: date) -> bytes:
    """The assumed final settlement page as it would read after 15:15 JST on ``day``."""
    def latest(months, ltd_of):  # the latest contract whose final settlement day is <= day
        best = None
        for m in months:
            ltd = ltd_of(m)
            if _bday_after(ltd) <= day:
                best = (m, ltd)
        return best

    def fmt(d: date) -> str:
        return f"{d:%Y/%m/%d}"

    months = [contracts.add_months(date(2023, 12, 1), k) for k in range(8)]
    month, mltd = latest(months, lambda m: monthly_ltd(m.year, m.month))
    monthly = [_tr([SQ_NAMES[r], f"{month:%b}. {month:%Y}", fmt(mltd), fmt(_bday_after(mltd)),
                    f"{power_price(r, month, mltd):.2f}"]) for r in POWER]
    fri = day - timedelta(days=(day.weekday() - 4) % 7)
    sat, wltd = fri - timedelta(days=6), _bday_before(fri)
    weekly = []
    for k, root in enumerate(POWER):  # the contract week spans the four products (rowspan)
        week = f'<td rowspan="4">{_week_label(fri)}</td>' if k == 0 else ""
        weekly.append(f"<tr>{week}<td>{SQ_NAMES[root]} (Weekly)</td><td>{fmt(wltd)}</td>"
                      f"<td>{fmt(_bday_after(wltd))}</td>"
                      f"<td>{jepx_average(root, sat, fri):.2f}</td></tr>")
    lng, lltd = latest(months, lambda m: _bday_before(m - timedelta(days=14)))
    dbai, dltd = latest(months, lambda m: _bday_before(m))
    fuels = [_tr(["LNG (Platts JKM)", f"{lng:%b}. {lng:%Y}", fmt(_bday_after(lltd)),
                  f"{1380 + 7.3 * lng.month:,.1f}"]),
             _tr(["Platts Dubai Crude Oil", f"{dbai:%b}. {dbai:%Y}", fmt(_bday_after(dltd)),
                  f"{80150 + 230 * dbai.month:,}"])]
    head = ["Product", "Contract Month", "Last Trading Day", "Final Settlement Day",
            "Final Settlement Price<br>(JPY/kWh)"]
    html = "\n".join([
        '<!DOCTYPE html>', '<html lang="en">', "<head>", '<meta charset="utf-8">',
        "<title>Final Settlement Prices (SQ) | Japan Exchange Group</title>", "</head>",
        "<body>", '<div id="main">', "<h2>Final Settlement Prices</h2>",
        f"<p>Last updated: {day:%b}. {day.day}, {day:%Y}</p>",
        "<h3>Energy: TOCOM Market</h3>", "<h4>Electricity Futures (Monthly)</h4>",
        '<table class="component-normal-table">', "<thead>", _tr(head, "th"), "</thead>",
        "<tbody>", *monthly, "</tbody>", "</table>",
        "<h4>Electricity Futures (Weekly)</h4>", '<table class="component-normal-table">',
        "<thead>", _tr(["Contract Week", *head[:1], *head[2:]], "th"), "</thead>", "<tbody>",
        *weekly, "</tbody>", "</table>",
        "<h4>LNG (Platts JKM) / Platts Dubai Crude Oil</h4>",
        '<table class="component-normal-table">', "<thead>",
        _tr(["Product", "Contract Month", "Final Settlement Day", "Final Settlement Price"],
            "th"), "</thead>", "<tbody>", *fuels, "</tbody>", "</table>",
        "<p>LNG: JPY/MMBtu. Platts Dubai Crude Oil: JPY/kl.</p>", "</div>", "</body>",
        "</html>", ""])
    return html.encode("utf-8")


# ------------------------------------------------------------------------------ canonical CSV
IMPORT_HEADER = ("source,exchange,product_code,contract_code,tenor_type,delivery_start,"
                 "delivery_end,trade_date,settlement_price,currency,price_unit,volume,volume_unit,"
                 "open_interest,oi_is_prior_day,quote_type,published_at")


def import_example() -> bytes:
    lines = [IMPORT_HEADER]
    for i, d in enumerate(eex_days()):
        usdjpy = 149.2 + 0.35 * i + 0.4 * math.sin(i)
        eurjpy = 162.1 + 0.2 * i
        published = f"{d + timedelta(days=1):%Y-%m-%d}T08:00:00+09:00"
        lines.append(f"manual,CME,6J,6JM4,month,2024-06-01,2024-06-30,{d},{1 / usdjpy:.7f},USD,"
                     f"USD/JPY,{150000 + 997 * i},contracts,{180000 + 311 * i},true,settlement,"
                     f"{published}")
        lines.append(f"manual,CME,RY,RYM4,month,2024-06-01,2024-06-30,{d},{eurjpy:.2f},JPY,"
                     f"JPY/EUR,{400 + i},contracts,{2100 + i},true,settlement,{published}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def demo_files() -> list[dict]:
    out = []
    for t in trade_days():
        ymd = f"{t:%Y%m%d}"
        out.append(dict(source="futures", dataset="jpx_settlement", name=f"rb_e{ymd}.csv",
                        url=JPX_SETTLEMENT_URL.format(ymd=ymd), period_start=t, period_end=t,
                        data=settlement_csv(t)))
        out.append(dict(source="futures", dataset="jpx_open_interest",
                        name=f"{ymd}open_interest_e.xlsx",
                        url=JPX_OI_URL.format(ymd=ymd, suffix="_e"), period_start=t,
                        period_end=t, data=oi_workbook(t, ja=False)))
    out.append(dict(source="futures", dataset="jpx_open_interest",
                    name=f"{LAST:%Y%m%d}open_interest.xlsx",
                    url=JPX_OI_URL.format(ymd=f"{LAST:%Y%m%d}", suffix=""), period_start=LAST,
                    period_end=LAST, data=oi_workbook(LAST, ja=True)))
    for t in eex_days():
        roots = ["FOBM", "FQBM"]
        if t == EEX_DEMO_DAY:
            roots += ["FOPM", "FQPM", "FOBQ", "FOBY", "FOB_WEEK"]
        for root in roots:
            out.append(dict(source="futures", dataset="eex_settlement",
                            name=f"eex_{root}_{t:%Y%m%d}.json", url=EEX_CHAIN_URL, period_start=t,
                            period_end=t, data=eex_chain(root, t)))
    for code in ICE_PRODUCTS:
        for name, url, body in ice_files(code):
            dataset = "ice_contracts" if name.endswith("_contracts.json") else "ice_settlement"
            out.append(dict(source="futures", dataset=dataset, name=name, url=url,
                            period_start=LAST, period_end=LAST, data=body))
    for day in SQ_PAGES:
        out.append(dict(source="futures", dataset="special_quotation",
                        name=f"special_quotation_{day:%Y%m%d}.html", url=JPX_SQ_PAGE,
                        period_start=day, period_end=day, data=sq_page(day),
                        fetched_at=datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)))
    out.append(dict(source="futures", dataset="imported_settlement",
                    name="futures_import_example.csv",
                    url="file:///demo/futures/futures_import_example.csv",
                    period_start=FIRST, period_end=LAST, data=import_example()))
    return out
