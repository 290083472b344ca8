"""Demo JMA obsdl CSVs: synthetic hourly weather for the ten seed stations, real obsdl layout.

One file per station as the obsdl page serves it for 2024-03-16 .. 2024-04-13 (asked on
2024-04-14, JMA serves up to yesterday): cp932, CRLF, ``ダウンロードした時刻`` line, empty line,
station row, element row (降水量, 気温, 相対湿度, 風速+風向, 日照時間, 日射量 with full-width ％ and ㎡),
the 風向 sub-label row and the flag row (現象なし情報 for precipitation and sunshine at staffed
stations), hour-ending labels with 24:00 written as the next day's ``00:00:00``. A few values are
marked missing (quality 1, empty cell) as JMA does.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from extract.sources.jma import obsdl_form, stations
from extract.sources.jma.settings import OBSDL_URL

FIRST, LAST = date(2024, 3, 16), date(2024, 4, 13)
DIRECTIONS = ["北", "北北東", "北東", "東北東", "東", "東南東", "南東", "南南東", "南", "南南西", "南西",
              "西南西", "西", "西北西", "北西", "北北西"]
NAMES = {"s47412": "札幌", "s47590": "仙台", "s47662": "東京", "s47636": "名古屋", "s47607": "富山",
         "s47772": "大阪", "s47765": "広島", "s47891": "高松", "s47807": "福岡", "s47936": "那覇"}
MEAN_TEMP = {"01": 2.0, "02": 7.0, "03": 12.0, "04": 12.0, "05": 9.0, "06": 13.0, "07": 12.0,
             "08": 13.0, "09": 14.0, "10": 21.0}


def _row(area: str, label: datetime, k: int) -> list[str]:
    hour = (label.hour - 1) % 24  # the hour that ENDS at label started at this hour
    n = (label.date() - FIRST).days
    sun = max(0.0, math.sin(math.pi * (hour + 0.5 - 6) / 12))
    temp = MEAN_TEMP[area] + 0.25 * n + 5 * math.sin(math.pi * (hour - 9) / 12) + 2 * math.sin(n)
    rain = 1.5 if (n % 6 == 2 and 10 <= hour < 16) else 0.0
    humidity = max(20, min(100, round(70 - 15 * sun + (20 if rain else 0))))
    wind = round(2.5 + 1.5 * math.sin(n + hour / 4), 1)
    cells = []
    # 降水量: value, 現象なし情報, 品質情報, 均質番号 (0 with no phenomenon when it did not rain)
    cells += [f"{rain:.1f}" if rain else "0", "0" if rain else "1", "8", "1"]
    if area == "05" and n == 10 and hour == 3:  # a missing temperature: empty value, quality 1
        cells += ["", "1", "1"]
    else:
        cells += [f"{temp:.1f}", "8", "1"]
    cells += [str(humidity), "8", "1"]
    cells += [f"{wind:.1f}", "8", DIRECTIONS[(n * 3 + hour // 3) % 16], "8", "1"]
    sunshine = round(min(1.0, sun * 1.1), 1) if not rain else 0.0
    cells += [f"{sunshine:.1f}" if sunshine else "0", "0" if sunshine else "1", "8", "1"]
    cells += [f"{3.2 * sun * (0.3 if rain else 1.0):.2f}", "8", "1"]
    return cells


def obsdl_csv(station_id: str, area: str) -> bytes:
    name = NAMES.get(station_id, station_id)
    groups = [("降水量(mm)", 4), ("気温(℃)", 3), ("相対湿度(％)", 3), ("風速(m/s)", 5),
              ("日照時間(時間)", 4), ("日射量(MJ/㎡)", 3)]
    labels = [label for label, width in groups for _ in range(width)]
    flags = ["", "現象なし情報", "品質情報", "均質番号", "", "品質情報", "均質番号", "", "品質情報", "均質番号",
             "", "品質情報", "", "品質情報", "均質番号", "", "現象なし情報", "品質情報", "均質番号", "",
             "品質情報", "均質番号"]
    sub = ["" if i not in (12, 13) else "風向" for i in range(len(labels))]
    lines = ["ダウンロードした時刻：2024/04/14 12:00:00", "", ",".join(["", *[name] * len(labels)]),
             ",".join(["年月日時", *labels]), ",".join(["", *sub]), ",".join(["", *flags])]
    label = datetime(FIRST.year, FIRST.month, FIRST.day, 1)
    end = datetime(LAST.year, LAST.month, LAST.day) + timedelta(days=1)
    k = 0
    while label <= end:
        text = f"{label.year}/{label.month}/{label.day} {label.hour}:00:00"
        if label.hour == 0:
            text = f"{label.year}/{label.month}/{label.day} 00:00:00"  # as in the real files
        lines.append(",".join([text, *_row(area, label, k)]))
        label += timedelta(hours=1)
        k += 1
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def demo_files() -> list[dict]:
    out = []
    for st in stations():
        out.append({
            "source": "jma", "dataset": "hourly_obsdl",
            "name": f"obsdl_hourly_{st.station_id}_{FIRST:%Y%m%d}-{LAST:%Y%m%d}.csv",
            "url": OBSDL_URL + "?" + "&".join(f"{k}={v}" for k, v in obsdl_form(st.station_id, FIRST, LAST).items()
                                             if k in ("stationNumList", "ymdList")),
            "period_start": FIRST, "period_end": LAST, "data": obsdl_csv(st.station_id, st.area_code),
        })
    return out
