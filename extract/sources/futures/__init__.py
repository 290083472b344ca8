"""Futures and forward prices: JPX/TOCOM Japanese power, LNG, Dubai, OSE USD/JPY; EEX Japanese
power and ICE JKM/TTF/Newcastle (unofficial, opt-in); licensed/hand-downloaded files.

Datasets (``raw_futures``; evidence in ``../shared/reference/futures.md`` and
``futures_hjks.md`` part A):

* ``jpx_settlement``: the daily settlement CSV ``rb_e{YYYYMMDD}.csv`` (:mod:`.jpx_settlement`).
  JPX links **only the latest trade day** and the free history ended in 2025: the daily fetch
  plus the archive *is* the history. The plan reads the link from the index page (falling back
  to the URL template), asks again for missed business days of the last week under the
  template (a 404 then means "gone"), and never asks for an archived trade date again.
* ``jpx_open_interest``: the daily volume / open-interest workbook (:mod:`.jpx_oi`).
* ``special_quotation``: JPX's final settlement prices page (HTML, :mod:`.special_quotation`),
  fetched once a day as ``special_quotation_{YYYYMMDD}.html``. It shows only the latest final
  settlement of each product, so the archive of daily pages is the history. Its layout is
  ASSUMED (no real copy was available): it is read by header text, and a page it cannot read is
  a ParseError with the bytes kept for a replay.
* ``eex_settlement``, ``ice_settlement`` (+ ``ice_contracts``, the contract list each ICE fetch
  starts with): website JSON (:mod:`.feeds`), only with ``--futures-feeds jpx,eex,ice`` (or
  ``SOURCES__FUTURES__FEEDS``); every HTTP answer is archived as its own file.
* ``imported_settlement``: ``python -m extract.run import futures FILE...`` — the canonical CSV
  or a vendor profile (:mod:`.importer`).

Every dataset declares ``data_time = trade_date``: each loaded version records the trade dates
it covers in ``raw_futures.pmd_file_extents`` (per product code for EEX, ICE and imports), which
``status`` / ``due`` judge against the publication rules — EEX and ICE by their own exchange
calendars (the rules' ``calendar`` column), not the Japanese one.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta
from urllib.parse import urljoin

from ...core.archive import RemoteFile, logical_name
from ...core.errors import ExtractError, ParseError
from ...core.lazy import lazy_module
from ...core.refdata import is_business_day, rule_for
from ...core.source import Dataset, Identified, RunContext, Source
from ...core.textio import decode_lenient, reject_html
from ...core.timeutil import JST
from . import contracts, feeds, importer, jpx_oi, jpx_settlement, special_quotation
from .settings import (
    BROWSER_UA,
    CATCH_UP_BUSINESS_DAYS,
    EEX_ROOTS,
    EEX_UPDATE_DAYS,
    HOSTS,
    ICE_PRODUCTS,
    IMPORTER_HINT,
    JPX_OI_PAGE,
    JPX_OI_URL,
    JPX_SETTLEMENT_INDEX,
    JPX_SETTLEMENT_URL,
    JPX_SETTLEMENT_URL_JA,
    JPX_SQ_PAGE,
    SOURCE,
    FuturesOptions,
)

pc = lazy_module("pyarrow.compute")

log = logging.getLogger(__name__)

NO_HISTORY = (
    "futures: JPX publishes only the LATEST settlement day (the free history ended in 2025; "
    "older days are a paid JSCC service), so --start cannot download a back-history. This run "
    "fetches the latest day and any missed day of the last week; " + IMPORTER_HINT + "."
)

DATASETS = {
    "jpx_settlement": Dataset(
        name="jpx_settlement", parse=jpx_settlement.parse_settlement,
        primary_key=("trade_date", "issue_code"), schema=jpx_settlement.SCHEMA,
        data_time="trade_date",
        description="JPX settlement prices (rb_e/rb CSV): every OSE and TOCOM futures and "
        "option row of a trade date, root/LTD/delivery period derived for seed products",
    ),
    "jpx_open_interest": Dataset(
        name="jpx_open_interest", parse=jpx_oi.parse_open_interest,
        primary_key=("trade_date", "product_name", "contract_label"), schema=jpx_oi.SCHEMA,
        data_time="trade_date",
        description="JPX daily trading volume and open interest workbook (English or "
        "Japanese): every futures row, contracts",
    ),
    "special_quotation": Dataset(
        name="special_quotation", parse=special_quotation.parse_special_quotation,
        primary_key=("page_date", "table_index", "row_index"), schema=special_quotation.SCHEMA,
        data_time="page_date",
        description="JPX final settlement prices page (special quotations; HTML, layout "
        "ASSUMED): the latest final settlement of each TOCOM power, LNG and Dubai product as "
        "shown on the fetch day",
    ),
    "eex_settlement": Dataset(
        name="eex_settlement", parse=feeds.parse_eex,
        primary_key=("trade_date", "price_symbol"), schema=feeds.EEX_SCHEMA,
        data_time="trade_date", extent_by=("product_code",),
        description="EEX Japanese power settlements from the EEX website's JSON service "
        "(unofficial; quote_type website_settlement)",
    ),
    "ice_settlement": Dataset(
        name="ice_settlement", parse=feeds.parse_ice,
        primary_key=("product_code", "market_strip", "trade_date"), schema=feeds.ICE_SCHEMA,
        data_time="trade_date", extent_by=("product_code",),
        description="ICE TTF / JKM / Newcastle daily chart values from ice.com (unofficial, "
        "delayed; quote_type chart_daily_value)",
    ),
    "ice_contracts": Dataset(
        name="ice_contracts", parse=feeds.parse_ice_contracts,
        primary_key=("listed_on", "product_code", "market_id"), schema=feeds.ICE_CONTRACTS_SCHEMA,
        data_time="listed_on", extent_by=("product_code",),
        description="ICE contract-data lists as served with each chart fetch: every listed "
        "contract, its end date and intraday last price (not a settlement)",
    ),
    "imported_settlement": Dataset(
        name="imported_settlement", parse=importer.parse_import,
        primary_key=importer.PRIMARY_KEY, schema=importer.SCHEMA,
        data_time="trade_date", extent_by=("exchange", "product_code"),
        description="Licensed / hand-downloaded settlements: canonical CSV or a vendor profile "
        "(profiles/*.yaml)",
    ),
}


# ------------------------------------------------------------------------------------ plan
INDEX_LINK = re.compile(r"""href=["']([^"']*?rb_e(\d{8})\.csv)["']""", re.I)


def latest_jpx_link(html: bytes, base: str = JPX_SETTLEMENT_INDEX) -> tuple[date, str] | None:
    """The settlement CSV linked from the index page: (trade date, absolute URL)."""
    for href, ymd in INDEX_LINK.findall(decode_lenient(html)):
        url = urljoin(base, href)
        if "/settlement-price/" not in url or not url.startswith("https://www.jpx.co.jp/"):
            continue  # a link outside the settlement-price directory is not the file
        try:
            return date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:])), url
        except ValueError:
            continue
    return None


def _archived(ctx: RunContext, dataset: str, name: str) -> bool:
    return ctx.archive is not None and ctx.archive.latest(SOURCE, dataset, name) is not None


def _jpx(ctx: RunContext, end: date) -> list[RemoteFile]:
    linked = None
    if ctx.http is not None:
        try:
            resp = ctx.http.get(JPX_SETTLEMENT_INDEX, headers={"User-Agent": BROWSER_UA})
            linked = latest_jpx_link(resp.content)
            if linked is None:
                log.warning("futures: no rb_e*.csv link on %s; using the URL template",
                            JPX_SETTLEMENT_INDEX)
        except ExtractError as exc:
            log.warning("futures: JPX index page unreadable (%s); using the URL template", exc)
    days = contracts.previous_business_days(end, CATCH_UP_BUSINESS_DAYS)
    if linked is not None and linked[0] <= end and linked[0] not in days:
        days.insert(0, linked[0])
    headers = {"User-Agent": BROWSER_UA, "Referer": JPX_SETTLEMENT_INDEX}
    out = []
    for d in days:
        ymd = f"{d:%Y%m%d}"
        from_index = linked is not None and linked[0] == d
        files = [("jpx_settlement", f"rb_e{ymd}.csv",
                  linked[1] if from_index else JPX_SETTLEMENT_URL.format(ymd=ymd), from_index),
                 ("jpx_open_interest", f"{ymd}open_interest_e.xlsx",
                  JPX_OI_URL.format(ymd=ymd, suffix="_e"), False)]
        if ctx.options.jpx_japanese:
            files += [("jpx_settlement", f"rb{ymd}.csv", JPX_SETTLEMENT_URL_JA.format(ymd=ymd),
                       False),
                      ("jpx_open_interest", f"{ymd}open_interest.xlsx",
                       JPX_OI_URL.format(ymd=ymd, suffix=""), False)]
        for dataset, name, url, immutable in files:
            if not ctx.wants(dataset) or _archived(ctx, dataset, name):
                continue  # a trade date is never fetched twice
            hdrs = dict(headers, Referer=JPX_OI_PAGE) if dataset == "jpx_open_interest" else headers
            # the linked file must exist (immutable: a 404 is an error); a catch-up guess may
            # be gone (a 404 is "not published")
            out.append(RemoteFile(source=SOURCE, dataset=dataset, name=name, url=url,
                                  period_start=d, period_end=d, immutable=immutable,
                                  headers=hdrs))
    return out


def _now_jst() -> datetime:
    return datetime.now(JST)


def _special_quotation(ctx: RunContext, end: date) -> list[RemoteFile]:
    """Today's final settlement page, once a day on JPX business days, and only once the day's
    update is due (16:00 JST by the rules: an hourly job's 10:00 run would otherwise take the
    day's one fetch before the page changes). The page has no history to catch up on."""
    if end != ctx.today or not ctx.wants("special_quotation"):
        return []
    if not contracts.is_jpx_business_day(end):
        return []  # the page changes only on final settlement days (business days)
    now = _now_jst()
    rule = rule_for(SOURCE, "special_quotation")
    if rule is not None and now.date() == end and now < rule.available_at(end).replace(
            tzinfo=JST):
        log.info("futures: the final settlement page is fetched after %s JST",
                 rule.available_time_jst)
        return []
    name = f"special_quotation_{end:%Y%m%d}.html"
    if _archived(ctx, "special_quotation", name):
        return []  # polite: one fetch a day
    return [RemoteFile(source=SOURCE, dataset="special_quotation", name=name, url=JPX_SQ_PAGE,
                       period_start=end, period_end=end, immutable=False,
                       headers={"User-Agent": BROWSER_UA})]


def _calendar(dataset: str) -> str:
    """The business-day calendar the publication rules give a dataset (``jp`` by default)."""
    rule = rule_for(SOURCE, dataset)
    return rule.calendar if rule is not None else "jp"


def plan(ctx: RunContext) -> list[RemoteFile]:
    today = ctx.today
    end = min(ctx.end or today, today)
    wanted = ctx.options.feeds
    out: list[RemoteFile] = []
    if "jpx" in wanted:
        if ctx.start is not None:
            log.warning("%s", NO_HISTORY)
        out += _jpx(ctx, end)
        out += _special_quotation(ctx, end)
    if "eex" in wanted and ctx.wants("eex_settlement"):
        first = ctx.start or end - timedelta(days=EEX_UPDATE_DAYS)
        calendar = _calendar("eex_settlement")
        d = first
        while d <= end:
            if is_business_day(d, calendar):  # EEX's own trading days, not Japan's
                for root in EEX_ROOTS:
                    out.append(feeds.eex_remote(root, d, immutable=(today - d).days > 3))
            d += timedelta(days=1)
    if "ice" in wanted and ctx.wants("ice_settlement"):
        for code in ICE_PRODUCTS:
            out.append(feeds.ice_remote(code, end, span=3 if ctx.start else 1))
    return out


# ------------------------------------------------------------------------------ validate
def validate(rf: RemoteFile, data: bytes) -> None:
    if rf.dataset == "special_quotation":  # the one HTML dataset
        if not special_quotation.looks_like_special_quotation(decode_lenient(data)):
            raise ParseError(SOURCE, rf.name, "the JPX final settlement page has no table "
                             "mentioning 'Final Settlement' / 'Special Quotation' (an error or "
                             "maintenance page?)")
        return
    reject_html(data, source=SOURCE, file=rf.name)
    if rf.dataset == "jpx_settlement":
        if not jpx_settlement.looks_like_settlement(decode_lenient(data[:4096])):
            raise ParseError(SOURCE, rf.name, "no 'Issue Code,…' header: not a JPX settlement "
                             "price file")
    elif rf.dataset == "jpx_open_interest":
        if data[:2] != b"PK":
            raise ParseError(SOURCE, rf.name, "not an .xlsx workbook (no zip signature)")
    elif rf.dataset == "ice_contracts" and data.lstrip()[:1] != b"[":
        raise ParseError(SOURCE, rf.name, "ICE contract-data did not answer a JSON list; "
                         + IMPORTER_HINT)
    elif rf.dataset == "ice_settlement" and b'"bars"' not in data:
        raise ParseError(SOURCE, rf.name, "ICE data/historical answered without 'bars'; "
                         + IMPORTER_HINT)
    elif rf.dataset == "eex_settlement" and b'"results"' not in data[:4096]:
        raise ParseError(SOURCE, rf.name, "the EEX service answered without 'results' (it is an "
                         f"unofficial website back end); {IMPORTER_HINT}")


# ------------------------------------------------------------------------------ identify
def _span(table, column: str = "trade_date") -> tuple[date, date]:
    values = table.column(column)
    return pc.min(values).as_py(), pc.max(values).as_py()


def identify(name: str, data: bytes) -> Identified:
    """Which futures dataset a hand-downloaded or bought file belongs to."""
    base = logical_name(name)
    if special_quotation.page_date_of(base) is not None:
        table = special_quotation.parse_special_quotation(data, base)
        day = table.column("page_date")[0].as_py()
        return Identified("special_quotation", base, day, day, tables=table)
    reject_html(data, source=SOURCE, file=name)
    if data[:2] == b"PK":
        table = jpx_oi.parse_open_interest(data, base)
        day = table.column("trade_date")[0].as_py()
        if jpx_oi.trade_date_of_name(base) is None:
            suffix = "_e" if table.column("file_language")[0].as_py() == "en" else ""
            base = f"{day:%Y%m%d}open_interest{suffix}.xlsx"
        return Identified("jpx_open_interest", base, day, day, tables=table)
    head = decode_lenient(data[:8192]).lstrip("\ufeff")
    if head.lstrip().startswith(("{", "[")):
        ice = feeds.ice_part_of(base)
        if ice is not None and ice[2] is None and '"contract_data"' not in head:
            contracts = feeds.parse_ice_contracts(data, base)
            return Identified("ice_contracts", base, ice[1], ice[1], tables=contracts)
        if '"contract_data"' in head or ice is not None:
            table = feeds.parse_ice(data, base)
            if table.num_rows == 0:  # no values (a non-trading span)
                day = ice[1] if ice else None
                return Identified("ice_settlement", base, day, day, tables=table)
            first, last = _span(table)
            return Identified("ice_settlement", base, first, last, tables=table)
        if '"results"' in head:
            table = feeds.parse_eex(data, base)
            day = feeds.eex_root_of(base)[1]
            return Identified("eex_settlement", base, day, day, tables=table)
        raise ParseError(SOURCE, name, "JSON that is neither an EEX getChain answer nor an ICE "
                         "chart file (ice_<CODE>_<YYYYMMDD>_contracts.json or ice_<CODE>_"
                         "<YYYYMMDD>_<Strip>_<marketId>.json)", line=1)
    if jpx_settlement.looks_like_settlement(head):
        table = jpx_settlement.parse_settlement(data, base)
        day = table.column("trade_date")[0].as_py()
        return Identified("jpx_settlement", base, day, day, tables=table)
    if importer.looks_like_import(decode_lenient(data)):
        table = importer.parse_import(data, base)
        first, last = _span(table)
        return Identified("imported_settlement", base, first, last, tables=table)
    raise ParseError(SOURCE, name, importer.no_match_message(decode_lenient(data)), line=1)


SPEC = Source(
    name=SOURCE,
    description="Futures settlements: JPX/TOCOM power, LNG, Dubai, OSE USD/JPY (daily, latest "
    "day only); EEX Japanese power and ICE JKM/TTF/Newcastle (unofficial, opt-in); importer",
    datasets=DATASETS,
    plan=plan,
    identify=identify,
    validate=validate,
    options=FuturesOptions,
    hosts=HOSTS,
)
