"""Demo TSO legacy hourly files: synthetic values in each TSO's exact legacy layout.

Each area's FY2023 legacy file (the last legacy year; Hokuriku's is monthly, Hokkaido/Tohoku/Kyushu
quarterly), cut to 2024-03-16..2024-03-31 like the real excerpts in ../shared/samples/tso, with the
header lines of tso.md §3 verbatim, cp932, CRLF. Chugoku's rolling ``eria_jyukyu.csv`` ends on
2023-12-31, so its demo rows are 2023-12-16..31. Shikoku's is an .xlsx in 万kW, TEPCO's CSV is in
万kWh with quoted thousands. Generation adds up to demand on every row (the row identity).
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from datetime import date, datetime, time, timedelta

from extract.sources.tso import legacy

SCALE = {"01": 3500, "02": 9000, "03": 30000, "04": 13000, "05": 2800, "06": 15000, "07": 6500,
         "08": 2700, "09": 8500, "10": 900}
NUCLEAR = {"06": 0.35, "09": 0.3, "08": 0.2}
MARCH = (date(2024, 3, 16), date(2024, 3, 31))
DECEMBER = (date(2023, 12, 16), date(2023, 12, 31))


def _hours(first: date, last: date):
    day = first
    while day <= last:
        for h in range(24):
            yield day, h
        day += timedelta(days=1)


def _values(area: str, day: date, hour: int) -> dict[str, int]:
    """Plausible MW for one hour; thermal balances the row so generation = demand."""
    s = SCALE[area]
    n = (day - date(2023, 1, 1)).days
    evening = math.exp(-((hour - 18) ** 2) / 6)
    morning = math.exp(-((hour - 8) ** 2) / 4)
    sun = max(0.0, math.sin(math.pi * (hour - 6) / 12))
    demand = round(s * (0.72 + 0.2 * evening + 0.1 * morning - 0.04 * (day.weekday() >= 5)
                        + 0.02 * math.sin(n)))
    solar = round(s * 0.3 * sun * (0.7 + 0.3 * math.cos(n * 0.9)))
    curtail = round(solar * 0.1) if area in ("09", "08") and sun > 0.8 else 0
    wind = round(s * 0.04 * (1.2 + math.sin(n * 0.5 + hour / 5)))
    nuclear = round(s * NUCLEAR.get(area, 0.0))
    hydro = round(s * (0.07 + 0.02 * evening))
    geothermal = round(s * 0.01) if area in ("01", "02", "09") else 0
    biomass = round(s * 0.02)
    pumped = round(s * (0.05 * evening - 0.04 * sun))
    inter = round(s * (0.06 * math.sin(n + hour / 4))) if area != "10" else 0
    thermal = demand - (nuclear + hydro + geothermal + biomass + solar + wind + pumped + inter)
    return {"demand": demand, "nuclear": nuclear, "thermal": thermal, "hydro": hydro,
            "geothermal": geothermal, "biomass": biomass, "solar": solar, "solar_curt": curtail,
            "wind": wind, "wind_curt": 0, "pumped": pumped, "inter": inter}


def _csv(rows: list[list[str]], preamble: str = "") -> bytes:
    buf = io.StringIO(newline="")
    buf.write(preamble)
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("cp932")


def _k(x: int) -> str:
    """Thousands separator as Kansai/Kyushu/TEPCO write it ("10,285"); csv quotes it."""
    return f"{x:,}"


def hokkaido(days) -> bytes:
    rows = [["単位[MWh]"] + [""] * 14, ["", "", "", "供給力"] + [""] * 11,
            ["月日", "時刻", "エリア需要", "原子力", "火力", "水力", "地熱", "バイオマス", "太陽光実績",
             "太陽光抑制量", "風力実績", "風力抑制量", "揚水", "連系線", "供給力合計"], [""] * 15]
    for day, h in _hours(*days):
        v = _values("01", day, h)
        rows.append([f"{day.year}/{day.month}/{day.day}" if h == 0 else "", f"{h}時", v["demand"],
                     v["nuclear"], v["thermal"], v["hydro"], v["geothermal"], v["biomass"],
                     v["solar"], v["solar_curt"], v["wind"], v["wind_curt"], v["pumped"], v["inter"],
                     v["demand"]])
    return _csv(rows)


def tohoku(days) -> bytes:
    rows = [["DATE_TIME", "エリア需要〔MWh〕", "水力〔MWh〕", "火力〔MWh〕", "原子力〔MWh〕", "太陽光実績〔MWh〕",
             "太陽光抑制量〔MWh〕", "風力実績〔MWh〕", "風力抑制量〔MWh〕", "地熱〔MWh〕", "バイオマス〔MWh〕",
             "揚水〔MWh〕", "連系線〔MWh〕"]]
    for day, h in _hours(*days):
        v = _values("02", day, h)
        rows.append([f"{day.year}/{day.month}/{day.day} {h}:00", v["demand"], v["hydro"], v["thermal"],
                     v["nuclear"], v["solar"], v["solar_curt"], v["wind"], v["wind_curt"],
                     v["geothermal"], v["biomass"], v["pumped"], v["inter"]])
    return _csv(rows)


def tepco(days) -> bytes:
    rows = [["単位[万kWh]"] + [""] * 14, ["DATE", "TIME", "東京エリア需要", "供給力"] + [""] * 11,
            ["", "", "", "原子力", "火力", "水力", "地熱", "バイオマス", "太陽光発電実績", "太陽光出力制御量",
             "風力発電実績", "風力出力制御量", "揚水", "連系線", "合計"]]
    for day, h in _hours(*days):
        v = {k: round(x / 10) for k, x in _values("03", day, h).items()}  # 万kWh
        v["thermal"] = v["demand"] - sum(v[k] for k in ("nuclear", "hydro", "geothermal", "biomass",
                                                         "solar", "wind", "pumped", "inter"))
        rows.append([f"{day.year}/{day.month}/{day.day}", f"{h}:00", _k(v["demand"]), v["nuclear"],
                     _k(v["thermal"]), v["hydro"], v["geothermal"], v["biomass"], _k(v["solar"]),
                     v["solar_curt"], v["wind"], v["wind_curt"], v["pumped"], v["inter"],
                     _k(v["demand"])])
    return _csv(rows)


def chubu(days) -> bytes:
    notes = ("・エリア供給力は、特定できるものは電源種別とし、バイオマス混焼や特定できないものは火力に包含"
             "(2021年9月1日から地熱・一部のバイオマスを特定）\r\n"
             "・実績データを基本とするが、把握実態により計画･統計データを採用する場合があり、情報は速報扱いとし、"
             "修正が必要となった場合には事後的に修正する\r\n"
             "・太陽光の自家消費分は、エリア需要実績や太陽光発電実績には加算していない\r\n")
    rows = [[""] * 13 + ["単位：MWh"],
            ["DATE", "TIME", "エリア需要", "原子力", "火力", "水力", "地熱", "バイオマス", "太陽光（実績）",
             "太陽光（出力制御量）", "風力（実績）", "風力（出力制御量）", "揚水", "連系線"]]
    for day, h in _hours(*days):
        v = _values("04", day, h)
        rows.append([f"{day:%Y/%m/%d}", f"{h:02d}:00", v["demand"], v["nuclear"], v["thermal"],
                     v["hydro"], v["geothermal"], v["biomass"], v["solar"], v["solar_curt"], v["wind"],
                     v["wind_curt"], v["pumped"], v["inter"]])
    return _csv(rows, notes)


def hokuriku(days) -> bytes:
    notes = ["※データは速報値であり、推計値などが含まれます", "※データは過去にさかのぼり修正する場合があります",
             "※四捨五入の関係で合計が合わないことがあります",
             "※例えば、0:00の実績値は、0時00分から1時00分までの1時間平均値を示します"]
    rows = [[n] + [""] * 13 for n in notes]
    rows += [["", "", "エリア需要", "原子力", "火力", "水力", "地熱", "バイオマス", "太陽光実績", "太陽光抑制量",
              "風力実績", "風力抑制量", "揚水", "連系線"], ["DATE", "TIME"] + ["MWh"] * 12]
    for day, h in _hours(*days):
        v = _values("05", day, h)
        rows.append([f"{day.year}/{day.month}/{day.day}", f"{h}:00", v["demand"], v["nuclear"],
                     v["thermal"], v["hydro"], "", v["biomass"], v["solar"], v["solar_curt"],
                     v["wind"], v["wind_curt"], v["pumped"], v["inter"]])
    return _csv(rows)


def _two_row_header(thermal: str, pumped: str, inter: str) -> list[list[str]]:
    return [[""] * 7 + ["太陽光", "太陽光", "風力", "風力", "", ""],
            ["DATE_TIME", "エリア需要〔MWh〕", "原子力〔MWh〕", thermal, "水力〔MWh〕", "地熱〔MWh〕",
             "バイオマス〔MWh〕", "実績〔MWh〕", "抑制量〔MWh〕", "実績〔MWh〕", "抑制量〔MWh〕", pumped, inter]]


def _two_row_rows(area: str, days) -> list[list]:
    out = []
    for day, h in _hours(*days):
        v = _values(area, day, h)
        out.append([f"{day.year}/{day.month}/{day.day} {h}:00", _k(v["demand"]), _k(v["nuclear"]),
                    _k(v["thermal"]), v["hydro"], v["geothermal"], v["biomass"], _k(v["solar"]),
                    v["solar_curt"], v["wind"], v["wind_curt"], v["pumped"], _k(v["inter"])])
    return out


def kansai(days) -> bytes:
    note = ("・発電実績は、電源種別を特定できるものを仕分けし、電源種別が不明なものは火力に含んでおります。"
            "(2022年2月1日から一部のバイオマスを特定し、仕分けております。）")
    rows = [[note] + [""] * 12, [""] * 13,
            *_two_row_header("火力〔MWh〕", "揚水〔MWh〕", "連系線〔MWh〕"), *_two_row_rows("06", days)]
    return _csv(rows)


def kyushu(days) -> bytes:
    return _csv([*_two_row_header("火力等〔MWh〕", "揚水等〔MWh〕", "連系線〔MWh〕"), *_two_row_rows("09", days)])


def chugoku(days) -> bytes:
    rows = [["供給区域の需給実績"] + [""] * 13, ["", "", "需要実績(MWh)", "供給実績(MWh)"] + [""] * 10,
            ["DATE", "TIME", "需要", "原子力", "火力", "水力", "地熱", "バイオマス", "太陽光(実績)",
             "太陽光(抑制量)", "風力(実績)", "風力(抑制量)", "揚水", "連系線潮流"]]
    for day, h in _hours(*days):
        v = _values("07", day, h)
        rows.append([f"{day.year}/{day.month}/{day.day}", f"{h}:00", v["demand"], v["nuclear"],
                     v["thermal"], v["hydro"], v["geothermal"], v["biomass"], v["solar"], "－",
                     v["wind"], "－", v["pumped"], v["inter"]])
    rows += [[""] * 14] * 200  # the real kako files end with thousands of empty lines
    return _csv(rows)


def okinawa(days) -> bytes:
    rows = [["需給実績公表"] + [""] * 12, ["※注意（単位：MWh）"] + [""] * 12, [""] * 13,
            ["DATE", "TIME", "エリアの需要実績", "", "エリアの供給実績"] + [""] * 8,
            ["", "", "", "", "火力", "水力", "ﾊﾞｲｵﾏｽ", "太陽光", "", "風力", "", "合計", ""],
            [""] * 8 + ["太陽光\n出力制御量", "", "風力\n出力制御量", "", ""]]
    for day, h in _hours(*days):
        v = _values("10", day, h)
        thermal = v["demand"] - (v["hydro"] + v["biomass"] + v["solar"] + v["wind"])
        rows.append([f"{day.year}/{day.month}/{day.day}", f"{h}:00", v["demand"], "", thermal,
                     v["hydro"], v["biomass"], v["solar"], v["solar_curt"], v["wind"], v["wind_curt"],
                     v["demand"], ""])
    return _csv(rows)


FIXED = (2024, 4, 14, 3, 0, 0)


def shikoku(days) -> bytes:
    """jukyu2023.xlsx: one sheet, notes in rows 1-5, unit in O6, header rows 7-9, 万kW, a totals
    row after the data. Written with openpyxl, then re-zipped with fixed timestamps so the demo
    archive is byte-for-byte reproducible."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "jukyu2023"
    for note in ("年間8,784時間のエリア電力需要実績(送電端)とエリア供給力実績(送電端)",
                 "エリア電力需要は、エリアの総発電電力から連系線利用を控除したもの",
                 "エリア供給力は、特定できるものは電源種別とし、バイオマス混焼や特定できないものは火力に包含",
                 "実績データを基本とするが、把握実態により計画・統計データを採用する場合があり、情報は速報扱いとし、"
                 "修正が必要となった場合には事後的に修正する",
                 "太陽光の自家消費分は、エリア需要実績や太陽光発電実績には加算していない"):
        sheet.append(["\u3000・" + note])
    sheet.append([None] * 14 + ["（単位：万ｋW）"])
    sheet.append(["DATE", "TIME", "エリア需要", "供給力"])
    sheet.append([None, None, None, "原子力", "火力", "水力", "地熱", "バイオマス", "太陽光", None, "風力",
                  None, "揚水", "連系線", "合計"])
    sheet.append([None] * 8 + ["実績", "制御量", "実績", "制御量"])
    totals = [0.0] * 13
    for day, h in _hours(*days):
        v = {k: round(x / 10) for k, x in _values("08", day, h).items()}
        v["thermal"] = v["demand"] - sum(v[k] for k in ("nuclear", "hydro", "biomass", "solar",
                                                         "wind", "pumped", "inter"))
        vals = [v["demand"], v["nuclear"], v["thermal"], v["hydro"], "－", v["biomass"], v["solar"],
                v["solar_curt"], v["wind"], v["wind_curt"], v["pumped"], v["inter"], v["demand"]]
        sheet.append([datetime(day.year, day.month, day.day), time(h, 0), *vals])
        totals = [t + (x if isinstance(x, int) else 0) / 100 for t, x in zip(totals, vals, strict=True)]
    sheet.append(["合計（百万kWh）", None, *[round(t, 2) for t in totals]])
    book.properties.created = book.properties.modified = datetime(*FIXED)
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED[:6]), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


FILES = [  # area, logical name (as planned by extract.sources.tso.legacy), writer, days, period
    ("01", "sup_dem_results_2023_4q.csv", hokkaido, MARCH, (date(2024, 1, 1), date(2024, 3, 31))),
    ("02", "juyo_2023_tohoku_4Q.csv", tohoku, MARCH, (date(2024, 1, 1), date(2024, 3, 31))),
    ("03", "area-2023.csv", tepco, MARCH, (date(2023, 4, 1), date(2024, 3, 31))),
    ("04", "2023_areabalance_current_term.csv", chubu, MARCH, (date(2023, 4, 1), date(2024, 3, 31))),
    ("05", "area_jisseki_rikuden202403.csv", hokuriku, MARCH, (date(2024, 3, 1), date(2024, 3, 31))),
    ("06", "area_jyukyu_jisseki_2023.csv", kansai, MARCH, (date(2023, 4, 1), date(2024, 3, 31))),
    ("07", "eria_jyukyu.csv", chugoku, DECEMBER, (date(2021, 4, 1), date(2023, 12, 31))),
    ("08", "jukyu2023.xlsx", shikoku, MARCH, (date(2023, 4, 1), date(2024, 3, 31))),
    ("09", "area_jyukyu_jisseki_2023_4Q.csv", kyushu, MARCH, (date(2024, 1, 1), date(2024, 3, 31))),
    ("10", "okinawa_2023.csv", okinawa, MARCH, (date(2023, 4, 1), date(2024, 3, 31))),
]


def demo_files() -> list[dict]:
    urls = {}
    for area in SCALE:
        fy = 2023 if area != "07" else 2021
        for rf in legacy.legacy_files(area, date(fy, 4, 1), date(fy + 1, 3, 31)):
            urls[rf.name] = rf.url
    out = []
    for area, name, writer, days, (start, end) in FILES:
        assert legacy.area_of(name) == area
        out.append({"source": "tso", "dataset": legacy.DATASET, "name": name, "url": urls[name],
                    "period_start": start, "period_end": end, "data": writer(days)})
    return out
