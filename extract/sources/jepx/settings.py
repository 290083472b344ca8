"""JEPX settings: where the files are, since when, and when a period counts as closed."""

from __future__ import annotations

from datetime import date

SOURCE = "jepx"

SPOT_PAGE = "https://www.jepx.jp/electricpower/market-data/spot/"
INTRADAY_PAGE = "https://www.jepx.jp/electricpower/market-data/intraday/"
SUMMARY_URL = "https://www.jepx.jp/js/csv_read.php?dir=spot_summary&file=spot_summary_{fy}.csv"
EXCEL_URL = "https://www.jepx.jp/market/excel/spot_{fy}.csv"
INTRADAY_URL = "https://www.jepx.jp/js/csv_read.php?dir=intraday&file=intraday_{fy}.csv"

# A closed fiscal year's file is treated as immutable this many days after the year ends
# (JEPX has regenerated old files with new columns; a month is enough for late corrections).
IMMUTABLE_AFTER_DAYS = 31

# dataset → (logical name, URL, first fiscal year, request headers) of its fiscal-year file
FY_FILES = {
    "spot_summary": ("spot_summary_{fy}.csv", SUMMARY_URL, 2005,
                     {"Referer": SPOT_PAGE, "Accept": "*/*"}),
    "spot_market_excel": ("spot_{fy}.csv", EXCEL_URL, 2016, {"Accept": "*/*"}),
    "intraday": ("intraday_{fy}.csv", INTRADAY_URL, 2016,
                 {"Referer": INTRADAY_PAGE, "Accept": "*/*"}),
}

# a body shorter than this cannot be a spot/intraday file (header alone is ~300 bytes)
MIN_BODY_BYTES = 100

# the first delivery day of the spot market (FY2005's file starts on 2005-04-02, not 04-01):
# a closed fiscal year's file must have every slot from max(FY start, this day) to its end
SPOT_FIRST_DELIVERY = date(2005, 4, 2)
