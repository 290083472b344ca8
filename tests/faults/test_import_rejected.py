"""Issue 9.9: a file that fails to import keeps its bytes in the archive's ``_rejected/``
(like a body that failed a download), and the other files of the import still load."""

from __future__ import annotations

import duckdb
import pytest

from extract.core.archive import Archive
from extract.core.config import DEMO_ARCHIVE, archive_dir, warehouse_path
from extract.run import main

pytestmark = pytest.mark.faults


def test_a_failed_import_is_kept_in_rejected(tmp_path, data_dir, capsys):
    demo = Archive(DEMO_ARCHIVE)
    good = tmp_path / "intraday_2024.csv"
    good.write_bytes(demo.read(demo.latest("jepx", "intraday", "intraday_2024.csv")))
    bad = tmp_path / "spot_summary_2024.csv"
    bad_bytes = good.read_bytes()[:-30]  # cut: no final newline
    bad.write_bytes(bad_bytes)
    assert main(["import", "jepx", str(good), str(bad), "--data-dir", str(data_dir), "-q"]) == 1
    out = capsys.readouterr().out
    archive = Archive(archive_dir(data_dir))
    rejected = [e for e in archive.entries("jepx") if e.origin == "rejected"]
    assert len(rejected) == 1
    kept = rejected[0]
    assert kept.path.startswith("jepx/_rejected/_import/spot_summary_2024.csv@")
    assert archive.read(kept) == bad_bytes and kept.url == bad.resolve().as_uri()
    assert f"(bytes kept at {kept.path})" in out
    assert archive.latest("jepx", "spot_summary", "spot_summary_2024.csv") is None
    con = duckdb.connect(str(warehouse_path(data_dir)), read_only=True)
    assert con.execute("select count(*) from raw_jepx.intraday").fetchone() == (672,)
    con.close()  # the good file of the same import was loaded
    assert main(["verify", "jepx", "--data-dir", str(data_dir)]) == 0
