"""The raw archive: every downloaded or imported body, byte for byte, with a manifest.

Layout::

    <data>/archive/<source>/<dataset>/<stem>@<fetched UTC>.<ext>   one file per version
    <data>/archive/<source>/_rejected/...                           bodies that were not data
    <data>/archive/<source>/manifest.jsonl                          one JSON row per stored body

A logical file (``source/dataset/name``, e.g. ``src/prices/prices_2024.csv``) may
have several versions: an open period's file is re-fetched and kept again when its sha256
changed. Parsing always reads the archive, so any run can be replayed offline.

The archive is checked, not trusted: every read compares the file's sha256 with its manifest
entry; a manifest line that cannot be read, or archived files without a manifest, stop the
source with an :class:`ArchiveError` naming the file (and line). A body is written to a
temporary file, fsynced and renamed before its manifest line is appended with one ``write`` +
``fsync``, so a crash leaves at worst an unlisted file or a cut last line, both of which
:meth:`Archive.verify` reports and :meth:`Archive.rebuild_manifest` repairs from the file names
(``<stem>@<UTC stamp>-<sha8>.<ext>``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .errors import ArchiveError
from .faults import checkpoint

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
    # the final response, which is checked and archived like a single request's — or, when
    # every step's answer is data (a list, then one body per listed item), a list of
    # (RemoteFile, Response) pairs: each body is checked and archived byte for byte as its own
    # logical file, under its own RemoteFile's dataset, name and period
    fetch: Callable[[SourceHttp, RemoteFile], Response | list[tuple[RemoteFile, Response]]] | None = (
        field(default=None, compare=False))


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
    # the period was closed when this version was fetched (its extent is known); None: unknown
    immutable: bool | None = None

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
        _fsync_dir(path.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


MANIFEST = "manifest.jsonl"
_VERSION_NAME = re.compile(r"^(?P<stem>.+)@(?P<stamp>\d{8}T\d{6}Z)-(?P<sha8>[0-9a-f]{8})(?:\.(?P<ext>[^.]+))?$")


@dataclass
class VerifyReport:
    """What :meth:`Archive.verify` found for one source."""

    source: str
    checked: int = 0  # manifest entries whose file exists and matches its sha256
    missing: list[str] = field(default_factory=list)  # entries whose file is gone
    changed: list[str] = field(default_factory=list)  # files whose sha256 differs
    unlisted: list[str] = field(default_factory=list)  # files without a manifest entry
    bad_lines: list[str] = field(default_factory=list)  # unreadable manifest lines
    manifest_missing: bool = False

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed or self.unlisted or self.bad_lines)


class Archive:
    """Read and write the archive under ``root`` (``<data>/archive``)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._manifests: dict[str, list[ArchivedFile]] = {}

    # -- manifest -------------------------------------------------------------------------
    def manifest_path(self, source: str) -> Path:
        return self.root / source / "manifest.jsonl"

    def entries(self, source: str) -> list[ArchivedFile]:
        """The manifest of ``source``, oldest first. An unreadable line, or archived files
        without any manifest, raise :class:`ArchiveError` (``verify --rebuild-manifest``)."""
        if source not in self._manifests:
            path = self.manifest_path(source)
            rows: list[ArchivedFile] = []
            if path.exists():
                rows, bad = self._read_manifest(source)
                if bad:
                    raise ArchiveError(
                        f"[{source}] {bad[0]}; a crash may have cut the line: `python -m "
                        f"extract.run verify --rebuild-manifest {source}` rebuilds the manifest "
                        "from the archived files")
            if not rows:
                files = self.data_files(source)
                if files:
                    state = "is empty" if path.exists() else "is missing"
                    raise ArchiveError(
                        f"[{source}] {path} {state} but {len(files)} archived file(s) exist "
                        f"under {path.parent} (e.g. {files[0]}): run `python -m extract.run "
                        f"verify --rebuild-manifest {source}` to rebuild it from the files")
            self._manifests[source] = rows
        return self._manifests[source]

    def _read_manifest(self, source: str) -> tuple[list[ArchivedFile], list[str]]:
        """(entries, problems) — every readable line, and one message per unreadable one."""
        path = self.manifest_path(source)
        rows: list[ArchivedFile] = []
        bad: list[str] = []
        raw = path.read_bytes()
        lines = raw.split(b"\n")
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            cut = n == len(lines) and not raw.endswith(b"\n")
            try:
                rows.append(ArchivedFile(**json.loads(line.decode("utf-8"))))
            except (ValueError, TypeError) as exc:
                why = "the last line is cut (no newline)" if cut else f"not a manifest entry: {exc}"
                bad.append(f"{path}, line {n}: {why}")
        return rows, bad

    def _append(self, entry: ArchivedFile) -> None:
        """Append one manifest line with a single ``write`` and ``fsync`` (crash-safe)."""
        path = self.manifest_path(entry.source)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = (json.dumps(asdict(entry), ensure_ascii=False) + "\n").encode("utf-8")
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line  # never glue a new entry onto a line a crash cut
            checkpoint("archive: before manifest append")
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
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
        """The bytes of ``entry``, checked against the manifest's sha256."""
        path = self.abspath(entry)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ArchiveError(f"[{entry.source}] {path}: archived file is missing (listed in "
                               f"{self.manifest_path(entry.source)}); run `python -m "
                               f"extract.run verify {entry.source}`") from None
        digest = sha256_bytes(data)
        if digest != entry.sha256:
            raise ArchiveError(
                f"[{entry.source}] {path}: sha256 {digest[:16]}… does not match the manifest's "
                f"{entry.sha256[:16]}… — the archived file was changed or damaged; restore it or "
                f"run `python -m extract.run verify {entry.source}`")
        return data

    # -- checks ---------------------------------------------------------------------------
    def sources(self) -> list[str]:
        """Source directories present in the archive."""
        if not self.root.exists():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and not
                      p.name.startswith("."))

    def data_files(self, source: str) -> list[str]:
        """Every stored body of ``source`` (paths relative to the root), manifest aside."""
        base = self.root / source
        if not base.exists():
            return []
        out = []
        for p in sorted(base.rglob("*")):
            if p.is_file() and p.parent != base and not p.name.startswith("."):
                out.append(p.relative_to(self.root).as_posix())
        return out

    def verify(self, source: str) -> VerifyReport:
        """Check every manifest entry's file (exists, sha256) and list files without an entry."""
        report = VerifyReport(source)
        entries: list[ArchivedFile] = []
        if self.manifest_path(source).exists():
            entries, report.bad_lines = self._read_manifest(source)
        else:
            report.manifest_missing = True
        listed = set()
        for e in entries:
            listed.add(e.path)
            path = self.abspath(e)
            if not path.exists():
                report.missing.append(e.path)
            elif sha256_bytes(path.read_bytes()) != e.sha256:
                report.changed.append(e.path)
            else:
                report.checked += 1
        report.unlisted = [f for f in self.data_files(source) if f not in listed]
        return report

    def rebuild_manifest(self, source: str) -> VerifyReport:
        """Write a new manifest from the archived files: readable entries whose file matches
        are kept as they are; unlisted files are added from their names
        (``<stem>@<stamp>-<sha8>.<ext>``: fetched time, sha; url and period unknown).
        Changed files (sha256 ≠ manifest or name) and entries whose file is gone are left out
        and reported. The old manifest is kept as ``manifest.jsonl.bak-<stamp>``."""
        report = self.verify(source)
        kept: list[ArchivedFile] = []
        if self.manifest_path(source).exists():
            entries, _ = self._read_manifest(source)
            bad = set(report.missing) | set(report.changed)
            kept = [e for e in entries if e.path not in bad]
        added: list[ArchivedFile] = []
        for rel in report.unlisted:
            entry = self._entry_from_name(source, rel)
            if entry is None:
                report.changed.append(rel)
            else:
                added.append(entry)
        rows = sorted([*kept, *added], key=lambda e: e.fetched_at)  # stable: kept order first
        counts: dict[str, int] = {}
        out = []
        for e in rows:
            if e.origin != "rejected":
                counts[e.key] = counts.get(e.key, 0) + 1
                e = ArchivedFile(**{**asdict(e), "version": counts[e.key]})
            out.append(e)
        path = self.manifest_path(source)
        if path.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            os.replace(path, path.with_name(f"{MANIFEST}.bak-{stamp}"))
        body = "".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in out)
        _atomic_write(path, body.encode("utf-8"))
        self._manifests.pop(source, None)
        report.checked = len(out)
        return report

    def _entry_from_name(self, source: str, rel: str) -> ArchivedFile | None:
        parts = PurePosixPath(rel).parts  # source/dataset/file or source/_rejected/dataset/file
        rejected = len(parts) == 4 and parts[1] == "_rejected"
        if len(parts) != 3 and not rejected:
            return None
        m = _VERSION_NAME.match(parts[-1])
        if not m:
            return None
        data = (self.root / rel).read_bytes()
        digest = sha256_bytes(data)
        if not digest.startswith(m["sha8"]):
            return None
        when = datetime.strptime(m["stamp"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        name = m["stem"] if rejected or not m["ext"] else f"{m['stem']}.{m['ext']}"
        return ArchivedFile(
            source=source, dataset=parts[-2], name=name, path=rel, url="",
            fetched_at=when.isoformat().replace("+00:00", "Z"), sha256=digest, bytes=len(data),
            status=None, origin="rejected" if rejected else "rebuilt", period_start=None,
            period_end=None, version=0)

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
        immutable: bool | None = None,
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
        if previous and fetched_at is None:
            # versions of one file are ordered by their fetch time (second resolution): a new
            # version fetched within the same second as the last one still comes after it
            last = datetime.fromisoformat(previous[-1].fetched_at.replace("Z", "+00:00"))
            when = max(when, last + timedelta(seconds=1))
        stamp = when.strftime("%Y%m%dT%H%M%SZ")
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, "bin"
        rel = PurePosixPath(source, dataset, f"{stem}@{stamp}-{digest[:8]}.{ext}")
        _atomic_write(self.root / rel, data)
        checkpoint("archive: body written, manifest not yet")
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
            immutable=immutable,
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
