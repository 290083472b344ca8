"""OCCTO parsers on the real numbers of ../shared/samples/occto.

No public repository holds an original OCCTO CSV (occto.md §9): the samples are real OCCTO values
re-keyed into JSON by other projects. These tests write them back into the verbatim layouts the
reference quotes (web-kohyo: UTF-8 BOM, UPDATE line, quoted cells; OCCTONET3: CP932) and check
that the parsers return exactly the published values.
"""

from __future__ import annotations

import json
import time

import pytest
from conftest import sample

from extract.core.errors import ExtractError, ParseError
from extract.sources import occto
from extract.sources.occto import kohyo, occtonet

pytestmark = pytest.mark.samples

LINE_HEADER = list(kohyo.LINE_COLUMNS)
RESERVE_HEADER = [n for n in kohyo.RESERVE_COLUMNS if n != "区分名"]


def kohyo_csv(stamp: str, header: list[str], rows: list[list[str]]) -> bytes:
    def q(cells):
        return ",".join(f'"{c}"' for c in cells)
    return ("\ufeff" + "\r\n".join([f'"{stamp}"', q(header), *map(q, rows)]) + "\r\n").encode()


def num(v) -> str:
    return "" if v is None else f"{float(v):.3f}".rstrip("0").rstrip(".")


@pytest.fixture(scope="module")
def tieline():
    return json.loads(sample("occto", "earthorsun_tieline_jhSybt04_2026-08-23.json").read_text())


@pytest.fixture(scope="module")
def tieline_csv(tieline) -> bytes:
    rows = []
    for name, series in tieline["lines"].items():
        for r in series:
            rows.append([tieline["date"].replace("-", "/"), r["time"], name, num(r["fwd_capacity"]),
                         num(r["rev_capacity"]), "", "", num(r["flow"]), "", num(r["fwd_free"]),
                         num(r["rev_free"]), "", "", r["fwd_split"], r["rev_split"], ""])
    return kohyo_csv(tieline["source_update"], LINE_HEADER, rows)


def test_kohyo_04_real_day_parses_to_the_published_values(tieline_csv):
    t = kohyo.parse_lines(tieline_csv, "kohyo_04_202608.csv")
    assert t.num_rows == 11 * 48  # 11 published names × 48 periods (occto.md §2.6)
    assert set(t.column("published_at_jst").to_pylist()) == {
        __import__("datetime").datetime(2026, 8, 23, 7, 29)}
    rows = {(r["line_name"], r["time_label"]): r for r in t.to_pylist()}
    soma = rows[("相馬双葉幹線", "10:30")]  # at its forward limit, split
    assert (soma["planned_flow_mw"], soma["fwd_operating_capacity_mw"], soma["fwd_free_capacity_mw"],
            soma["fwd_split_label"]) == ("5250", "5250", "0", "分断あり")
    kanmon = rows[("関門連系線", "10:30")]  # Kyushu exporting at the reverse limit
    assert (kanmon["planned_flow_mw"], kanmon["rev_operating_capacity_mw"],
            kanmon["rev_free_capacity_mw"]) == ("-2340", "2340", "0")
    assert rows[("北海道・本州間電力連系設備", "24:00")]["jhsybt"] == "04"
    assert {"関西-中国（東）", "関西-中国（西）", "中部フェンス"} <= {k[0] for k in rows}


def test_kohyo_reserve_real_day_parses(tmp_path):
    real = json.loads(sample("occto", "earthorsun_reserve_jhSybt02_2026-08-23.json").read_text())
    rows = []
    for area, series in real["areas"].items():
        for r in series:  # the block columns were dropped by that project: empty cells here
            rows.append([real["date"].replace("-", "/"), r["time"], "", area, "", "", "",
                         num(r["wide_reserve_pct"]), num(r["wide_usage_pct"]), num(r["area_demand"]),
                         num(r["area_supply"]), num(r["area_margin"])])
    data = kohyo_csv(real["source_update"], RESERVE_HEADER, rows)
    t = kohyo.parse_reserve(data, "kohyo_02_202608.csv")
    assert t.num_rows == 480  # 10 areas × 48 periods
    first = t.to_pylist()[0]
    assert (first["area_code"], first["time_label"], first["wide_area_reserve_margin_pct"],
            first["area_demand_mw"], first["area_supply_mw"]) == ("01", "00:30", "22.33", "2655",
                                                                    "2779")
    assert occto.identify("downloadCsv.csv", data).dataset == "kohyo_reserve_margin"


def test_unknown_header_is_a_clear_error(tieline_csv):
    text = tieline_csv.decode("utf-8-sig").replace("逆方向分断情報", "逆方向分断情報２", 1)
    with pytest.raises(ParseError) as exc:
        kohyo.parse_lines(("\ufeff" + text).encode(), "kohyo_04_202608.csv")
    assert exc.value.line == 2 and "unknown header" in str(exc.value) and "逆方向分断情報２" in str(exc.value)


def test_missing_stamp_html_and_bad_labels_are_named(tieline_csv):
    lines = tieline_csv.decode("utf-8-sig").split("\r\n")
    with pytest.raises(ParseError, match="UPDATE") as exc:
        kohyo.parse_lines("\r\n".join(lines[1:]).encode(), "kohyo_04_202608.csv")
    assert exc.value.line == 1
    bad = "\r\n".join([*lines[:5], lines[5].replace('"02:00"', '"02:15"'), *lines[6:]])
    with pytest.raises(ParseError, match="period-end label") as exc:
        kohyo.parse_lines(bad.encode(), "kohyo_04_202608.csv")
    assert exc.value.line == 6 and exc.value.column == "時刻"
    with pytest.raises(ParseError, match="HTML"):
        kohyo.parse_lines(b"<html><title>error</title></html>", "kohyo_04_202608.csv")
    twice = "\r\n".join([*lines[:5], lines[4], *lines[5:]])
    with pytest.raises(ParseError, match="twice") as exc:
        kohyo.parse_lines(twice.encode(), "kohyo_04_202608.csv")
    assert exc.value.line == 6


def test_blackout_is_kept_as_published_and_other_text_refused(tieline_csv):
    text = tieline_csv.decode("utf-8-sig").split("\r\n")
    row = text[2].split(",")
    row[7] = '"***"'
    blackout = "\r\n".join([text[0], text[1], ",".join(row), *text[3:]]).encode()
    assert kohyo.parse_lines(blackout, "kohyo_04_202608.csv").column("planned_flow_mw")[0].as_py() == "***"
    row[7] = '"n/a"'
    with pytest.raises(ParseError, match="neither a number") as exc:
        kohyo.parse_lines("\r\n".join([text[0], text[1], ",".join(row)]).encode(), "kohyo_04_202608.csv")
    assert exc.value.line == 3 and exc.value.column == "順方向計画潮流(MW)"


def flows_csv(hama: dict, day: str = "2026/05/03") -> bytes:
    lines = [",".join(occtonet.FLOW_COLUMNS)]
    for s in hama["flows.intertieSeries"]:
        for k, v in enumerate(s["values"]):
            for i in range(6):  # the sample holds 30-minute means: six equal 5-minute values
                m = k * 30 + (i + 1) * 5
                lines.append(",".join([s["intertieName"], day, f"{m // 60:02d}:{m % 60:02d}",
                                       *[""] * 10, num(v), "", ""]))
    return ("\n".join(lines) + "\n").encode("cp932")


def test_occtonet_flows_real_means_parse_and_identify():
    hama = json.loads(sample("occto", "hama_intertie_actual_and_reserve_2026-05-03.subset.json")
                      .read_text())
    data = flows_csv(hama)
    t = occtonet.parse_flows(data, "occtonet_flows_11_202605.csv")
    assert t.num_rows == 13 * 288
    rows = {(r["line_name"], r["time_label"]): r["actual_flow_mw"] for r in t.to_pylist()}
    assert rows[("相馬双葉幹線", "00:05")] == "3903.3" and rows[("相馬双葉幹線", "24:00")] == "3607.5"
    assert rows[("西播東岡山線・山崎智頭線", "00:30")] == "-2078.7"
    got = occto.identify("連系線潮流実績.csv", data)
    assert (got.dataset, str(got.period_start)) == ("occtonet_interconnector_flows", "2026-05-03")


def test_occtonet_capacity_reference_rows_parse():
    """The two rows occto.md §4 quotes verbatim (JEPX-Viewer's fixture)."""
    text = ("対象断面,策定日,策定／更新後,連系線,年月日,時刻,方向,空容量,計画潮流,広域調整枠,マージン,運用容量,運用容量決定要因,最新更新年月日時刻\n"
            "翌日,20260920,策定,相馬双葉幹線,2026/09/21,00:30,順方向,95.1,5344.9,0,110,5550,熱容量（作業）,2026/09/20 16:50:08\n"
            "翌日,20260920,策定,相馬双葉幹線,2026/09/21,00:30,逆方向,-7662.9,5344.9,0,-42,-2360,熱容量,2026/09/20 16:50:08\n")
    data = text.encode("cp932")
    got = occto.identify("x.csv", data)
    assert got.dataset == "occtonet_interconnector_capacity" and got.name.startswith("occtonet_capacity_06_")
    t = occtonet.parse_capacity(data, got.name)
    rev = t.to_pylist()[1]
    assert (rev["direction_label"], rev["operating_capacity_mw"], rev["free_capacity_mw"],
            str(rev["formulation_date"]), str(rev["updated_at_jst"])) == (
        "逆方向", "-2360", "-7662.9", "2026-09-20", "2026-09-20 16:50:08")


def test_identify_refuses_what_is_not_occto():
    with pytest.raises(ExtractError):
        occto.identify("spot.csv", "受渡日,時刻コード\n2024/04/01,1\n".encode())


def test_parse_rate(tieline_csv):
    """Throughput of the strict parser on real web-kohyo rows (printed with -s)."""
    big = tieline_csv.decode("utf-8-sig").split("\r\n")
    body = [line for line in big[2:] if line]
    days = []
    for d in range(1, 31):  # a month of the real day, one date per copy
        days += [line.replace('"2026/08/23"', f'"2026/08/{d:02d}"') for line in body]
    data = ("\ufeff" + "\r\n".join([big[0], big[1], *days]) + "\r\n").encode()
    start = time.perf_counter()
    t = kohyo.parse_lines(data, "kohyo_04_202608.csv")
    rate = t.num_rows / (time.perf_counter() - start)
    print(f"web-kohyo 04: {t.num_rows} rows, {rate:,.0f} rows/s")
    assert t.num_rows == 30 * 528 and rate > 10_000
