"""OCCTO ユニット別発電実績公開システム (HKS, hatsuden-kokai.occto.or.jp) settings.

30-minute generation per unit (kWh), official from target date 2024-03-25, published the next
afternoon (~15:30 JST) as preliminary values (速報値) that are revised later.
(Named ``unitgen``: ``occto`` is the interconnector/reserve-margin source.)
"""

from __future__ import annotations

from datetime import date

from ...core.http import HostPolicy

SOURCE = "unitgen"
DATASET = "unit_generation"
HOST = "hatsuden-kokai.occto.or.jp"
BASE_URL = f"https://{HOST}/hks-web-public"
HOME_URL = f"{BASE_URL}/home"  # 302 → /disclaimer-agree, sets JSESSIONID
AGREE_URL = f"{BASE_URL}/disclaimer-agree/next"  # POST agreed=0 (0, not 1: the page's JS value)
CSV_URL = f"{BASE_URL}/info/hks/downloadCsv"

HOSTS = {HOST: HostPolicy(delay=2.0)}

FIRST_DAY = date(2024, 3, 25)  # earlier dates are marked test data
# an update re-asks the last REVISION_DAYS target days (preliminary values are revised) up to
# yesterday (D−1 is published ~15:30 JST on D); a day is closed after IMMUTABLE_AFTER_DAYS
REVISION_DAYS = 7
IMMUTABLE_AFTER_DAYS = 14

# every filter must be sent: an omitted one narrows the result to 0 rows (futures_hjks.md B.4)
AREA_CODES = ("99", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10")
TYPE_CODES = ("99", "01", "02", "03", "04", "05", "06", "07", "08", "09")
MIN_BODY_BYTES = 100
