"""Issue 9.6: the archive is checked, not trusted (sha256 on every read, ``verify``,
``verify --rebuild-manifest``, a missing or cut manifest is an error naming the file/line)."""

from __future__ import annotations

import json
import re

import pytest

from extract.core.archive import Archive
from extract.core.config import DEMO_ARCHIVE, archive_dir
from extract.core.errors import ArchiveError
from extract.run import main

from .faultkit import run_forked, seed_source

pytestmark = pytest.mark.faults


@pytest.fixture
def jepx_data(tmp_path):
    return seed_source(tmp_path / "data", "jepx")


def _archive(data):
    return Archive(archive_dir(data))


def test_a_changed_byte_is_a_clear_error_naming_the_file(jepx_data, capsys):
    entry = _archive(jepx_data).latest("jepx", "spot_summary", "spot_summary_2024.csv")
    path = _archive(jepx_data).abspath(entry)
    raw = bytearray(path.read_bytes())
    raw[500] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(ArchiveError, match="sha256 .* does not match"):
        _archive(jepx_data).read(entry)
    assert main(["jepx", "--offline", "--data-dir", str(jepx_data), "-q"]) == 1
    out = capsys.readouterr().out
    assert f"error: [jepx] {path}: sha256" in out
    assert "FAILED (1)" in out  # the other four files were loaded
    assert main(["verify", "jepx", "--data-dir", str(jepx_data)]) == 1
    assert f"CHANGED {entry.path}" in capsys.readouterr().out


def test_verify_lists_missing_and_unlisted_files(jepx_data, capsys):
    archive = _archive(jepx_data)
    assert main(["verify", "--data-dir", str(jepx_data)]) == 0
    n = len([e for e in archive.entries("jepx") if e.origin != "rejected"])
    assert f"jepx: {n} file(s) ok" in capsys.readouterr().out
    gone = archive.latest("jepx", "intraday", "intraday_2023.csv")
    archive.abspath(gone).unlink()
    stray = archive_dir(jepx_data) / "jepx" / "intraday" / "intraday_2022@20230101T000000Z-0badf00d.csv"
    stray.write_bytes(b"x")
    assert main(["verify", "jepx", "--data-dir", str(jepx_data)]) == 1
    out = capsys.readouterr().out
    assert f"MISSING {gone.path}" in out
    assert "UNLISTED jepx/intraday/intraday_2022@20230101T000000Z-0badf00d.csv" in out


def test_a_deleted_manifest_is_an_error_and_rebuild_restores_it(jepx_data, capsys):
    archive = _archive(jepx_data)
    before = {e.path: e for e in archive.entries("jepx")}
    archive.manifest_path("jepx").unlink()
    assert main(["all", "--offline", "--data-dir", str(jepx_data), "-q"]) == 1
    out = capsys.readouterr().out
    assert f"manifest.jsonl is missing but {len(before)} archived file(s) exist" in out
    assert "verify --rebuild-manifest jepx" in out
    assert main(["verify", "--rebuild-manifest", "jepx", "--data-dir", str(jepx_data)]) == 0
    rebuilt = {e.path: e for e in Archive(archive_dir(jepx_data)).entries("jepx")}
    assert rebuilt.keys() == before.keys()
    for path, e in rebuilt.items():
        assert (e.name, e.dataset, e.sha256, e.fetched_at) == (
            before[path].name, before[path].dataset, before[path].sha256, before[path].fetched_at)
    assert main(["jepx", "--offline", "--data-dir", str(jepx_data), "-q"]) == 0
    assert re.search(rf"jepx .* {len(before)} +[\d,]+ +ok", capsys.readouterr().out)


def test_a_cut_manifest_line_names_file_and_line_and_rebuild_recovers(jepx_data, capsys):
    manifest = _archive(jepx_data).manifest_path("jepx")
    text = manifest.read_text()
    n = len(text.splitlines())
    manifest.write_text(text[:-40])  # a crash cut the last line
    with pytest.raises(ArchiveError, match=rf"manifest.jsonl, line {n}: the last line is cut"):
        _archive(jepx_data).entries("jepx")
    assert main(["jepx", "--offline", "--data-dir", str(jepx_data), "-q"]) == 1
    assert f"{manifest}, line {n}: the last line is cut" in capsys.readouterr().out
    assert main(["verify", "jepx", "--data-dir", str(jepx_data)]) == 1
    out = capsys.readouterr().out
    assert f"line {n}" in out and "UNLISTED" in out
    assert main(["verify", "--rebuild-manifest", "jepx", "--data-dir", str(jepx_data)]) == 0
    assert len(_archive(jepx_data).entries("jepx")) == n
    assert list(manifest.parent.glob("manifest.jsonl.bak-*"))
    assert main(["verify", "jepx", "--data-dir", str(jepx_data)]) == 0


def test_an_append_after_a_cut_line_starts_a_new_line(tmp_path):
    archive = Archive(tmp_path)
    archive.store(source="s", dataset="d", name="a.csv", data=b"1", url="u", origin="import",
                  period_start=None, period_end=None)
    manifest = archive.manifest_path("s")
    manifest.write_bytes(manifest.read_bytes()[:-10])
    fresh = Archive(tmp_path)
    fresh._manifests["s"] = []  # as a writer that read the manifest before the cut
    fresh.store(source="s", dataset="d", name="b.csv", data=b"2", url="u", origin="import",
                period_start=None, period_end=None)
    lines = manifest.read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["name"] == "b.csv"


@pytest.mark.parametrize("step", [1, 2])  # after the body is renamed in; before the append
def test_a_crash_while_archiving_leaves_an_unlisted_file_that_rebuild_adds(step, tmp_path,
                                                                          capsys):
    demo = Archive(DEMO_ARCHIVE)
    src = tmp_path / "intraday_2024.csv"
    src.write_bytes(demo.read(demo.latest("jepx", "intraday", "intraday_2024.csv")))
    data = tmp_path / "data"
    log = tmp_path / "crash.log"
    rc = run_forked(["import", "jepx", str(src), "--data-dir", str(data), "-q"], log,
                    {"PMD_CRASH_AT": str(step)})
    assert rc == -9 and "pmd-crash at checkpoint" in log.read_text()
    report = _archive(data).verify("jepx")
    assert len(report.unlisted) == 1 and not report.bad_lines and report.checked == 0
    with pytest.raises(ArchiveError, match=r"manifest.jsonl is (missing|empty) but 1 archived "
                                           r"file\(s\) exist"):
        _archive(data).entries("jepx")
    assert main(["verify", "--rebuild-manifest", "jepx", "--data-dir", str(data)]) == 0
    assert main(["import", "jepx", str(src), "--data-dir", str(data), "-q"]) == 0
    assert main(["verify", "jepx", "--data-dir", str(data)]) == 0
    assert "jepx: 1 file(s) ok" in capsys.readouterr().out
