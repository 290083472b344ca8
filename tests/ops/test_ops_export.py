"""extract.export round trip on the demo build: exact row counts, tz-aware timestamps."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import duckdb
import pyarrow.parquet as pq
import pytest

from extract.export import main

pytestmark = pytest.mark.e2e
AREAS, PERIODS = 9, 48


def test_parquet_with_a_date_range(built, tmp_path, capsys):
    data, _ = built
    out = tmp_path / "spot.parquet"
    assert main(["fct_jepx_spot_area_prices", "--start", "2024-04-01", "--end", "2024-04-02",
                 "--out", str(out), "--data-dir", str(data)]) == 0
    assert f"{2 * PERIODS * AREAS:,} rows" in capsys.readouterr().out
    table = pq.read_table(out)
    assert table.num_rows == 2 * PERIODS * AREAS
    jst = table.schema.field("delivery_start_jst").type
    assert jst.tz is not None  # tz-aware: the JST wall clock became an instant
    first = min(table.column("delivery_start_jst").to_pylist())
    assert first == datetime(2024, 3, 31, 15, 0, tzinfo=UTC)  # 2024-04-01 00:00 JST
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    cols = [d[0] for d in con.execute(
        "select * from marts.fct_jepx_spot_area_prices limit 0").description]
    con.close()
    assert table.column_names == cols


def test_csv_is_utf8_with_offsets(built, tmp_path, capsys):
    data, _ = built
    out = tmp_path / "spot.csv"
    assert main(["fct_jepx_spot_area_prices", "--format", "csv", "--start", "2024-04-01",
                 "--end", "2024-04-01", "--out", str(out), "--data-dir", str(data)]) == 0
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == PERIODS * AREAS
    starts = sorted(r["delivery_start_jst"] for r in rows)
    assert starts[0] == "2024-04-01T00:00:00+09:00" and starts[-1] == "2024-04-01T23:30:00+09:00"
    assert all(datetime.fromisoformat(r["delivery_start_jst"]).tzinfo for r in rows)
    assert rows[0]["delivery_date"] == "2024-04-01"
    assert main(["marts.dim_area", "--format", "csv", "--bom", "--out", str(tmp_path / "a.csv"),
                 "--data-dir", str(data)]) == 0
    raw = (tmp_path / "a.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "北海道".encode() in raw


def test_feature_mart_whole(built, tmp_path, capsys):
    data, _ = built
    out = tmp_path / "ml.parquet"
    assert main(["ml_features", "--out", str(out), "--data-dir", str(data)]) == 0
    # 28 demo days with prices + the scoring day after the last auction
    assert pq.read_metadata(out).num_rows == 29 * PERIODS * AREAS


def test_unknown_model_exits_2(built, capsys):
    data, _ = built
    assert main(["no_such_mart", "--data-dir", str(data)]) == 2
    assert "fct_jepx_spot_area_prices" in capsys.readouterr().err  # lists the known ones
