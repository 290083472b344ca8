"""Archive versioning, download rules, offline replay, idempotent loads, failure isolation."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest
import requests
from conftest import FIXTURES

from extract import registry
from extract.core.archive import Archive
from extract.core.config import archive_dir, warehouse_path
from extract.core.http import HttpClient, Response
from extract.core.pipeline import run_source
from extract.core.source import RunContext
from extract.run import main
from extract.sources import jepx
from extract.sources.jepx import settings

HEAD = (FIXTURES / "jepx" / "spot_summary_2024_head.csv").read_bytes()
EXCEL = (FIXTURES / "jepx" / "spot_2021_market_excel_head.cp932.csv").read_bytes()
INTRADAY = (FIXTURES / "jepx" / "intraday_2024_head.csv").read_bytes()
TODAY = date(2024, 6, 1)  # FY2023 is closed (immutable), FY2024 is open
FY2023_ROWS = 366 * 48  # a closed fiscal year's file has every slot of every day


def full_fy(head: bytes, fy: int, encoding: str = "utf-8") -> bytes:
    """A complete fiscal-year file: the head's header and first row, repeated for every slot."""
    header, first = head.decode(encoding).splitlines()[:2]
    cells = first.split(",")
    lines = [header]
    day, end = date(fy, 4, 1), date(fy + 1, 3, 31)
    while day <= end:
        for slot in range(1, 49):
            lines.append(",".join([f"{day:%Y/%m/%d}", str(slot), *cells[2:]]))
        day += timedelta(days=1)
    return ("\n".join(lines) + "\n").encode(encoding)


SUMMARY_2023 = full_fy(HEAD, 2023)
EXCEL_2023 = full_fy(EXCEL, 2023, "cp932")
INTRADAY_2023 = full_fy(INTRADAY, 2023)


class FakeClient(HttpClient):
    """Serves bytes by URL and counts requests; no network."""

    def __init__(self, bodies: dict[str, bytes]):
        super().__init__(sleep=lambda s: None)
        self.bodies = bodies
        self.urls: list[str] = []

    def fetch(self, source, url, **kwargs):
        self.urls.append(url)
        return Response(url, 200, self.bodies[url], {})


def bodies(summary_2024: bytes = HEAD, summary_2023: bytes = SUMMARY_2023) -> dict[str, bytes]:
    return {
        settings.SUMMARY_URL.format(fy=2023): summary_2023,
        settings.SUMMARY_URL.format(fy=2024): summary_2024,
        settings.EXCEL_URL.format(fy=2023): EXCEL_2023,
        settings.EXCEL_URL.format(fy=2024): EXCEL,
        settings.INTRADAY_URL.format(fy=2023): INTRADAY_2023,
        settings.INTRADAY_URL.format(fy=2024): INTRADAY,
    }


# the fiscal-year datasets these tests exercise (jepx also plans fit_fip and daily bid curves)
FY_DATASETS = ("spot_summary", "spot_market_excel", "intraday")


def ctx(**kw) -> RunContext:
    return RunContext(start=date(2023, 4, 1), end=TODAY, today=TODAY, datasets=FY_DATASETS, **kw)


def count(data_dir, table="spot_summary") -> int:
    con = duckdb.connect(str(warehouse_path(data_dir)), read_only=True)
    try:
        return con.execute(f"select count(*) from raw_jepx.{table}").fetchone()[0]
    finally:
        con.close()


def test_plan_builds_the_real_urls_with_referer():
    files = jepx.plan(ctx())
    urls = [f.url for f in files]
    assert urls == [
        "https://www.jepx.jp/js/csv_read.php?dir=spot_summary&file=spot_summary_2023.csv",
        "https://www.jepx.jp/market/excel/spot_2023.csv",
        "https://www.jepx.jp/js/csv_read.php?dir=intraday&file=intraday_2023.csv",
        "https://www.jepx.jp/js/csv_read.php?dir=spot_summary&file=spot_summary_2024.csv",
        "https://www.jepx.jp/market/excel/spot_2024.csv",
        "https://www.jepx.jp/js/csv_read.php?dir=intraday&file=intraday_2024.csv",
    ]
    assert files[0].headers["Referer"] == "https://www.jepx.jp/electricpower/market-data/spot/"
    assert files[2].headers["Referer"] == "https://www.jepx.jp/electricpower/market-data/intraday/"
    assert [f.immutable for f in files] == [True, True, True, False, False, False]
    assert (files[0].period_start, files[0].period_end) == (date(2023, 4, 1), date(2024, 3, 31))


def test_plan_default_is_the_current_fiscal_year_and_starts_at_fy2005():
    now = RunContext(start=None, end=None, today=date(2025, 2, 1), datasets=FY_DATASETS)
    assert [f.name for f in jepx.plan(now)] == [
        "spot_summary_2024.csv", "spot_2024.csv", "intraday_2024.csv"]
    old = RunContext(start=date(2001, 1, 1), end=date(2006, 5, 1), today=TODAY, datasets=FY_DATASETS)
    assert [f.name for f in jepx.plan(old)] == ["spot_summary_2005.csv", "spot_summary_2006.csv"]


def test_archive_versions_and_manifest(tmp_path):
    archive = Archive(tmp_path)
    kw = dict(source="jepx", dataset="spot_summary", name="spot_summary_2024.csv",
              url="https://x", origin="download", period_start=date(2024, 4, 1),
              period_end=date(2025, 3, 31))
    first, new1 = archive.store(data=b"abc", **kw)
    same, new2 = archive.store(data=b"abc", **kw)
    second, new3 = archive.store(data=b"abcd", **kw)
    assert (new1, new2, new3) == (True, False, True)
    assert same == first and second.version == 2
    assert archive.abspath(first).read_bytes() == b"abc"  # the old version is kept
    assert archive.abspath(second).read_bytes() == b"abcd"
    reread = Archive(tmp_path)  # the manifest is the source of truth
    assert [e.sha256 for e in reread.versions("jepx", "spot_summary", "spot_summary_2024.csv")] == [
        first.sha256, second.sha256]
    assert reread.latest("jepx", "spot_summary", "spot_summary_2024.csv").bytes == 4
    assert reread.files("jepx", start=date(2025, 4, 1)) == []


def test_closed_period_is_never_downloaded_twice_open_one_is_refetched(data_dir):
    client = FakeClient(bodies())
    first = run_source(jepx.SPEC, ctx(), data_dir, client)
    assert first.ok, first.errors
    assert first.downloaded == 6 and len(client.urls) == 6
    client.urls.clear()
    again = run_source(jepx.SPEC, ctx(), data_dir, client)
    assert again.ok
    assert client.urls == [settings.SUMMARY_URL.format(fy=2024), settings.EXCEL_URL.format(fy=2024),
                           settings.INTRADAY_URL.format(fy=2024)]
    assert (again.already_archived, again.unchanged, again.downloaded) == (3, 3, 0)
    assert again.files_loaded == 0  # nothing changed: nothing to load


def test_refetch_downloads_closed_files_again(data_dir):
    run_source(jepx.SPEC, ctx(), data_dir, FakeClient(bodies()))
    client = FakeClient(bodies())
    result = run_source(jepx.SPEC, ctx(), data_dir, client, refetch=True)
    assert len(client.urls) == 6 and result.unchanged == 6 and result.downloaded == 0


def test_changed_open_file_becomes_a_new_version_and_replaces_rows(data_dir):
    run_source(jepx.SPEC, ctx(), data_dir, FakeClient(bodies()))
    assert count(data_dir) == 3 + FY2023_ROWS
    revised = HEAD.replace(b"2024/04/01,1,19499550", b"2024/04/01,1,19499999")
    result = run_source(jepx.SPEC, ctx(), data_dir, FakeClient(bodies(summary_2024=revised)))
    assert result.ok and result.downloaded == 1
    versions = Archive(archive_dir(data_dir)).versions("jepx", "spot_summary", "spot_summary_2024.csv")
    assert len(versions) == 2
    assert count(data_dir) == 3 + FY2023_ROWS  # merged, not duplicated
    con = duckdb.connect(str(warehouse_path(data_dir)), read_only=True)
    got = con.execute("select sell_bid_volume_kwh from raw_jepx.spot_summary "
                      "where delivery_date = date '2024-04-01' and time_code = 1").fetchall()
    con.close()
    assert got == [(19_499_999,)]


def test_html_served_with_200_is_quarantined_not_archived(data_dir):
    page = b"<html><head><title>Maintenance</title></head><body>sorry</body></html>"
    result = run_source(jepx.SPEC, ctx(), data_dir, FakeClient(bodies(summary_2023=page)))
    assert not result.ok
    assert any("HTML" in e and "spot_summary_2023" in e for e in result.errors)
    archive = Archive(archive_dir(data_dir))
    assert archive.latest("jepx", "spot_summary", "spot_summary_2023.csv") is None
    rejected = [e for e in archive.entries("jepx") if e.origin == "rejected"]
    assert len(rejected) == 1 and archive.abspath(rejected[0]).read_bytes() == page
    assert count(data_dir) == 3  # the good files of the same run still loaded


def test_parse_error_keeps_previous_state_and_bytes(data_dir):
    run_source(jepx.SPEC, ctx(), data_dir, FakeClient(bodies()))
    before = count(data_dir)
    broken = HEAD.replace(b"8.57", b"8.5x", 1)
    result = run_source(jepx.SPEC, ctx(), data_dir, FakeClient(bodies(summary_2024=broken)))
    assert not result.ok
    assert "spot_summary_2024" in result.errors[0] and "line 2" in result.errors[0]
    assert count(data_dir) == before  # nothing of this source was loaded
    latest = Archive(archive_dir(data_dir)).latest("jepx", "spot_summary", "spot_summary_2024.csv")
    assert Archive(archive_dir(data_dir)).read(latest) == broken  # the bytes are kept


def test_running_the_load_twice_gives_the_same_row_counts(data_dir):
    Archive(archive_dir(data_dir)).store(
        source="jepx", dataset="spot_summary", name="spot_summary_2024.csv", data=HEAD,
        url="file:///x", origin="import", period_start=date(2024, 4, 1), period_end=date(2024, 4, 1))
    assert main(["jepx", "--offline", "--data-dir", str(data_dir)]) == 0
    assert count(data_dir) == 3
    assert main(["jepx", "--offline", "--data-dir", str(data_dir), "--reload"]) == 0
    assert count(data_dir) == 3


def test_offline_makes_no_network_request(data_dir, monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("network request in offline mode")

    monkeypatch.setattr(requests.Session, "request", boom)
    monkeypatch.setattr(requests.Session, "send", boom)
    Archive(archive_dir(data_dir)).store(
        source="jepx", dataset="spot_summary", name="spot_summary_2024.csv", data=HEAD,
        url="file:///x", origin="import", period_start=date(2024, 4, 1), period_end=date(2024, 4, 1))
    assert main(["all", "--offline", "--data-dir", str(data_dir)]) == 0
    assert count(data_dir) == 3


def test_importer_uses_the_same_path(data_dir, tmp_path):
    src = tmp_path / "spot_summary_2024.csv"
    src.write_bytes(HEAD)
    excel = tmp_path / "spot_2021.csv"
    excel.write_bytes(EXCEL)
    assert main(["import", "jepx", str(src), str(excel), "--data-dir", str(data_dir)]) == 0
    assert main(["import", "jepx", str(src), "--data-dir", str(data_dir)]) == 0  # no duplicates
    assert count(data_dir) == 3 and count(data_dir, "spot_market_excel") == 2
    entry = Archive(archive_dir(data_dir)).latest("jepx", "spot_summary", "spot_summary_2024.csv")
    assert entry.origin == "import" and entry.url.startswith("file://")


def test_importer_rejects_a_file_that_is_not_jepx(data_dir, tmp_path, capsys):
    bad = tmp_path / "notes.csv"
    bad.write_text("a,b\n1,2\n")
    assert main(["import", "jepx", str(bad), "--data-dir", str(data_dir)]) == 1
    assert "notes.csv" in capsys.readouterr().out


def test_one_failing_source_does_not_stop_the_others(data_dir, monkeypatch, capsys):
    monkeypatch.setitem(registry.SOURCES, "broken", "extract.no_such_module")
    Archive(archive_dir(data_dir)).store(
        source="jepx", dataset="spot_summary", name="spot_summary_2024.csv", data=HEAD,
        url="file:///x", origin="import", period_start=date(2024, 4, 1), period_end=date(2024, 4, 1))
    rc = main(["broken", "jepx", "--offline", "--data-dir", str(data_dir)])
    out = capsys.readouterr().out
    assert rc == 1
    assert "broken" in out and "FAILED" in out
    assert count(data_dir) == 3  # jepx still ran


def test_cli_help_and_list(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "--offline" in capsys.readouterr().out
    assert main(["list"]) == 0
    assert "raw_jepx.spot_summary" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    with pytest.raises(SystemExit) as exc:
        main(["nosuchsource"])
    assert exc.value.code == 2


def test_a_404_on_an_optional_file_is_a_note_but_on_a_required_closed_file_an_error(tmp_path):
    from extract.core.archive import RemoteFile
    from extract.core.errors import FetchError
    from extract.core.pipeline import SourceResult, fetch_into_archive

    class Gone(FakeClient):
        def fetch(self, source, url, **kwargs):
            self.urls.append(url)
            raise FetchError(source, url, "HTTP 404", status=404)

    def remote(name, optional):
        return RemoteFile("jepx", "spot_summary", name, f"https://example.invalid/{name}",
                          date(2016, 4, 1), date(2017, 3, 31), immutable=True, optional=optional)

    result = SourceResult("jepx")
    fetch_into_archive(jepx.SPEC, [remote("old.csv", True), remote("needed.csv", False)],
                       Archive(tmp_path), Gone({}), result)
    assert result.unavailable == 1
    assert len(result.errors) == 1 and "needed.csv" in result.errors[0]
