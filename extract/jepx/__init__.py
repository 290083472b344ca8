"""JEPX (Japan Electric Power Exchange): day-ahead spot results, both file families.

* ``spot_summary`` (family B, current site, FY2005→, UTF-8):
  ``https://www.jepx.jp/js/csv_read.php?dir=spot_summary&file=spot_summary_<FY>.csv``
* ``spot_market_excel`` (family A, legacy ``market/excel``, FY2016→, cp932): adds the
  α × average price, avoidable-cost and FIP reference-price columns.
* ``intraday`` (時間前市場, FY2016→, UTF-8):
  ``https://www.jepx.jp/js/csv_read.php?dir=intraday&file=intraday_<FY>.csv``

Raw tables land in ``raw_jepx``; keys are (delivery_date, time_code), slots 1..48 JST.
"""

from .spot import SPEC, jepx_source

__all__ = ["SPEC", "jepx_source"]
