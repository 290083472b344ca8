"""Demo OCCTO unit-generation (ユニット別発電実績) files, 2024-04-08 .. 2024-04-13.

Format of futures_hjks.md B.4 (no real file is public): UTF-8 with BOM, the 56-column header with
end-labelled slots 00:30[kWh] … 24:00[kWh], 日量[kWh] = the sum of the slots, 更新日時
``YYYY/MM/DD HH:MM:SS``, one row per unit and day, a unit with an empty ユニット名. Units carry
the names of HJKS plants (half-width unit numbers where HJKS writes full-width ones) so that
dim_generating_unit can match them; one plant is named differently at unit level and one solar
plant is not in HJKS. Values are synthetic: baseload, mid-merit, solar and units at 0 during
their HJKS outages.

Versions: the daily files of 04-08 .. 04-12 fetched 2024-04-14 03:00 UTC (12:00 JST); at 07:00
UTC (16:00 JST, after the ~15:30 publication) 04-13 appears and 04-12 is re-fetched with one
revised value (preliminary → revised).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

from extract.sources.unitgen.parse import SLOT_LABELS
from extract.sources.unitgen.settings import CSV_URL

HEADER = ("発電所コード,エリア,発電所名,ユニット名,発電方式・燃種,対象日,"
          + ",".join(f"{label}[kWh]" for label in SLOT_LABELS) + ",日量[kWh],更新日時")
FIRST_FETCH = datetime(2024, 4, 14, 3, 0, tzinfo=UTC)
SECOND_FETCH = datetime(2024, 4, 14, 7, 0, tzinfo=UTC)
# OCCTO plant code, area, plant, unit, 発電方式・燃種, MW, profile, (offline from, back on)
UNITS = [
    ("30101", "北海道", "苫東厚真発電所", "1号機", "火力（石炭）", 350, "base", (date(2024, 3, 28), date(2024, 4, 10))),
    ("30102", "北海道", "苫東厚真発電所", "2号機", "火力（石炭）", 600, "base", None),
    ("30210", "北海道", "石狩湾新港発電所", "1号機", "火力（ガス）", 569.4, "mid", None),
    ("31001", "北海道", "泊発電所", "1号機", "原子力", 579, "base", (date(2011, 4, 22), date(2099, 1, 1))),
    ("46301", "関西", "舞鶴発電所", "1号機", "火力（石炭）", 900, "base", (date(2024, 3, 18), date(2024, 5, 21))),
    ("46302", "関西", "舞鶴発電所", "2号機", "火力（石炭）", 900, "base", None),
    ("13050", "東京", "ＪＦＥスチール株式会社川鉄千葉クリーンパワーステーション", "1号機", "火力（ガス）", 466.1, "mid", None),
    ("52271", "九州", "大分日吉原ソーラー発電所", "", "太陽光", 82, "solar", None),
]


def _kwh(unit: tuple, day: date, k: int) -> int:
    _, _, _, _, _, mw, profile, off = unit
    if off and off[0] <= day < off[1]:
        return 0
    hour = (k - 0.5) / 2
    n = (day - date(2024, 1, 1)).days
    if profile == "base":
        load = 0.86 + 0.04 * math.sin(k / 7 + n)
    elif profile == "mid":
        load = 0.35 + 0.5 * math.exp(-((hour - 18.5) ** 2) / 8) + 0.15 * math.exp(-((hour - 9) ** 2) / 6)
    else:
        load = max(0.0, math.sin(math.pi * (hour - 6) / 12)) * (0.7 + 0.2 * math.cos(n))
    return int(round(mw * 500 * load / 10) * 10)


def day_file(day: date, updated: str, revise: bool = False) -> bytes:
    lines = [HEADER]
    for unit in UNITS:
        slots = [_kwh(unit, day, k) for k in range(1, 49)]
        if revise and unit[0] == "30210":
            slots[35] += 5_000  # a preliminary value revised
        code, area, plant, name, kind = unit[:5]
        lines.append(",".join([code, area, plant, name, kind, f"{day:%Y/%m/%d}",
                               *map(str, slots), str(sum(slots)), updated]))
    return "\ufeff".encode() + ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _entry(day: date, data: bytes, fetched: datetime) -> dict:
    return {"source": "unitgen", "dataset": "unit_generation", "name": f"unitgen_{day:%Y%m%d}.csv",
            "url": CSV_URL, "period_start": day, "period_end": day, "data": data,
            "fetched_at": fetched}


def demo_files() -> list[dict]:
    out = []
    for i in range(5):
        day = date(2024, 4, 8) + timedelta(days=i)
        nxt = day + timedelta(days=1)
        out.append(_entry(day, day_file(day, f"{nxt:%Y/%m/%d} 15:31:0{i}"), FIRST_FETCH))
    out.append(_entry(date(2024, 4, 12), day_file(date(2024, 4, 12), "2024/04/14 15:40:12",
                                                  revise=True), SECOND_FETCH))
    out.append(_entry(date(2024, 4, 13), day_file(date(2024, 4, 13), "2024/04/14 15:31:07"),
                      SECOND_FETCH))
    return out
