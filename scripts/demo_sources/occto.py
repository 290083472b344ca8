"""Demo OCCTO files: the verbatim layouts of occto.md with the real numbers of the samples.

Numbers come from ``tests/fixtures/occto/samples_subset.json`` (real OCCTO values copied from
``../shared/samples/occto``): one day of web-kohyo ``jhSybt=04`` (2026-08-23), one day of area and
block reserve values (2026-05-03) and the 30-minute means of OCCTONET3's 5-minute actual flows
(2026-05-03). Every demo day repeats its real day; only the dates are moved into the demo window
(web-kohyo 2024-04-08 …, OCCTONET3 interconnectors 2024-04-12 …, demand forecasts 2024-03-16
… 2024-04-16; fetched 2024-04-14 18:00 JST, the first same-day versions 12:00 JST). Derived, not published, cells:

* web-kohyo 04: margins = capacity − free capacity ∓ planned flow (the sample's arithmetic);
  the guessed columns of ``extract.sources.occto.kohyo.LINE_COLUMNS`` carry 0 (広域調整枠), the
  negated planned flow (逆方向計画潮流) and 分断なし (逆方向分断情報); the sample's own split flag
  is 順方向分断情報. 中部フェンス and 関西フェンス are left out: they start in March 2026.
* block numbers: areas with the same block demand and rate in a period form one block.
* 5-minute flows: six values per period ramping toward the neighbouring periods, whose mean
  is the real 30-minute mean (±0.05 MW rounding); capacity columns from the 04 day where the
  facility name matches, empty elsewhere; slots after 12:00 of 2024-04-14 are not yet measured.
* demand forecasts: each area's min/max demand and the supply at the max, from the reserve day.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from extract.core.refdata import areas
from extract.sources.occto import kohyo, occtonet
from extract.sources.occto.settings import KOHYO_URL, NET_SCREEN_URL

FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "occto" / "samples_subset.json"
# a short window keeps the bundled archive small: one week of web-kohyo (+ what is published
# ahead), three days of OCCTONET3 interconnector files, the whole window of demand forecasts
KOHYO_FIRST = date(2024, 4, 8)
NET_FIRST = date(2024, 4, 12)
FETCHED = datetime(2024, 4, 14, 18, 0)  # JST: OCCTO's files are fetched after the 17:47 issue
FETCHED_UTC = datetime(2024, 4, 14, 9, 0, tzinfo=UTC)
MORNING_UTC = datetime(2024, 4, 14, 3, 0, tzinfo=UTC)  # an earlier version of the same-day files
NOT_YET = {"中部フェンス", "関西フェンス"}  # fences from 2026-03-13 delivery
LABELS = [f"{(k + 1) * 30 // 60:02d}:{(k + 1) * 30 % 60:02d}" for k in range(48)]


def _real() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _days(first: date, last: date):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def _num(v) -> str:
    if v is None:
        return ""
    return f"{float(v):.3f}".rstrip("0").rstrip(".")


def _kohyo_csv(stamp: datetime, header: list[str], rows: list[list[str]]) -> bytes:
    def line(cells):
        return ",".join(f'"{c}"' for c in cells)
    text = "\r\n".join([f'"{stamp:%Y/%m/%d %H:%M} UPDATE"', line(header), *map(line, rows)])
    return ("\ufeff" + text + "\r\n").encode("utf-8")


def _kohyo_file(code: str, dataset: str, first: date, last: date, stamp: datetime, data: bytes):
    month_first = date(first.year, first.month, 1)
    fetched = MORNING_UTC if stamp.hour < 12 and stamp.date() == FETCHED.date() else FETCHED_UTC
    return {"fetched_at": fetched, "source": "occto", "dataset": dataset, "name": f"kohyo_{code}_{first:%Y%m}.csv",
            "url": f"{KOHYO_URL}?jhSybt={code}&tgtYmdFrom={first:%Y/%m/%d}&tgtYmdTo={last:%Y/%m/%d}",
            "period_start": month_first, "period_end": last, "data": data}


# -- web-kohyo reserve margin ----------------------------------------------------------------
def _reserve_rows(real: dict, day: date, with_category: bool) -> list[list[str]]:
    fields = real["reserve_fields"]
    series = {area: dict(zip(fields, values, strict=True)) for area, values in real["reserve"].items()}
    rows = []
    for k, label in enumerate(LABELS):
        blocks: dict[tuple, int] = {}
        for area in (a.name_ja for a in areas()):
            s = series[area]
            block = blocks.setdefault((s["blockDemandMw"][k], s["blockReserveRate"][k]), len(blocks) + 1)
            cells = [f"{day:%Y/%m/%d}", *(["***"] if with_category else []), label, str(block), area,
                     _num(s["blockDemandMw"][k]), _num(s["blockSupplyMw"][k]),
                     _num(s["blockReserveMw"][k]), f"{s['blockReserveRate'][k]:.2f}",
                     f"{s['blockUsageRate'][k]:.2f}", _num(s["demandMw"][k]), _num(s["supplyMw"][k]),
                     _num(s["reserveMw"][k])]
            rows.append(cells)
    return rows


def _reserve_header(with_category: bool) -> list[str]:
    names = list(kohyo.RESERVE_COLUMNS)
    return names if with_category else [n for n in names if n != "区分名"]


def reserve_files(real: dict) -> list[dict]:
    out = []
    # (code, first, last, stamp, 区分名?) — one request per calendar month, as the plan asks
    versions = [
        ("02", KOHYO_FIRST, date(2024, 4, 14), datetime(2024, 4, 14, 11, 31), False),
        ("02", KOHYO_FIRST, date(2024, 4, 15), datetime(2024, 4, 14, 17, 47), False),
        ("05", KOHYO_FIRST, date(2024, 4, 16), datetime(2024, 4, 14, 17, 48), True),
        ("01", date(2024, 4, 13), date(2024, 4, 19), datetime(2024, 4, 11, 17, 32), False),
    ]
    for code, first, last, stamp, category in versions:
        rows = [r for d in _days(first, last) for r in _reserve_rows(real, d, category)]
        out.append(_kohyo_file(code, "kohyo_reserve_margin", first, last, stamp,
                               _kohyo_csv(stamp, _reserve_header(category), rows)))
    return out


# -- web-kohyo interconnectors ---------------------------------------------------------------
def _line_values(real: dict) -> dict[str, list[dict]]:
    out = {}
    for name, rows in real["tieline"].items():
        if name in NOT_YET:
            continue
        out[name] = [dict(zip(("time", "flow", "fwd_cap", "rev_cap", "fwd_free", "rev_free",
                               "col13", "split"), r, strict=True)) for r in rows]
        for r in out[name]:
            r["fwd_margin"] = round(r["fwd_cap"] - r["fwd_free"] - r["flow"], 3)
            r["rev_margin"] = round(r["rev_cap"] - r["rev_free"] + r["flow"], 3)
    return out


def _line_rows(values: dict, day: date, code: str) -> list[list[str]]:
    rows = []
    for name, series in values.items():
        for r in series:
            if code == "04":
                rows.append([f"{day:%Y/%m/%d}", r["time"], name, _num(r["fwd_cap"]),
                             _num(r["rev_cap"]), _num(r["fwd_margin"]), _num(r["rev_margin"]),
                             _num(r["flow"]), _num(-r["flow"]), _num(r["fwd_free"]),
                             _num(r["rev_free"]), "0", "0", r["col13"], r["split"], "分断なし"])
            else:  # 06: the names vlumi/fiftysixty reads (occto.md §2.6)
                rows.append([f"{day:%Y/%m/%d}", r["time"], name, _num(r["fwd_cap"]),
                             _num(r["rev_cap"]), _num(r["flow"]), _num(r["fwd_free"]),
                             _num(r["rev_free"]), r["split"], "分断なし"])
    return rows


HEADER_06 = ["対象年月日", "時刻", "連系線名", "順方向運用容量(MW)", "逆方向運用容量(MW)", "順方向予想潮流(MW)",
             "順方向空容量(MW)", "逆方向空容量(MW)", "順方向分断情報", "逆方向分断情報"]


def line_files(real: dict) -> list[dict]:
    values = _line_values(real)
    versions = [
        ("04", KOHYO_FIRST, date(2024, 4, 14), datetime(2024, 4, 14, 11, 31)),
        ("04", KOHYO_FIRST, date(2024, 4, 15), datetime(2024, 4, 14, 17, 47)),
        ("06", KOHYO_FIRST, date(2024, 4, 16), datetime(2024, 4, 14, 17, 48)),
    ]
    out = []
    for code, first, last, stamp in versions:
        header = list(kohyo.LINE_COLUMNS) if code == "04" else HEADER_06
        rows = [r for d in _days(first, last) for r in _line_rows(values, d, code)]
        out.append(_kohyo_file(code, "kohyo_interconnectors", first, last, stamp,
                               _kohyo_csv(stamp, header, rows)))
    return out


# -- OCCTONET3 --------------------------------------------------------------------------------
def _net_file(dataset: str, name: str, first: date, last: date, header: list[str],
              rows: list[list[str]]) -> dict:
    text = "\n".join([",".join(header), *(",".join(r) for r in rows)]) + "\n"
    return {"fetched_at": FETCHED_UTC, "source": "occto", "dataset": dataset, "name": name,
            "url": NET_SCREEN_URL,
            "period_start": first, "period_end": last, "data": text.encode("cp932")}


def five_minute(means: list[float]) -> list[float]:
    """Six 5-minute values per period: a ramp toward the neighbours, mean = the period mean."""
    out = []
    for k, m in enumerate(means):
        slope = (means[min(k + 1, 47)] - means[max(k - 1, 0)]) / 12
        out += [round(m + (i - 2.5) * slope, 1) for i in range(6)]
    return out


def flow_file(real: dict) -> dict:
    lines = _line_values(real)
    first, last = NET_FIRST, date(2024, 4, 14)
    rows = []
    for day in _days(first, last):
        for name, means in real["flows_30min"].items():
            if name in NOT_YET:
                continue
            values = five_minute(means)
            cap = lines.get(name)
            for i, v in enumerate(values):
                minutes = (i + 1) * 5
                label = f"{minutes // 60:02d}:{minutes % 60:02d}"
                measured = day < FETCHED.date() or minutes <= FETCHED.hour * 60
                c = cap[i // 6] if cap else None
                capacity = ([_num(c["fwd_cap"]), _num(-c["rev_cap"]), "0", "0", _num(c["fwd_margin"]),
                             _num(-c["rev_margin"]), _num(c["fwd_free"]), _num(-c["rev_free"]),
                             _num(c["flow"]), "", ] if c else [""] * 10)
                rows.append([name, f"{day:%Y/%m/%d}", label, *capacity,
                             _num(v) if measured else "", "0" if c else "", "0" if c else ""])
    return _net_file("occtonet_interconnector_flows", f"occtonet_flows_11_{first:%Y%m}.csv", first,
                     last, list(occtonet.FLOW_COLUMNS), rows)


def capacity_files(real: dict) -> list[dict]:
    lines = {n: v for n, v in _line_values(real).items() if n in real["flows_30min"]}
    out = []
    for code, label, lead, last in (("05", "翌々日", 2, date(2024, 4, 16)),
                                    ("06", "翌日", 1, date(2024, 4, 15)),
                                    ("07", "当日", 0, date(2024, 4, 14))):
        first = NET_FIRST
        rows = []
        for day in _days(first, last):
            made = day - timedelta(days=lead)
            updated = f"{made:%Y/%m/%d} {'11:50:00' if lead == 0 else '16:50:08'}"
            for name, series in lines.items():
                for r in series:
                    for direction, sign, free, margin, cap in (
                            ("順方向", 1, r["fwd_free"], r["fwd_margin"], r["fwd_cap"]),
                            ("逆方向", -1, r["rev_free"], r["rev_margin"], r["rev_cap"])):
                        rows.append([label, f"{made:%Y%m%d}", "策定", name, f"{day:%Y/%m/%d}",
                                     r["time"], direction, _num(sign * free), _num(r["flow"]), "0",
                                     _num(sign * margin), _num(sign * cap), "", updated])
        out.append(_net_file("occtonet_interconnector_capacity",
                             f"occtonet_capacity_{code}_{first:%Y%m}.csv", first, last,
                             list(occtonet.CAPACITY_COLUMNS), rows))
    return out


def _daily_forecast(real: dict) -> list[tuple[str, list[str]]]:
    fields = real["reserve_fields"]
    out, sums = [], {"9エリア計": [0.0] * 48, "10エリア計": [0.0] * 48}
    supply_sums = {"9エリア計": [0.0] * 48, "10エリア計": [0.0] * 48}
    series = {a: dict(zip(fields, v, strict=True)) for a, v in real["reserve"].items()}

    def row(label, demand, supply):
        hi = max(range(48), key=lambda k: demand[k])
        lo = min(range(48), key=lambda k: demand[k])
        usage = demand[hi] / supply[hi] * 100
        reserve = (supply[hi] - demand[hi]) / demand[hi] * 100
        return [label, LABELS[lo], _num(round(demand[lo])), LABELS[hi], _num(round(demand[hi])),
                _num(round(supply[hi])), f"{usage:.1f}", f"{reserve:.1f}"]

    for area in areas():
        s = series[area.name_ja]
        out.append(row(area.name_ja, s["demandMw"], s["supplyMw"]))
        for total in sums:
            if total == "10エリア計" or area.price_order:
                sums[total] = [a + b for a, b in zip(sums[total], s["demandMw"], strict=True)]
                supply_sums[total] = [a + b for a, b in zip(supply_sums[total], s["supplyMw"],
                                                            strict=True)]
    return [(r[0], r) for r in out] + [(t, row(t, sums[t], supply_sums[t])) for t in sums]


def demand_files(real: dict) -> list[dict]:
    daily = _daily_forecast(real)
    out = []
    for code, lead in (("32", 2), ("05", 1), ("06", 0)):
        for first, last, fy in ((date(2024, 3, 16), date(2024, 3, 31), 2023),
                                (date(2024, 4, 1), date(2024, 4, 14) + timedelta(days=lead), 2024)):
            rows = []
            for day in sorted(_days(first, last), reverse=True):  # newest first, as published
                made = day - timedelta(days=lead)
                for _, r in daily:
                    rows.append([f"{made:%Y/%m/%d}", f"{day:%Y/%m/%d}", *r])
            out.append(_net_file("occtonet_demand_forecast", f"occtonet_demand_{code}_FY{fy}.csv",
                                 first, last, list(occtonet.DEMAND_COLUMNS), rows))
    return out


def demo_files() -> list[dict]:
    real = _real()
    return [*reserve_files(real), *line_files(real), flow_file(real), *capacity_files(real),
            *demand_files(real)]
