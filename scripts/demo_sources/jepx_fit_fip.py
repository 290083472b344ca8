"""Demo JEPX fit_fip file (avoidable cost and FIP reference price), 2024-04-01 .. 2024-04-14.

UTF-8 without BOM, CRLF, the verbatim 22-column header with HALF-width (卸電力取引市場分) (the
family-A spot file writes it full-width). Values are the ones the demo family-A file
``spot_2024.csv`` carries (demo_sources.jepx), so the warehouse's agreement test passes.
"""

from __future__ import annotations

from datetime import date, timedelta

from demo_sources.jepx import _fmt, _slot
from extract.sources.jepx.settings import FIT_FIP_URL
from extract.sources.jepx.spot import AREAS

HEADER = ("年月日,時刻コード,回避可能原価全国値(円/kWh),"
          + ",".join(f"回避可能原価{a}(円/kWh)" for a in AREAS)
          + ",FIP参照価格(卸電力取引市場分)全国値(円/kWh),"
          + ",".join(f"FIP参照価格(卸電力取引市場分){a}(円/kWh)" for a in AREAS))


def fit_fip(first: date, last: date) -> bytes:
    lines = [HEADER]
    day = first
    while day <= last:
        for k in range(1, 49):
            v = _slot(day, k)
            avg = round(v["system"] + 0.01, 2)
            lines.append(",".join([day.strftime("%Y/%m/%d"), str(k), _fmt(avg)]
                                  + [_fmt(v["areas"][a] + 0.01) for a in AREAS]
                                  + [_fmt(avg)] + [_fmt(v["areas"][a]) for a in AREAS]))
        day += timedelta(days=1)
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def demo_files() -> list[dict]:
    first, last = date(2024, 4, 1), date(2024, 4, 14)
    return [{"source": "jepx", "dataset": "fit_fip", "name": "fit_fip_2024.csv",
             "url": FIT_FIP_URL.format(fy=2024), "period_start": first, "period_end": last,
             "data": fit_fip(first, last)}]
