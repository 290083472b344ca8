"""Issue 9.7: a repeated (delivery_date, time_code) in a JEPX file is refused naming both
lines (it used to load an arbitrary copy); an empty or header-only file is a clear error (it
used to crash with IndexError)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from extract.core.errors import ParseError
from extract.run import main
from extract.sources import jepx
from extract.sources.jepx.intraday import parse_intraday
from extract.sources.jepx.spot import parse_spot_summary

from .faultkit import jepx_summary_csv

pytestmark = pytest.mark.faults


def test_a_repeated_day_is_refused_naming_both_lines():
    body = jepx_summary_csv(date(2024, 4, 1), date(2024, 4, 2))
    lines = body.decode().splitlines()
    repeated = lines + lines[1:49]  # 2024-04-01 published twice (48 lines appended)
    with pytest.raises(ParseError) as err:
        parse_spot_summary(("\n".join(repeated) + "\n").encode(), "spot_summary_2024.csv")
    assert "delivery date 2024-04-01 time code 1 appears twice (lines 2 and 98)" in str(err.value)
    assert err.value.line == 98


def test_a_repeated_slot_in_an_intraday_file_is_refused():
    text = ("年月日,時刻コード,始値(円/kWh),高値(円/kWh),安値(円/kWh),終値(円/kWh),平均(円/kWh),"
            "約定量合計(kWh),約定件数\n2024/04/01,1,1,1,1,1,1,100,1\n2024/04/01,2,1,1,1,1,1,100,1\n"
            "2024/04/01,1,2,2,2,2,2,200,2\n")
    with pytest.raises(ParseError, match=r"time code 1 appears twice \(lines 2 and 4\)"):
        parse_intraday(text.encode(), "intraday_2024.csv")


@pytest.mark.parametrize("body, why", [
    (b"", "the file is empty (0 bytes)"),
    (b"\r\n", "the file is empty (2 bytes)"),
    (jepx_summary_csv(date(2024, 4, 1), date(2024, 3, 31)), "a header but no data rows"),
])
def test_an_empty_file_is_a_clear_error(body, why, tmp_path, data_dir, capsys):
    with pytest.raises(ParseError, match=re.escape(why)):
        parse_spot_summary(body, "spot_summary_2024.csv")
    with pytest.raises(ParseError, match=re.escape(why)):
        jepx.identify("spot_summary_2024.csv", body)
    path = tmp_path / "spot_summary_2024.csv"
    path.write_bytes(body)
    assert main(["import", "jepx", str(path), "--data-dir", str(data_dir), "-q"]) == 1
    out = capsys.readouterr().out
    assert "error: [jepx] spot_summary_2024.csv, line" in out and why in out
    assert "Traceback" not in out
