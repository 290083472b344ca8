"""Futures settings: endpoints, feed switches, politeness, and the source's options.

Evidence for every URL and id: ``../shared/reference/futures.md`` (§2 JPX, §3 EEX, §4 ICE) and
``futures_hjks.md`` part A. Nothing here was verified against a live server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...core.http import HostPolicy
from ...core.source import cli_option

SOURCE = "futures"

# -- JPX (TOCOM energy + OSE) ------------------------------------------------------------------
JPX_SETTLEMENT_INDEX = "https://www.jpx.co.jp/english/markets/derivatives/settlement-price/index.html"
JPX_SETTLEMENT_URL = ("https://www.jpx.co.jp/english/markets/derivatives/settlement-price/"
                      "tvdivq00000014l6-att/rb_e{ymd}.csv")
JPX_SETTLEMENT_URL_JA = ("https://www.jpx.co.jp/markets/derivatives/settlement-price/"
                         "tvdivq00000014l6-att/rb{ymd}.csv")
JPX_OI_URL = ("https://www.jpx.co.jp/markets/derivatives/trading-volume/tvdivq00000014nn-att/"
              "{ymd}open_interest{suffix}.xlsx")
JPX_OI_PAGE = "https://www.jpx.co.jp/markets/derivatives/trading-volume/index.html"
# final settlement prices (special quotations): an HTML page showing only the latest value of
# each product, updated after 15:15 JST on the day after the last trading day (futures.md §2.4);
# fetched once a day, archived as special_quotation_{YYYYMMDD}.html. Layout ASSUMED (no copy
# of the real page was available): see special_quotation.py
JPX_SQ_PAGE = "https://www.jpx.co.jp/english/markets/derivatives/special-quotation/index.html"
# JPX answers some User-Agents with 403 (futures.md §2.1): a browser-like one, naming us
BROWSER_UA = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/124.0 Safari/537.36 powermarketdata")
# business days looked back for a missed JPX file (the index links only the latest day; older
# files may still be served under the template URL — a 404 is then simply "gone")
CATCH_UP_BUSINESS_DAYS = 5

# -- EEX (website back end; unofficial) --------------------------------------------------------
EEX_CHAIN_URL = (
    "https://webservice-eex.gvsi.com/query/json/getChain/gv.pricesymbol/gv.displaydate/"
    "gv.expirationdate/tradedatetimegmt/gv.eexdeliverystart/ontradeprice/close/"
    "onexchsingletradevolume/onexchtradevolumeeex/offexchtradevolumeeex/openinterest/"
)
EEX_HEADERS = {"Origin": "https://www.eex.com", "Referer": "https://www.eex.com/",
               "User-Agent": BROWSER_UA, "Accept": "application/json"}
# option roots (futures.md §3.3, single source): Tokyo = FO, Kansai = FQ; B/P; M Q S Y _WEEK
EEX_ROOTS = tuple(f"{area}{load}{tenor}" for area in ("FO", "FQ") for load in ("B", "P")
                  for tenor in ("M", "Q", "S", "Y", "_WEEK"))
EEX_UPDATE_DAYS = 5  # an update asks for the chains of the last few weekdays not archived yet

# -- ICE (ice.com product-guide charting JSON; unofficial, delayed) ---------------------------
ICE_CONTRACTS_URL = "https://www.ice.com/marketdata/api/productguide/charting/contract-data"
ICE_HISTORY_URL = "https://www.ice.com/marketdata/api/productguide/charting/data/historical"
ICE_HEADERS = {"Accept": "application/json", "User-Agent": BROWSER_UA}
# product code → (productId, hubId, exchange, price unit) (futures.md §4.2)
ICE_PRODUCTS = {
    "TFM": (4331, 7979, "ICE_ENDEX", "EUR/MWh"),
    "JKM": (4172, 7903, "IFEU", "USD/MMBtu"),
    "NCF": (1459, 1296, "IFEU", "USD/t"),
}

HOSTS = {
    "www.jpx.co.jp": HostPolicy(delay=3.0),  # JPX asks for no high-frequency access
    "webservice-eex.gvsi.com": HostPolicy(delay=2.0),
    "www.ice.com": HostPolicy(delay=2.0),
}

FEEDS = ("jpx", "eex", "ice")
IMPORTER_HINT = ("load licensed or hand-downloaded settlements instead with "
                 "`python -m extract.run import futures FILE...` (canonical CSV or a vendor "
                 "profile; README 'Futures')")
JPX_FIRST_WEEKLY = date(2024, 3, 18)


def _feeds(text: str) -> tuple[str, ...]:
    feeds = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in feeds if f not in FEEDS]
    if bad or not feeds:
        raise ValueError(f"unknown feed(s) {bad or [text]}; choose from {', '.join(FEEDS)}")
    return feeds


@dataclass(frozen=True)
class FuturesOptions:
    # EEX and ICE are website back ends, not APIs: off unless asked for
    feeds: tuple[str, ...] = cli_option(
        ("jpx",), "--futures-feeds", "comma-separated futures feeds: jpx (default), eex, ice "
        "(EEX/ICE are unofficial website endpoints, best effort)", parse=_feeds, metavar="FEEDS")
    # the Japanese settlement CSV (rb) only adds Japanese underlying names; off by default
    jpx_japanese: bool = False
