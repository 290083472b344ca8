"""JEPX settings: where the files are, since when, and when a period counts as closed."""

from __future__ import annotations

from datetime import date

SOURCE = "jepx"

SPOT_PAGE = "https://www.jepx.jp/electricpower/market-data/spot/"
INTRADAY_PAGE = "https://www.jepx.jp/electricpower/market-data/intraday/"
BID_CURVES_PAGE = "https://www.jepx.jp/electricpower/market-data/spot/bid_curves.html"
FIT_FIP_PAGE = "https://www.jepx.jp/electricpower/market-data/fit_fip/"
SUMMARY_URL = "https://www.jepx.jp/js/csv_read.php?dir=spot_summary&file=spot_summary_{fy}.csv"
EXCEL_URL = "https://www.jepx.jp/market/excel/spot_{fy}.csv"
INTRADAY_URL = "https://www.jepx.jp/js/csv_read.php?dir=intraday&file=intraday_{fy}.csv"
FIT_FIP_URL = "https://www.jepx.jp/js/csv_read.php?dir=fit_fip&file=fit_fip_{fy}.csv"
BID_CURVES_URL = ("https://www.jepx.jp/js/csv_read.php?dir=spot_bid_curves"
                  "&file=spot_bid_curves_{ymd}.csv")
SPLITTING_AREAS_URL = ("https://www.jepx.jp/js/csv_read.php?dir=spot_splitting_areas"
                       "&file=spot_splitting_areas_{ymd}.csv")

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
    "fit_fip": ("fit_fip_{fy}.csv", FIT_FIP_URL, 2016, {"Referer": FIT_FIP_PAGE, "Accept": "*/*"}),
}

# dataset → (logical name, URL) of its one-file-per-delivery-day files ({ymd} = YYYYMMDD).
# Published after the day-ahead auction (10:00 JST on D−1), so tomorrow's file exists from
# about 10:30 JST today; earlier it is a 404 ("not published yet", not an error).
DAILY_FILES = {
    "spot_bid_curves": ("spot_bid_curves_{ymd}.csv", BID_CURVES_URL),
    "spot_splitting_areas": ("spot_splitting_areas_{ymd}.csv", SPLITTING_AREAS_URL),
}
# first delivery day JEPX serves (dlxiii's archive starts here; whether older days exist is
# unknown, jepx.md §4)
DAILY_FIRST_DAY = date(2022, 6, 1)
# an update (no --start) asks for the delivery days from today − DAILY_LOOKBACK_DAYS to
# tomorrow; days archived and older than DAILY_IMMUTABLE_AFTER_DAYS are never fetched again
DAILY_LOOKBACK_DAYS = 7
DAILY_IMMUTABLE_AFTER_DAYS = 3

# a body shorter than this cannot be a spot/intraday file (header alone is ~300 bytes)
MIN_BODY_BYTES = 100

# the first delivery day of the spot market (FY2005's file starts on 2005-04-02, not 04-01):
# a closed fiscal year's file must have every slot from max(FY start, this day) to its end
SPOT_FIRST_DELIVERY = date(2005, 4, 2)
