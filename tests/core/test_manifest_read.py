"""A manifest is read in one JSON parse when every line is a good entry (issue 11: a run with
nothing to load reads every source's manifest); the entries are exactly those read line by
line, and any bad line still falls back to the line-by-line read that names it."""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest

from extract.core.archive import Archive, ArchivedFile, _entries_at_once
from extract.core.config import DEMO_ARCHIVE
from extract.core.errors import ArchiveError

SOURCES = sorted(p.name for p in DEMO_ARCHIVE.iterdir() if (p / "manifest.jsonl").is_file())


def _line_by_line(raw: bytes) -> list[ArchivedFile]:
    return [ArchivedFile(**json.loads(line.decode("utf-8")))
            for line in raw.split(b"\n") if line.strip()]


@pytest.mark.parametrize("source", SOURCES)
def test_the_one_pass_read_gives_the_line_by_line_entries(source):
    raw = (DEMO_ARCHIVE / source / "manifest.jsonl").read_bytes()
    fast = _entries_at_once(raw)
    slow = _line_by_line(raw)
    assert fast is not None and len(fast) == len(slow) > 0
    assert fast == slow
    assert [dataclasses.asdict(e) for e in fast] == [dataclasses.asdict(e) for e in slow]
    assert [e.key for e in fast] == [e.key for e in slow]


def test_defaults_fill_fields_an_older_line_lacks():
    raw = (DEMO_ARCHIVE / SOURCES[0] / "manifest.jsonl").read_bytes()
    entry = json.loads(raw.split(b"\n")[0])
    entry.pop("version", None)
    entry.pop("immutable", None)
    line = json.dumps(entry).encode() + b"\n"
    (fast,) = _entries_at_once(line)
    assert fast == ArchivedFile(**entry) and fast.version == 1 and fast.immutable is None


@pytest.mark.parametrize("tail", [
    b'{"source": "x"',             # a cut last line
    b"1\n",                         # not an object
    b'{"unknown": 1}\n',            # not an entry
    b'{"source": "x"}, {"a": 1}\n',  # two values on one line
    b"\xff\n",                      # not UTF-8
])
def test_any_bad_line_falls_back_to_the_read_that_names_it(tmp_path, tail):
    source = SOURCES[0]
    shutil.copytree(DEMO_ARCHIVE / source, tmp_path / source)
    manifest = tmp_path / source / "manifest.jsonl"
    good = manifest.read_bytes()
    n = len(good.splitlines()) + 1
    manifest.write_bytes(good + tail)
    assert _entries_at_once(manifest.read_bytes()) is None
    with pytest.raises(ArchiveError, match=rf"manifest.jsonl, line {n}: "):
        Archive(tmp_path).entries(source)
    rows, bad = Archive(tmp_path)._read_manifest(source)
    assert rows == _line_by_line(good) and len(bad) == 1
