"""Demo JEPX bid curves and splitting areas: a week (2024-04-08 .. 2024-04-14) built from the two
real days in ../shared/samples/jepx (2024-01-01, a holiday, for the weekend; 2024-08-15 for the
weekdays).

Format-faithful: the verbatim headers, YYYYMMDD dates, empty 分断エリア連番 for the system
curve/group, repeated prices, the real groups (incomplete and non-contiguous ones included),
UTF-8 without BOM, CRLF. Each demo slot takes the real slot's curves and

* (when the real slot cleared at the 0.01 floor, takes the nearest slot that did not, with its
  splitting groups) and
* maps prices monotonically (0.00, 0.01 and 999.99 fixed) so that the system curve crosses at the
  demo spot file's system price (``demo_sources.jepx``), and
* scales the volumes so that it crosses at the demo contract volume (kWh / 500 = MW),

so the warehouse's recomputed clearing price/volume agree with the demo spot prices. To keep the
archive small every fourth step is kept (plus each curve's first rows, last row and the steps
around the crossing): fewer steps, same layout.

Without ../shared/samples the files already in demo/archive are reused.
"""

from __future__ import annotations

import csv
import io
import json
from bisect import bisect_left
from datetime import date, timedelta
from pathlib import Path

from demo_sources.jepx import _slot
from extract.core.archive import Archive
from extract.core.config import DEMO_ARCHIVE, REPO_ROOT
from extract.sources.jepx.settings import BID_CURVES_URL, SPLITTING_AREAS_URL

SAMPLES = REPO_ROOT.parent / "shared" / "samples" / "jepx"
FIRST, LAST = date(2024, 4, 8), date(2024, 4, 14)
CURVE_HEADER = "電力受渡日,商品コード,入札価格(円/kWh),売入札量累積(MW),買入札量累積(MW),分断エリア連番"
SPLIT_HEADER = "電力受渡日,商品コード,エリアグループ,分断エリア連番"
CAP = 999.99
KEEP_EVERY = 4


def crossing(curve: list[tuple[float, float, float]]) -> int:
    """Index of the first step where cumulative sell ≥ cumulative buy."""
    for i, (_, sell, buy) in enumerate(curve):
        if i > 0 and sell >= buy:
            return i
    return len(curve) - 1


def price_map(real: float, demo: float):
    """Monotone piecewise-linear price map: 0→0, 0.01→0.01, real→demo, 999.99→999.99."""
    xs, ys = [0.0, 0.01, real, CAP], [0.0, 0.01, demo, CAP]

    def f(p: float) -> float:
        if p >= CAP:
            return CAP
        i = max(1, bisect_left(xs, p))
        x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
        return y0 + (p - x0) * (y1 - y0) / (x1 - x0) if x1 > x0 else y1
    return f


def _priced_slot(curves: dict, k: int) -> int:
    """Slot k, or the nearest slot whose system curve crosses above the 0.01 floor (on the
    real 2024-01-01 the midday system price was 0.01: no price to map onto the demo's)."""
    for j in sorted(range(1, 49), key=lambda j: (abs(j - k), j)):
        system = curves[(j, "")]
        if system[crossing(system) - 1][0] > 0.01:
            return j
    raise ValueError("no priced slot")


def _read(name: str) -> list[list[str]]:
    with open(SAMPLES / name, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))[1:]


def _base(day: date) -> str:
    return "20240101" if day.weekday() >= 5 else "20240815"


def build(day: date) -> tuple[bytes, bytes]:
    base = _base(day)
    curves: dict[tuple[int, str], list[tuple[float, float, float]]] = {}
    for r in _read(f"spot_bid_curves_{base}.csv"):
        curves.setdefault((int(r[1]), r[5]), []).append((float(r[2]), float(r[3]), float(r[4])))
    ymd = f"{day:%Y%m%d}"
    lines = [CURVE_HEADER]
    source_slot = {k: _priced_slot(curves, k) for k in range(1, 49)}
    for k in range(1, 49):
        demo, j = _slot(day, k), source_slot[k]
        system = curves[(j, "")]
        i = crossing(system)
        f = price_map(system[i - 1][0], demo["system"])
        (_, s0, b0), (_, s1, b1) = system[i - 1], system[i]
        t = (b0 - s0) / ((b0 - s0) - (b1 - s1)) if (b0 - s0) != (b1 - s1) else 1.0
        scale = (demo["contract"] / 500) / (s0 + t * (s1 - s0))
        for (slot, seq), curve in curves.items():
            if slot != j:
                continue
            c = crossing(curve)
            keep = {0, 1, 2, len(curve) - 1, *range(max(0, c - 3), min(len(curve), c + 4))}
            for n, (p, sell, buy) in enumerate(curve):
                if n % KEEP_EVERY and n not in keep:
                    continue
                lines.append(f"{ymd},{k},{f(p):.2f},{sell * scale:.1f},{buy * scale:.1f},{seq}")
    groups: dict[int, list[list[str]]] = {}
    for r in _read(f"spot_splitting_areas_{base}.csv"):
        groups.setdefault(int(r[1]), []).append(r)
    split = [SPLIT_HEADER] + [f"{ymd},{k},{r[2]},{r[3]}"
                              for k in range(1, 49) for r in groups[source_slot[k]]]
    return (("\r\n".join(lines) + "\r\n").encode("utf-8"),
            ("\r\n".join(split) + "\r\n").encode("utf-8"))


def _from_archive() -> list[dict]:
    """The files already in demo/archive (when the real samples are not beside the repo)."""
    archive, out = Archive(DEMO_ARCHIVE), []
    manifest = DEMO_ARCHIVE / "jepx" / "manifest.jsonl"
    rows = [json.loads(x) for x in manifest.read_text().splitlines() if x] if manifest.exists() else []
    for e in archive.entries("jepx") if rows else []:
        if e.dataset in ("spot_bid_curves", "spot_splitting_areas"):
            out.append({"source": "jepx", "dataset": e.dataset, "name": e.name, "url": e.url,
                        "period_start": date.fromisoformat(e.period_start),
                        "period_end": date.fromisoformat(e.period_end),
                        "data": archive.read(e)})
    if not out:
        raise SystemExit(f"demo bid curves need the real samples in {SAMPLES}")
    return out


def demo_files() -> list[dict]:
    if not (SAMPLES / "spot_bid_curves_20240815.csv").exists():
        return _from_archive()
    out = []
    day = FIRST
    while day <= LAST:
        curves, split = build(day)
        ymd = f"{day:%Y%m%d}"
        out.append({"source": "jepx", "dataset": "spot_bid_curves",
                    "name": f"spot_bid_curves_{ymd}.csv", "url": BID_CURVES_URL.format(ymd=ymd),
                    "period_start": day, "period_end": day, "data": curves})
        out.append({"source": "jepx", "dataset": "spot_splitting_areas",
                    "name": f"spot_splitting_areas_{ymd}.csv",
                    "url": SPLITTING_AREAS_URL.format(ymd=ymd),
                    "period_start": day, "period_end": day, "data": split})
        day += timedelta(days=1)
    return out


if __name__ == "__main__":  # quick look: rows per file
    for f in demo_files():
        print(f["name"], len(io.BytesIO(f["data"]).readlines()) - 1, len(f["data"]))
    print(Path(SAMPLES))
