"""Demo TSO common-format files: synthetic values in each TSO's exact ``eria_jukyu`` layout.

2024-03-16..2024-04-14 (as fetched on 2024-04-14), for the areas that published the common
format in that month (Hokkaido and Hokuriku start in 2024-04; their March comes from the legacy
demo files). Faithful to tso.md §2: preamble line 1 per TSO, cp932 except TEPCO (UTF-8), LF,
full-width names for Kansai/Kyushu, Kyushu's ``YYYYMMDD`` dates, END labels (``0:30`` …
``24:00:00``) and export-positive interconnection, Okinawa's ``H:MM:SS`` on days 1–29 and ``H:MM``
on days 30–31 with one-decimal values, Shikoku's blank 地熱/その他, Hokkaido's blank padding rows
for the rest of the running month, Chubu's past month inside ``eria_jukyu_2023.zip`` and
Tohoku's daily realtime file for the running day (future slots without values).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

from demo_sources.tso_legacy import FIXED, _values
from extract.sources.tso.settings import COMMON

FETCHED = date(2024, 4, 14)
FIRST = date(2024, 3, 16)
FETCH_SLOT = 24  # 12:00 JST on the fetch day: slots before it are published

PREAMBLE = {
    "01": "単位[MW平均],,,供給力,,,,,,,,,,,,,,,,", "02": "単位[MW平均],,,供給力,,,,,,,,,,,,,,,,",
    "03": "単位[MW平均],,,供給力", "04": "単位[MW平均],,,供給力,,,,,,,,,,,,,,,,",
    "05": "単位[MW平均],,,供給力", "06": "単位[MW平均],,,,,,,,,,,,,,,,,,,",
    "07": "単位[MW平均],,供給力,,,,,,,,,,,", "08": "単位[MW平均],,,供給力,,,,,,,,,,,,,,,,",
    "09": "単位[MW平均],,,供給力(確報),,,,,,,,,,,,,,,,", "10": "単位[MW平均],,,供給力,,,,,,,,,,,,,,,,",
}
HEADER = ("DATE,TIME,エリア需要,原子力,火力(LNG),火力(石炭),火力(石油),火力(その他),水力,地熱,バイオマス,"
          "太陽光発電実績,太陽光出力制御量,風力発電実績,風力出力制御量,揚水,蓄電池,連系線,その他,合計")
FULL_WIDTH = HEADER.replace("火力(LNG)", "火力（ＬＮＧ）").replace("火力(石炭)", "火力（石炭）").replace(
    "火力(石油)", "火力（石油）").replace("火力(その他)", "火力（その他）")
FIRST_MONTH = {"01": date(2024, 4, 1), "05": date(2024, 4, 1)}


def _slot_values(area: str, day: date, k: int) -> list:
    """The 18 value cells of slot k (0..47) in file column order; generation adds up to 合計."""
    v = _values(area, day, k / 2)
    battery = 3 if k % 7 == 0 else -2 if k % 5 == 0 else 0
    other = round(v["demand"] * 0.01)
    thermal = v["thermal"] - battery - other
    coal, oil, other_th = round(thermal * 0.4), round(thermal * 0.05), round(thermal * 0.1)
    lng = thermal - coal - oil - other_th
    geo, oth = v["geothermal"], other
    if area == "08":
        geo, oth, lng = None, None, lng + other  # Shikoku: no such resources (blank)
    inter = -v["inter"] if area == "09" else v["inter"]  # Kyushu publishes exports as positive
    cells = [v["demand"], v["nuclear"], lng, coal, oil, other_th, v["hydro"], geo, v["biomass"],
             v["solar"], v["solar_curt"], v["wind"], v["wind_curt"], v["pumped"], battery, inter,
             oth, v["demand"]]
    if area == "10":  # Okinawa: one-decimal values in 2024
        cells = [None if c is None else (f"{c + 0.8:.1f}" if i in (0, 2, 17) else c)
                 for i, c in enumerate(cells)]
    return ["" if c is None else c for c in cells]


def _label(area: str, day: date, k: int) -> tuple[str, str]:
    if area == "09":  # END label: the slot starting 23:30 is written 24:00:00 of the same day
        end = (k + 1) * 30
        time = "24:00:00" if end == 1440 else f"{end // 60}:{end % 60:02d}"
        return f"{day:%Y%m%d}", time
    if area in ("01", "04"):
        return f"{day:%Y/%m/%d}", f"{k // 2:02d}:{k % 2 * 30:02d}"
    if area == "07":
        return f"{day.year}/{day.month}/{day.day}", f"{k // 2:02d}:{k % 2 * 30:02d}"
    time = f"{k // 2}:{k % 2 * 30:02d}"
    if area == "10" and day.day <= 29:
        time += ":00"
    return f"{day.year}/{day.month}/{day.day}", time


def month_file(area: str, month: date, last: date) -> bytes:
    lines = [PREAMBLE[area], FULL_WIDTH if area in ("06", "09") else HEADER]
    day = max(month, FIRST)
    while day <= last:
        slots = 48 if day < FETCHED else FETCH_SLOT
        for k in range(slots):
            lines.append(",".join(map(str, [*_label(area, day, k), *_slot_values(area, day, k)])))
        day += timedelta(days=1)
    if area == "01" and last == FETCHED:  # the running month: blank rows for the future slots
        lines += [","* 19] * 12
    encoding = "utf-8" if area == "03" else "cp932"
    return ("\n".join(lines) + "\n").encode(encoding)


def realtime_file(day: date) -> bytes:
    lines = ["単位[MW平均],,供給力", HEADER]
    for k in range(48):
        values = _slot_values("02", day, k) if k < FETCH_SLOT else [""] * 18
        lines.append(",".join(map(str, [f"{day.year}/{day.month}/{day.day}",
                                          f"{k // 2}:{k % 2 * 30:02d}", *values])))
    return ("\n".join(lines) + "\n").encode("cp932")


def chubu_zip(march: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("eria_jukyu_202403_04.csv", date_time=FIXED[:6]), march,
                   compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def demo_files() -> list[dict]:
    out = []
    march, april = date(2024, 3, 1), date(2024, 4, 1)
    for area in COMMON:
        for month, last, end in ((march, date(2024, 3, 31), date(2024, 3, 31)),
                                 (april, FETCHED, date(2024, 4, 30))):
            if month < FIRST_MONTH.get(area, march):
                continue
            data = month_file(area, month, last)
            name, url = f"eria_jukyu_{month:%Y%m}_{area}.csv", COMMON[area].monthly_url.format(ym=f"{month:%Y%m}")
            start = month
            if area == "04" and month == march:  # Chubu: past months only in the FY zip
                data, name, url = chubu_zip(data), "eria_jukyu_2023.zip", COMMON["04"].fy_zip_url.format(fy=2023)
                start, end = date(2024, 3, 1), date(2024, 3, 31)
            out.append({"source": "tso", "dataset": "area_supply_demand", "name": name, "url": url,
                        "period_start": start, "period_end": end, "data": data})
    out.append({"source": "tso", "dataset": "area_supply_demand_realtime",
                "name": f"realtime_jukyu_{FETCHED:%Y%m%d}_02.csv",
                "url": COMMON["02"].realtime_url.format(ymd=f"{FETCHED:%Y%m%d}"),
                "period_start": FETCHED, "period_end": FETCHED, "data": realtime_file(FETCHED)})
    return out
