"""Issue 9.2: a bad body archived for a closed period does not block its source forever: the
version that failed to parse does not count as archived, the next online run downloads the
file again (the bad bytes stay), and the error names ``--refetch``."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from extract.core.archive import Archive
from extract.core.config import archive_dir, warehouse_path
from extract.core.http import HttpClient
from extract.core.pipeline import run_source
from extract.core.source import RunContext
from extract.sources import jepx
from extract.sources.jepx import settings

from .faultkit import jepx_summary_csv

pytestmark = pytest.mark.faults

TODAY = date(2024, 6, 1)  # FY2023 (2023-04-01..2024-03-31) is closed


def _ctx():
    return RunContext(start=date(2023, 4, 1), end=date(2024, 3, 31), today=TODAY,
                      datasets=("spot_summary",))


def test_a_closed_file_that_did_not_parse_is_downloaded_again(local_server, data_dir,
                                                              monkeypatch):
    name, _, first_fy, headers = settings.FY_FILES["spot_summary"]
    monkeypatch.setitem(settings.FY_FILES, "spot_summary",
                        (name, local_server.url("/spot_summary_{fy}.csv"), first_fy, headers))
    good = jepx_summary_csv(date(2023, 4, 1), date(2024, 3, 31))
    bad = good[: len(good) // 2] + b"2023/10/01,1,12\n"  # an error body / cut transfer
    local_server.routes["/spot_summary_2023.csv"] = bad
    client = HttpClient(per_host_delay=0.0, sleep=lambda s: None)

    first = run_source(jepx.SPEC, _ctx(), data_dir, client)
    assert first.downloaded == 1 and not first.ok
    assert "spot_summary_2023" in first.errors[0]
    assert "--refetch --start 2023-04-01 --end 2024-03-31" in first.errors[0]

    local_server.routes["/spot_summary_2023.csv"] = good  # the publisher serves it right now
    second = run_source(jepx.SPEC, _ctx(), data_dir, client)
    assert second.ok, second.errors
    assert (second.downloaded, second.already_archived) == (1, 0)
    assert local_server.hits["/spot_summary_2023.csv"] == 2
    archive = Archive(archive_dir(data_dir))
    versions = archive.versions("jepx", "spot_summary", "spot_summary_2023.csv")
    assert [archive.read(v) for v in versions] == [bad, good]  # the bad bytes are kept
    con = duckdb.connect(str(warehouse_path(data_dir)), read_only=True)
    assert con.execute("select count(*) from raw_jepx.spot_summary").fetchone()[0] == 366 * 48
    assert con.execute("select count(*) from raw_jepx.pmd_failed_files").fetchone()[0] == 0
    con.close()

    third = run_source(jepx.SPEC, _ctx(), data_dir, client)  # closed and good: never again
    assert third.ok and third.already_archived == 1
    assert local_server.hits["/spot_summary_2023.csv"] == 2
