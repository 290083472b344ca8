"""The raw archive: every downloaded or imported body, byte for byte, with a manifest.

Layout::

    <data>/archive/<source>/<dataset>/<stem>@<fetched UTC>.<ext>   one file per version
    <data>/archive/<source>/_rejected/...                           bodies that were not data
    <data>/archive/<source>/manifest.jsonl                          one JSON row per stored body

A logical file (``source/dataset/name``, e.g. ``src/prices/prices_2024.csv``) may
have several versions: an open period's file is re-fetched and kept again when its sha256
changed. Parsing always reads the archive, so any run can be replayed offline.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .http import Response, SourceHttp


@dataclass(frozen=True)
class RemoteFile:
    """A file a source publishes: where to get it and which period it covers."""

    source: str
    dataset: str
    name: str  # logical file name, e.g. spot_summary_2024.csv
    url: str
    period_start: date
    period_end: date  # inclusive
    immutable: bool  # a closed period: once archived, never downloaded again
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] | None = None
    form: dict[str, str] | None = None  # POST body (application/x-www-form-urlencoded)
    # the publisher may no longer (or not yet) serve it: a 404 is logged, not an error
    optional: bool = False
    # a multi-step download (agree → token → file) on the source's cookie session; it returns
    # the final response, which is checked and archived like a single request's
    fetch: Callable[[SourceHttp, RemoteFile], Response] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ArchivedFile:
    """One stored version of a logical file."""

    source: str
    dataset: str
    name: str
    path: str  # relative to the archive root, POSIX separators
    url: str
    fetched_at: str  # ISO 8601 UTC
    sha256: str
    bytes: int
    status: int | None
    origin: str  # download | import | demo
    period_start: str | None
    period_end: str | None
    version: int = 1

    @property
    def key(self) -> str:
        return f"{self.source}/{self.dataset}/{self.name}"

    def overlaps(self, start: date | None, end: date | None) -> bool:
        if self.period_start is None or self.period_end is None:
            return True
        if start is not None and date.fromisoformat(self.period_end) < start:
            return False
        return not (end is not None and date.fromisoformat(self.period_start) > end)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Archive:
    """Read and write the archive under ``root`` (``<data>/archive``)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._manifests: dict[str, list[ArchivedFile]] = {}

    # -- manifest -------------------------------------------------------------------------
    def manifest_path(self, source: str) -> Path:
        return self.root / source / "manifest.jsonl"

    def entries(self, source: str) -> list[ArchivedFile]:
        if source not in self._manifests:
            rows: list[ArchivedFile] = []
            path = self.manifest_path(source)
            if path.exists():
                for line in path.read_text(encoding="utf-8").splitlines():
                    if line.strip():
                        rows.append(ArchivedFile(**json.loads(line)))
            self._manifests[source] = rows
        return self._manifests[source]

    def _append(self, entry: ArchivedFile) -> None:
        path = self.manifest_path(entry.source)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
        self.entries(entry.source).append(entry)

    # -- queries --------------------------------------------------------------------------
    def versions(self, source: str, dataset: str, name: str) -> list[ArchivedFile]:
        return [
            e
            for e in self.entries(source)
            if e.dataset == dataset and e.name == name and e.origin != "rejected"
        ]

    def latest(self, source: str, dataset: str, name: str) -> ArchivedFile | None:
        versions = self.versions(source, dataset, name)
        return versions[-1] if versions else None

    def files(
        self,
        source: str,
        *,
        datasets: Iterable[str] | None = None,
        start: date | None = None,
        end: date | None = None,
        all_versions: Iterable[str] = (),
    ) -> list[ArchivedFile]:
        """The latest version of every logical file of ``source`` overlapping [start, end];
        every version for the datasets named in ``all_versions`` (revision history)."""
        wanted = set(datasets) if datasets is not None else None
        every = set(all_versions)
        latest: dict[str, ArchivedFile] = {}
        for e in self.entries(source):
            if e.origin == "rejected" or (wanted is not None and e.dataset not in wanted):
                continue
            latest[e.path if e.dataset in every else e.key] = e
        out = [e for e in latest.values() if e.overlaps(start, end)]
        return sorted(out, key=lambda e: (e.dataset, e.period_start or "", e.name, e.fetched_at))

    def abspath(self, entry: ArchivedFile) -> Path:
        return self.root / PurePosixPath(entry.path)

    def read(self, entry: ArchivedFile) -> bytes:
        return self.abspath(entry).read_bytes()

    # -- writes ---------------------------------------------------------------------------
    def store(
        self,
        *,
        source: str,
        dataset: str,
        name: str,
        data: bytes,
        url: str,
        origin: str,
        period_start: date | None,
        period_end: date | None,
        status: int | None = None,
        fetched_at: datetime | None = None,
    ) -> tuple[ArchivedFile, bool]:
        """Store ``data`` as the newest version of a logical file.

        Returns ``(entry, is_new)``. When the bytes equal the latest version nothing is written
        and the existing entry comes back with ``is_new=False``.
        """
        digest = sha256_bytes(data)
        previous = self.versions(source, dataset, name)
        if previous and previous[-1].sha256 == digest:
            return previous[-1], False
        when = (fetched_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        stamp = when.strftime("%Y%m%dT%H%M%SZ")
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, "bin"
        rel = PurePosixPath(source, dataset, f"{stem}@{stamp}-{digest[:8]}.{ext}")
        _atomic_write(self.root / rel, data)
        entry = ArchivedFile(
            source=source,
            dataset=dataset,
            name=name,
            path=str(rel),
            url=url,
            fetched_at=when.isoformat().replace("+00:00", "Z"),
            sha256=digest,
            bytes=len(data),
            status=status,
            origin=origin,
            period_start=period_start.isoformat() if period_start else None,
            period_end=period_end.isoformat() if period_end else None,
            version=len(previous) + 1,
        )
        self._append(entry)
        return entry, True

    def quarantine(
        self, *, source: str, dataset: str, name: str, data: bytes, url: str, status: int | None
    ) -> ArchivedFile:
        """Keep a body that was not data (an HTML error page...) without making it a version."""
        when = datetime.now(UTC).replace(microsecond=0)
        digest = sha256_bytes(data)
        rel = PurePosixPath(
            source, "_rejected", dataset, f"{name}@{when.strftime('%Y%m%dT%H%M%SZ')}-{digest[:8]}"
        )
        _atomic_write(self.root / rel, data)
        entry = ArchivedFile(
            source=source,
            dataset=dataset,
            name=name,
            path=str(rel),
            url=url,
            fetched_at=when.isoformat().replace("+00:00", "Z"),
            sha256=digest,
            bytes=len(data),
            status=status,
            origin="rejected",
            period_start=None,
            period_end=None,
            version=0,
        )
        self._append(entry)
        return entry


def logical_name(label: str) -> str:
    """An archived file's published name: ``.../eria_jukyu_202404_09@20240414T030000Z-1a2b3c4d.csv``
    → ``eria_jukyu_202404_09.csv`` (a plain file name is returned as it is)."""
    base = label.replace("\\", "/").rsplit("/", 1)[-1]
    return re.sub(r"@[0-9TZ]+-[0-9a-f]{8}(?=\.[^.]+$)", "", base)
