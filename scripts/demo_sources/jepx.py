"""Demo JEPX spot files: synthetic prices in the exact real formats.

* ``spot_summary_2023.csv`` (2024-03-18..31) and ``spot_summary_2024.csv`` (2024-04-01..14):
  family B, UTF-8 without BOM, CRLF, the verbatim 19-column header of the real files.
* ``intraday_2023.csv``/``intraday_2024.csv`` (same days): UTF-8, CRLF, a few untraded slots.
* ``spot_2024.csv`` (2024-04-01..14): family A, cp932, the 48-column header with its four empty
  separator columns and full-width （卸電力取引市場分） in the FIP names.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from extract.sources.jepx.settings import EXCEL_URL, INTRADAY_URL, SUMMARY_URL
from extract.sources.jepx.spot import AREAS

SUMMARY_HEADER = (
    "受渡日,時刻コード,売り入札量(kWh),買い入札量(kWh),約定総量(kWh),システムプライス(円/kWh),"
    + ",".join(f"エリアプライス{a}(円/kWh)" for a in AREAS)
    + ",売りブロック入札総量(kWh),売りブロック約定総量(kWh),買いブロック入札総量(kWh),買いブロック約定総量(kWh)"
)
_AVG = "スポット・時間前平均価格(円/kWh)"
EXCEL_HEADER = (
    "年月日,時刻コード,売り入札量(kWh),買い入札量(kWh),約定総量(kWh),システムプライス(円/kWh),"
    + ",".join(f"エリアプライス{a}(円/kWh)" for a in AREAS)
    + f",,{_AVG},α上限値×{_AVG},α下限値×{_AVG},α速報値×{_AVG},α確報値×{_AVG},,"
    + "回避可能原価全国値(円/kWh),"
    + ",".join(f"回避可能原価{a}(円/kWh)" for a in AREAS)
    + ",,売りブロック入札総量(kWh),売りブロック約定総量(kWh),買いブロック入札総量(kWh),買いブロック約定総量(kWh),,"
    + "FIP参照価格（卸電力取引市場分）全国値(円/kWh),"
    + ",".join(f"FIP参照価格（卸電力取引市場分）{a}(円/kWh)" for a in AREAS)
)
EAST = ("北海道", "東北", "東京")
INTRADAY_HEADER = "年月日,時刻コード,始値(円/kWh),高値(円/kWh),安値(円/kWh),終値(円/kWh),平均(円/kWh),約定量合計(kWh),約定件数"


def _days(first: date, last: date):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def _slot(day: date, k: int) -> dict:
    """Deterministic, plausible values for one slot: evening peak, midday solar dip."""
    hour = (k - 1) / 2
    n = (day - date(2024, 1, 1)).days
    weekend = day.weekday() >= 5
    evening = math.exp(-((hour - 18.5) ** 2) / 6)
    morning = math.exp(-((hour - 8.5) ** 2) / 4)
    solar = max(0.0, math.sin(math.pi * (hour - 6) / 12))
    system = 9.0 + 5.5 * evening + 2.5 * morning - 4.0 * solar - (1.5 if weekend else 0.0)
    system += 0.8 * math.sin(n * 1.3) + 0.3 * math.cos(k * 0.7 + n)
    system = round(max(0.01, system), 2)
    areas = {}
    for a in AREAS:
        price = system
        if a in EAST and evening > 0.4:
            price = system + round(1.2 + 0.6 * math.sin(n), 2)  # east-west split at the peak
        if a == "九州" and solar > 0.6 and not weekend:
            price = 0.01  # solar curtailment floor
        if a == "北海道" and n % 5 == 0 and 20 <= k <= 30:
            price = round(system + 3.0, 2)
        areas[a] = round(price, 2)
    sell = int(round((19_000_000 + 3_000_000 * solar + 150_000 * (n % 7)) / 50) * 50)
    buy = int(round((16_000_000 + 4_000_000 * evening + 2_000_000 * morning) / 50) * 50)
    contract = int(round(min(sell, buy) * 0.82 / 50) * 50)
    return {"system": system, "areas": areas, "sell": sell, "buy": buy, "contract": contract,
            "block": (6_000_000 + 50 * k, 400_000 + 50 * k, 1_100_000, 1_100_000)}


def _fmt(x: float) -> str:
    return f"{x:.2f}"


def spot_summary(first: date, last: date) -> bytes:
    lines = [SUMMARY_HEADER]
    for day in _days(first, last):
        for k in range(1, 49):
            v = _slot(day, k)
            lines.append(",".join(
                [day.strftime("%Y/%m/%d"), str(k), str(v["sell"]), str(v["buy"]), str(v["contract"]),
                 _fmt(v["system"])] + [_fmt(v["areas"][a]) for a in AREAS] + [str(b) for b in v["block"]]
            ))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def spot_market_excel(first: date, last: date) -> bytes:
    lines = [EXCEL_HEADER]
    for day in _days(first, last):
        for k in range(1, 49):
            v = _slot(day, k)
            avg = round(v["system"] + 0.01, 2)
            avoid = [_fmt(v["areas"][a] + 0.01) for a in AREAS]
            fip = [_fmt(v["areas"][a]) for a in AREAS]
            lines.append(",".join(
                [day.strftime("%Y/%m/%d"), str(k), str(v["sell"]), str(v["buy"]), str(v["contract"]),
                 _fmt(v["system"])] + [_fmt(v["areas"][a]) for a in AREAS]
                + ["", _fmt(avg), _fmt(avg * 90), _fmt(avg * 0.05), _fmt(avg * 0.95), _fmt(avg * 0.95), ""]
                + [_fmt(avg)] + avoid + [""] + [str(b) for b in v["block"]] + [""] + [_fmt(avg)] + fip
            ))
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def intraday(first: date, last: date) -> bytes:
    """UTF-8, CRLF; a few night slots without trades (empty cells, 約定件数 0) as in real files."""
    lines = [INTRADAY_HEADER]
    for day in _days(first, last):
        n = (day - date(2024, 1, 1)).days
        for k in range(1, 49):
            if k in (7, 8) and n % 4 == 0:
                lines.append(f"{day:%Y/%m/%d},{k},,,,,,,0")
                continue
            system = _slot(day, k)["system"]
            avg = round(system * (1.05 + 0.04 * math.sin(n + k)), 2)
            high, low = round(avg * 1.12, 2), round(avg * 0.9, 2)
            trades = 40 + (k * 7 + n * 3) % 90
            volume = trades * 2_300 // 50 * 50
            lines.append(",".join([day.strftime("%Y/%m/%d"), str(k), _fmt(avg * 1.01), _fmt(high),
                                   _fmt(low), _fmt(avg * 0.99), _fmt(avg), str(volume), str(trades)]))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def demo_files() -> list[dict]:
    out = []
    for fy, first, last in ((2023, date(2024, 3, 18), date(2024, 3, 31)),
                            (2024, date(2024, 4, 1), date(2024, 4, 14))):
        out.append({"source": "jepx", "dataset": "spot_summary", "name": f"spot_summary_{fy}.csv",
                    "url": SUMMARY_URL.format(fy=fy), "period_start": first, "period_end": last,
                    "data": spot_summary(first, last)})
        out.append({"source": "jepx", "dataset": "intraday", "name": f"intraday_{fy}.csv",
                    "url": INTRADAY_URL.format(fy=fy), "period_start": first, "period_end": last,
                    "data": intraday(first, last)})
    first, last = date(2024, 4, 1), date(2024, 4, 14)
    out.append({"source": "jepx", "dataset": "spot_market_excel", "name": "spot_2024.csv",
                "url": EXCEL_URL.format(fy=2024), "period_start": first, "period_end": last,
                "data": spot_market_excel(first, last)})
    return out
