"""Reference data shared by the extractors and dbt: the dbt seeds, read by one small module.

The seeds in ``dbt_project/seeds/`` are the single place for areas (codes, slugs, price-area
order, frequency), weather stations and any other list both sides use; Python reads them here and a
test checks that SQL and Python agree. Sources may keep their own seed-like tables (e.g. a
publisher's quirks) as data in their package; what dbt also needs lives in a seed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .config import SEEDS_DIR


@dataclass(frozen=True)
class Area:
    code: str  # '01' Hokkaido .. '10' Okinawa (the national area numbering)
    slug: str  # 'tokyo'
    name_en: str
    name_ja: str
    frequency_hz: int
    price_order: int | None  # position among the day-ahead price areas (None: no price area)


def read_seed(name: str, seeds_dir: Path | None = None) -> list[dict[str, str]]:
    """Rows of ``seeds/<name>.csv`` as dicts of stripped strings."""
    path = (seeds_dir or SEEDS_DIR) / f"{name}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@cache
def areas() -> tuple[Area, ...]:
    return tuple(
        Area(r["area_code"], r["area_slug"], r["area_name_en"], r["area_name_ja"],
             int(r["frequency_hz"]), int(r["jepx_area_order"]) if r["jepx_area_order"] else None)
        for r in read_seed("areas")
    )


def area_codes() -> tuple[str, ...]:
    return tuple(a.code for a in areas())


def price_areas() -> tuple[Area, ...]:
    """The day-ahead price areas in the exchange's column order (seed column jepx_area_order)."""
    return tuple(sorted((a for a in areas() if a.price_order), key=lambda a: a.price_order))


def parse_area_codes(text: str) -> tuple[str, ...]:
    """``"3,09"`` → ``("03", "09")``; an unknown code is a ``ValueError`` naming the known ones."""
    codes = tuple(dict.fromkeys(c.strip().zfill(2) for c in text.split(",") if c.strip()))
    known = area_codes()
    bad = [c for c in codes if c not in known]
    if bad or not codes:
        raise ValueError(f"unknown area code(s) {bad or [text]}; known: {', '.join(known)}")
    return codes
