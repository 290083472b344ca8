"""JEPX bid curves, splitting areas and fit_fip: real files (exact values), quirks, plan, identify."""

from __future__ import annotations

from datetime import date

import pyarrow.compute as pc
import pytest
from conftest import sample

from extract.core.archive import Archive
from extract.core.errors import ParseError
from extract.core.source import RunContext
from extract.sources.jepx import SPEC, identify, plan
from extract.sources.jepx.bid_curves import SYSTEM_SEQ, parse_bid_curves
from extract.sources.jepx.fit_fip import parse_fit_fip
from extract.sources.jepx.splitting_areas import parse_splitting_areas

CURVE_HEADER = "電力受渡日,商品コード,入札価格(円/kWh),売入札量累積(MW),買入札量累積(MW),分断エリア連番\n"


def _curve(table, code: int, seq: int) -> list[dict]:
    mask = pc.and_(pc.equal(table["time_code"], code), pc.equal(table["split_area_seq"], seq))
    return table.filter(mask).sort_by("step_no").to_pylist()


@pytest.mark.samples
@pytest.mark.parametrize(("day", "rows", "system_rows"), [
    ("20240101", 34_740, None),
    ("20240815", 42_467, 20_267),
])
def test_real_bid_curve_files(day, rows, system_rows):
    name = f"spot_bid_curves_{day}.csv"
    table = parse_bid_curves(sample("jepx", name).read_bytes(), name)
    assert table.num_rows == rows
    assert pc.unique(table["delivery_date"]).to_pylist() == [date.fromisoformat(
        f"{day[:4]}-{day[4:6]}-{day[6:]}")]
    assert sorted(pc.unique(table["time_code"]).to_pylist()) == list(range(1, 49))
    if system_rows is not None:
        assert pc.sum(pc.equal(table["split_area_seq"], SYSTEM_SEQ)).as_py() == system_rows
    # the key is unique although prices repeat within a curve
    keys = table.group_by(["time_code", "split_area_seq", "step_no"]).aggregate([([], "count_all")])
    assert keys.num_rows == rows
    # every curve has 129..450 steps (jepx.md §4), starts at 0.00 and ends at the 999.99 cap
    sizes = table.group_by(["time_code", "split_area_seq"]).aggregate([("step_no", "max")])
    assert pc.min(sizes["step_no_max"]).as_py() >= 129 and pc.max(sizes["step_no_max"]).as_py() <= 450


@pytest.mark.samples
def test_real_curve_values_and_repeated_prices():
    table = parse_bid_curves(sample("jepx", "spot_bid_curves_20240101.csv").read_bytes(), "x")
    system = _curve(table, 1, SYSTEM_SEQ)
    assert [(r["step_no"], r["bid_price_jpy_kwh"], r["sell_volume_cumulative_mw"],
             r["buy_volume_cumulative_mw"]) for r in system[:4]] == [
        (1, 0.0, 0.0, 29439.5), (2, 0.0, 7605.1, 29439.5), (3, 0.01, 20863.1, 29439.5),
        (4, 0.02, 21005.1, 29439.4)]
    assert system[-1]["bid_price_jpy_kwh"] == 999.99
    sells = [r["sell_volume_cumulative_mw"] for r in system]
    buys = [r["buy_volume_cumulative_mw"] for r in system]
    assert sells == sorted(sells) and buys == sorted(buys, reverse=True)


@pytest.mark.samples
def test_real_crossing_brackets_the_published_system_price():
    """On 2024-08-15 every period's published system price lies between the prices of the
    system curve's crossing step and the step before (what the dbt summary recomputes)."""
    from extract.sources.jepx.spot import parse_spot_summary

    curves = parse_bid_curves(sample("jepx", "spot_bid_curves_20240815.csv").read_bytes(), "c")
    spot = parse_spot_summary(sample("jepx", "spot_summary_2024.csv").read_bytes(), "s")
    spot = spot.filter(pc.equal(spot["delivery_date"], date(2024, 8, 15))).to_pylist()
    published = {r["time_code"]: r["system_price_jpy_kwh"] for r in spot}
    for code in range(1, 49):
        c = _curve(curves, code, SYSTEM_SEQ)
        i = next(i for i, r in enumerate(c) if i > 0 and
                 r["sell_volume_cumulative_mw"] >= r["buy_volume_cumulative_mw"])
        low, high = c[i - 1]["bid_price_jpy_kwh"], c[i]["bid_price_jpy_kwh"]
        assert low - 0.005 <= published[code] <= high + 0.005, code
    assert published[1] == 11.89


@pytest.mark.samples
def test_real_splitting_areas_incomplete_groups():
    name = "spot_splitting_areas_20240101.csv"
    table = parse_splitting_areas(sample("jepx", name).read_bytes(), name)
    assert table.num_rows == 109
    slot1 = {r["split_area_seq"]: r["area_group"] for r in table.to_pylist() if r["time_code"] == 1}
    assert slot1 == {SYSTEM_SEQ: "システムプライス", 0: "北海道・東北・東京",
                     2: "北陸・関西・中国・四国・九州"}  # seq 1 absent, 中部 in no group
    aug = parse_splitting_areas(sample("jepx", "spot_splitting_areas_20240815.csv").read_bytes(), "a")
    assert aug.num_rows == 143
    assert pc.sum(pc.equal(aug["split_area_seq"], SYSTEM_SEQ)).as_py() == 48


@pytest.mark.samples
@pytest.mark.parametrize(("name", "dataset"), [
    ("spot_bid_curves_20240815.csv", "spot_bid_curves"),
    ("spot_splitting_areas_20240101.csv", "spot_splitting_areas"),
    ("spot_summary_2024.csv", "spot_summary"),
])
def test_identify_tells_bid_curves_from_spot_files(name, dataset):
    """電力受渡日 contains 受渡日: a bid-curve file must not be taken for a spot file."""
    got = identify(name, sample("jepx", name).read_bytes())
    assert got.dataset == dataset
    if dataset != "spot_summary":
        assert got.period_start == got.period_end


def test_a_curve_split_in_two_blocks_is_refused():
    body = (CURVE_HEADER + "20240815,1,0.00,0.0,10.0,\n20240815,1,0.00,1.0,10.0,\n"
            "20240815,1,0.00,0.0,5.0,0\n20240815,1,0.01,2.0,9.0,\n").encode()
    with pytest.raises(ParseError) as exc:
        parse_bid_curves(body, "spot_bid_curves_20240815.csv")
    assert exc.value.line == 5 and "continues" in str(exc.value)


def test_bad_values_name_file_line_and_column():
    body = (CURVE_HEADER + "20240815,1,0.00,0.0,10.0,\n20240815,1,abc,1.0,10.0,\n").encode()
    with pytest.raises(ParseError) as exc:
        parse_bid_curves(body, "f.csv")
    assert exc.value.line == 3 and exc.value.column == "入札価格(円/kWh)"
    split = "電力受渡日,商品コード,エリアグループ,分断エリア連番\n20240815,1,北海道・東北,\n".encode()
    with pytest.raises(ParseError, match="only the システムプライス row"):
        parse_splitting_areas(split, "s.csv")


def test_fit_fip_half_width_header_parses():
    areas = ["北海道", "東北", "東京", "中部", "北陸", "関西", "中国", "四国", "九州"]
    header = ("年月日,時刻コード,回避可能原価全国値(円/kWh),"
              + ",".join(f"回避可能原価{a}(円/kWh)" for a in areas)
              + ",FIP参照価格(卸電力取引市場分)全国値(円/kWh),"
              + ",".join(f"FIP参照価格(卸電力取引市場分){a}(円/kWh)" for a in areas))
    row = "2021/04/01,1,5.64,6.29," + ",".join(["5.63"] * 8) + ",5.64,6.30," + ",".join(["5.63"] * 8)
    table = parse_fit_fip(f"{header}\r\n{row}\r\n".encode(), "fit_fip_2021.csv")
    r = table.to_pylist()[0]
    assert r["avoidable_cost_hokkaido_jpy_kwh"] == 6.29
    assert r["fip_reference_price_hokkaido_jpy_kwh"] == 6.30
    assert identify("fit_fip_2021.csv", f"{header}\r\n{row}\r\n".encode()).dataset == "fit_fip"


def _ctx(tmp_path, start=None, end=None, today=date(2024, 4, 14)):
    return RunContext(start=start, end=end, today=today, archive=Archive(tmp_path),
                      datasets=("spot_bid_curves", "spot_splitting_areas"))


def test_plan_update_asks_last_week_and_tomorrow(tmp_path):
    files = plan(_ctx(tmp_path))
    curves = sorted((f for f in files if f.dataset == "spot_bid_curves"), key=lambda f: f.name)
    assert [f.name for f in curves][0] == "spot_bid_curves_20240407.csv"
    assert [f.name for f in curves][-1] == "spot_bid_curves_20240415.csv"
    assert curves[-1].url.endswith("dir=spot_bid_curves&file=spot_bid_curves_20240415.csv")
    assert curves[-1].headers["Referer"].endswith("bid_curves.html")
    immutable = {f.name for f in curves if f.immutable}
    assert immutable == {f"spot_bid_curves_202404{d:02d}.csv" for d in (7, 8, 9, 10)}


def test_plan_backfill_starts_at_the_first_published_day(tmp_path):
    files = plan(_ctx(tmp_path, start=date(2022, 5, 1), end=date(2022, 6, 3)))
    assert sorted(f.name for f in files) == sorted(
        [f"spot_bid_curves_2022060{d}.csv" for d in (1, 2, 3)]
        + [f"spot_splitting_areas_2022060{d}.csv" for d in (1, 2, 3)])


def test_datasets_are_registered_with_day_merge_keys():
    for name in ("spot_bid_curves", "spot_splitting_areas", "fit_fip"):
        assert name in SPEC.datasets
    assert SPEC.datasets["spot_bid_curves"].merge_key == ("delivery_date",)
    assert SPEC.datasets["spot_bid_curves"].primary_key == (
        "delivery_date", "time_code", "split_area_seq", "step_no")


@pytest.mark.samples
@pytest.mark.parametrize("day", ["20240101", "20240815"])
def test_the_typed_read_equals_the_generic_reader_on_real_files(day):
    """The fast path (Arrow reads the final types at once) gives the generic reader's table."""
    from extract.core.tabular import read_csv_named
    from extract.sources.jepx.bid_curves import BID_CURVE_COLUMNS, read_typed

    body = sample("jepx", f"spot_bid_curves_{day}.csv").read_bytes()
    typed = read_typed(body, "f.csv")
    assert typed is not None
    assert typed.equals(read_csv_named(body, BID_CURVE_COLUMNS, source="jepx", file="f.csv"))
    # CRLF, a BOM and blank lines read the same
    crlf = b"\xef\xbb\xbf" + body.replace(b"\n", b"\r\n") + b"\r\n"
    assert read_typed(crlf, "f.csv").equals(typed)


@pytest.mark.parametrize("row", ["20240815,1,abc,1.0,10.0,", "2024-08-15,1,0.01,1.0,10.0,",
                                 "20240815,1.5,0.01,1.0,10.0,"])
def test_anything_unusual_goes_to_the_generic_reader(row):
    from extract.sources.jepx.bid_curves import read_typed

    body = (CURVE_HEADER + "20240815,1,0.00,0.0,10.0,\n" + row + "\n").encode()
    assert read_typed(body, "f.csv") is None
    assert read_typed(CURVE_HEADER.encode(), "f.csv") is None  # no data rows
    assert read_typed(CURVE_HEADER.encode("cp932") + b"20240815,1,0.00,0.0,10.0,\n",
                      "f.csv") is None  # not UTF-8
    with pytest.raises(ParseError) as exc:
        parse_bid_curves(body, "f.csv")
    assert exc.value.line == 3
