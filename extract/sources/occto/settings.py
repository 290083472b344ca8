"""OCCTO settings: the two systems' endpoints, request limits, politeness, data kinds.

The publisher's data-kind codes (web-kohyo ``jhSybt``, OCCTONET3 ``rklDataKnd``/``areaDataKnd``),
their horizon and first available date live in the dbt seed ``occto_data_kinds`` (staging maps
codes to horizons from the same rows); :func:`data_kinds` reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from ...core.http import HostPolicy
from ...core.refdata import read_seed

SOURCE = "occto"

# -- datasets (one raw table each) -----------------------------------------------------------
KOHYO_RESERVE = "kohyo_reserve_margin"
KOHYO_LINES = "kohyo_interconnectors"
NET_FLOWS = "occtonet_interconnector_flows"
NET_CAPACITY = "occtonet_interconnector_capacity"
NET_DEMAND = "occtonet_demand_forecast"

# -- 広域予備率Web公表システム (web-kohyo): a plain GET, UTF-8 with BOM (occto.md §2) ------------
KOHYO_HOST = "web-kohyo.occto.or.jp"
KOHYO_URL = f"https://{KOHYO_HOST}/kks-web-public/download/downloadCsv"
# Retention: "期間は前年度4月以降を指定してください" (April of the previous fiscal year, rolling).
KOHYO_RETENTION_FISCAL_YEARS = 1
# ASSUMPTION (open question 4: "1 calendar month vs 31 days"): one request per calendar month.
# A calendar month is ≤ 31 days, so it satisfies both readings of 「期間は1ヶ月以内」.
KOHYO_REQUEST_PERIOD = "month"

# -- OCCTONET3 系統情報サービス: anonymous session → ok → download, CP932 (occto.md §3) ---------
NET_HOST = "occtonet3.occto.or.jp"
NET_BASE = f"https://{NET_HOST}/public/dfw/RP11/OCCTO/SD"
NET_LOGIN_URL = f"{NET_BASE}/LOGIN_login"
NET_SCREEN_URL = f"{NET_BASE}/CF01S010C"
NET_ROW_CAP = 150_000  # rows per download; over it `ok` answers errMessage CF000010SW
# 5-minute flows: 13 lines × 288 × 31 days = 116k rows < the cap, so calendar months fit.
# Demand forecasts are 12 rows a day: one fiscal year per request.

# A period is closed (its file never downloaded again) this many days after it ends: same-day
# values are re-published until the day is over, actual flows may be corrected for a few days.
IMMUTABLE_AFTER_DAYS = 7

# OCCTO asks for no particular rate; two seconds between requests keeps a backfill gentle.
HOSTS = {KOHYO_HOST: HostPolicy(delay=2.0), NET_HOST: HostPolicy(delay=2.0)}

# OCCTONET3 area checkboxes (occto.md §5): every area, plus the totals
NET_AREA_BOXES = {"hkd": "01", "thk": "02", "tko": "03", "chb": "04", "hkr": "05", "kns": "06",
                  "cgk": "07", "skk": "08", "kys": "09", "oki": "10"}


@dataclass(frozen=True)
class DataKind:
    system: str  # kohyo | occtonet
    dataset: str
    code: str  # jhSybt / rklDataKnd / areaDataKnd
    horizon: str
    name_ja: str
    first_date: date | None  # None: web-kohyo's rolling retention applies


@cache
def data_kinds() -> tuple[DataKind, ...]:
    """The data kinds this source fetches (seed ``occto_data_kinds``)."""
    return tuple(
        DataKind(r["system"], r["dataset"], r["code"], r["horizon"], r["name_ja"],
                 date.fromisoformat(r["first_date"]) if r["first_date"] else None)
        for r in read_seed("occto_data_kinds"))


def kinds_of(dataset: str) -> tuple[DataKind, ...]:
    return tuple(k for k in data_kinds() if k.dataset == dataset)
