"""TSO settings: each area's files, pages and conventions as rows of tables, not branches.

Conventions dbt also needs (slot labels, interconnection sign) live in the dbt seed
``tso_conventions`` and are read from there (:func:`conventions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from ...core.refdata import parse_area_codes, read_seed
from ...core.source import cli_option

SOURCE = "tso"
MONTHLY = "area_supply_demand"
REALTIME = "area_supply_demand_realtime"
LEGACY = "area_supply_demand_legacy"

# TSOs revise recent months; a month is treated as closed this many days after it ends
IMMUTABLE_AFTER_DAYS = 60
# Tohoku's daily realtime files: how many recent days an update asks for
REALTIME_DAYS = 10
LEGACY_FIRST_FY, LEGACY_LAST_FY = 2016, 2023  # the common format starts FY2024 at the latest
MIN_BODY_BYTES = 64


@dataclass(frozen=True)
class CommonFormat:
    """Where one area publishes the common ``eria_jukyu_YYYYMM_NN.csv`` files."""

    first_month: date  # first month of a real common-format file (tso.md §2.3)
    monthly_url: str  # {ym} = YYYYMM
    page: str  # the page that links the files (sent as Referer)
    file_list: tuple[str, str] | None = None  # (kind, URL) of a machine-readable list
    fy_zip_url: str | None = None  # past months only inside a fiscal-year zip ({fy})
    realtime_url: str | None = None  # daily realtime files ({ymd})


COMMON: dict[str, CommonFormat] = {
    "01": CommonFormat(
        date(2024, 4, 1),
        "https://www.hepco.co.jp/network/con_service/public_document/supply_demand_results/csv/"
        "eria_jukyu_{ym}_01.csv",
        "https://www.hepco.co.jp/network/con_service/public_document/supply_demand_results/index.html"),
    "02": CommonFormat(
        date(2024, 2, 1),
        "https://setsuden.nw.tohoku-epco.co.jp/common/demand/eria_jukyu_{ym}_02.csv",
        "https://setsuden.nw.tohoku-epco.co.jp/download.html",
        realtime_url="https://setsuden.nw.tohoku-epco.co.jp/common/demand/realtime_jukyu/"
                     "realtime_jukyu_{ymd}_02.csv"),
    "03": CommonFormat(
        date(2024, 1, 1),
        "https://www.tepco.co.jp/forecast/html/images/eria_jukyu_{ym}_03.csv",
        "https://www.tepco.co.jp/forecast/html/area_jukyu-j.html"),
    "04": CommonFormat(
        date(2024, 3, 1),
        "https://powergrid.chuden.co.jp/denki_yoho_content_data/eria_jukyu_{ym}_04.csv",
        "https://powergrid.chuden.co.jp/denkiyoho/",
        file_list=("chubu", "https://powergrid.chuden.co.jp/denkiyoho/resource/php/getFilesInfo.php"),
        fy_zip_url="https://powergrid.chuden.co.jp/denki_yoho_content_data/eria_jukyu_{fy}.zip"),
    "05": CommonFormat(
        date(2024, 4, 1),
        "https://www.rikuden.co.jp/nw/denki-yoho/csv/eria_jukyu_{ym}_05.csv",
        "https://www.rikuden.co.jp/nw/denki-yoho/results_jyukyu.html"),
    "06": CommonFormat(
        date(2024, 1, 1),
        "https://www.kansai-td.co.jp/interchange/denkiyoho/area-performance/eria_jukyu_{ym}_06.csv",
        "https://www.kansai-td.co.jp/interchange/denkiyoho/area-performance/index.html",
        file_list=("kansai",
                   "https://www.kansai-td.co.jp/interchange/denkiyoho/area-performance/filelist.json")),
    "07": CommonFormat(
        date(2024, 2, 1),
        "https://www.energia.co.jp/nw/jukyuu/sys/eria_jukyu_{ym}_07.csv",
        "https://www.energia.co.jp/nw/jukyuu/eria_jukyu.html"),
    "08": CommonFormat(
        date(2024, 3, 1),
        "https://www.yonden.co.jp/nw/supply_demand/csv/eria_jukyu_{ym}_08.csv",
        "https://www.yonden.co.jp/nw/supply_demand/data_download.html"),
    "09": CommonFormat(
        date(2023, 10, 1),
        "https://www.kyuden.co.jp/td_area_jukyu/csv/eria_jukyu_{ym}_09.csv",
        "https://www.kyuden.co.jp/td_area_jukyu/jukyu.html",
        file_list=("kyushu", "https://www.kyuden.co.jp/td_area_jukyu/csv/eria_jukyu_nendo_list.csv")),
    "10": CommonFormat(
        date(2024, 2, 1),
        "https://www.okiden.co.jp/business-support/service/supply-and-demand/csv/eria_jukyu_{ym}_10.csv",
        "https://www.okiden.co.jp/business-support/service/supply-and-demand/index.html"),
}


@dataclass(frozen=True)
class LegacyFiles:
    """One family of legacy hourly files (FY2016–FY2023) of one area.

    ``every``: the period one file covers (a :func:`extract.core.timeutil.periods` granularity,
    or ``fixed`` for one file over [valid_from, valid_to]). Templates see ``fy`` (fiscal year),
    ``q`` (fiscal quarter 1..4), ``heisei`` (Heisei year of the FY), ``start``/``end`` (dates).
    """

    area: str
    every: str
    name: str
    url: str
    valid_from: date = date(2016, 4, 1)
    valid_to: date = date(2024, 3, 31)
    referer: str | None = None
    optional: bool = False  # the publisher no longer serves these (a 404 is a note)


LEGACY_FILES: tuple[LegacyFiles, ...] = (
    LegacyFiles("01", "quarter", "sup_dem_results_{fy}_{q}q.csv",
                "https://www.hepco.co.jp/network/con_service/public_document/"
                "supply_demand_results/csv/sup_dem_results_{fy}_{q}q.csv"),
    LegacyFiles("02", "quarter", "juyo_{fy}_tohoku_{q}Q.csv",
                "https://setsuden.nw.tohoku-epco.co.jp/common/demand/juyo_{fy}_tohoku_{q}Q.csv"),
    LegacyFiles("03", "fiscal-year", "area-{fy}.csv",
                "https://www.tepco.co.jp/forecast/html/images/area-{fy}.csv"),
    LegacyFiles("04", "fiscal-year", "{fy}_areabalance_current_term.csv",
                "https://powergrid.chuden.co.jp/denki_yoho_content_data/"
                "{fy}_areabalance_current_term.csv"),
    # calendar quarters 2016-04 .. 2018-09, then one file a month
    LegacyFiles("05", "quarter", "area_jisseki_rikuden{start:%Y%m}_{end:%m}.csv",
                "https://www.rikuden.co.jp/nw_jyukyudata/attach/"
                "area_jisseki_rikuden{start:%Y%m}_{end:%m}.csv", valid_to=date(2018, 9, 30)),
    LegacyFiles("05", "month", "area_jisseki_rikuden{start:%Y%m}.csv",
                "https://www.rikuden.co.jp/nw_jyukyudata/attach/area_jisseki_rikuden{start:%Y%m}.csv",
                valid_from=date(2018, 10, 1)),
    LegacyFiles("06", "fiscal-year", "area_jyukyu_jisseki_{fy}.csv",
                "https://www.kansai-td.co.jp/denkiyoho/area-performance/csv/"
                "area_jyukyu_jisseki_{fy}.csv",
                referer="https://www.kansai-td.co.jp/denkiyoho/area-performance/past.html"),
    LegacyFiles("07", "fiscal-year", "kako-{fy}.csv",
                "https://www.energia.co.jp/nw/service/retailer/data/area/csv/kako-{fy}.csv",
                valid_to=date(2021, 3, 31)),
    # FY2021-04 .. 2023-12 came as one rolling file in the same layout
    LegacyFiles("07", "fixed", "eria_jyukyu.csv",
                "https://www.energia.co.jp/nw/service/retailer/eriajyukyu/sys/eria_jyukyu.csv",
                valid_from=date(2021, 4, 1), valid_to=date(2023, 12, 31)),
    LegacyFiles("08", "fiscal-year", "jukyu{fy}.xlsx",
                "https://www.yonden.co.jp/nw/supply_demand/jukyu{fy}.xlsx"),
    # FY2016-FY2018 were named with Heisei years; EM reports them gone (404)
    LegacyFiles("09", "quarter", "area_jyukyu_jisseki_H{heisei}_{q}Q.csv",
                "https://www.kyuden.co.jp/td_area_jukyu/csv_area_jyukyu_jisseki/"
                "area_jyukyu_jisseki_H{heisei}_{q}Q.csv", valid_to=date(2019, 3, 31),
                optional=True),
    LegacyFiles("09", "quarter", "area_jyukyu_jisseki_{fy}_{q}Q.csv",
                "https://www.kyuden.co.jp/td_area_jukyu/csv_area_jyukyu_jisseki/"
                "area_jyukyu_jisseki_{fy}_{q}Q.csv", valid_from=date(2019, 4, 1)),
    LegacyFiles("10", "fiscal-year", "okinawa_{fy}.csv",
                "https://www.okiden.co.jp/business-support/service/supply-and-demand/jukyu/csv/{fy}.csv"),
)
# single files the publisher no longer serves (EM: the FY2018 Q2 CSV 404s). Its .xls copy is read
# by the legacy parser, but no URL of it is known (reference tso.md §3.1): it is imported by hand
OPTIONAL_FILES = frozenset({"sup_dem_results_2018_2q.csv"})


@dataclass(frozen=True)
class Conventions:
    time_label: str  # 'start' | 'end' (of the 30-minute slot, common format)
    interconnection_sign: str  # 'import_positive' | 'export_positive' (common format)


@cache
def conventions() -> dict[str, Conventions]:
    """Per-area common-format conventions from the dbt seed ``tso_conventions``."""
    return {r["area_code"]: Conventions(r["common_time_label"], r["common_interconnection_sign"])
            for r in read_seed("tso_conventions")}


@dataclass(frozen=True)
class TsoOptions:
    areas: tuple[str, ...] = cli_option(
        tuple(COMMON), "--areas", "comma-separated area codes 01..10 (TSO, JMA: default all)",
        parse=parse_area_codes, metavar="CODES")
