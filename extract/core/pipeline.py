"""Run one source: plan → fetch into the archive → parse from the archive → load (see load.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from .archive import Archive, ArchivedFile, RemoteFile
from .config import archive_dir, warehouse_path
from .errors import ExtractError, FetchError, SessionExpired
from .http import HttpClient, Response
from .load import (
    connect,
    failed_versions,
    files_to_load,
    load_files,
    source_table_schemas,
    table_is_current,
    versions_without_extents,
)
from .progress import progress_bar
from .source import RunContext, Source
from .textio import looks_like_html

log = logging.getLogger(__name__)

# how many bytes of tables parsed by ``identify`` an import keeps for its load (the rest are
# parsed again from the archive instead of being held in memory)
IMPORT_KEEP_BYTES = 1 << 30


@dataclass
class SourceResult:
    source: str
    downloaded: int = 0
    imported: int = 0
    already_archived: int = 0
    unchanged: int = 0
    unavailable: int = 0  # optional files the publisher no longer serves (404)
    files_loaded: int = 0
    rows_loaded: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class WarehouseReader:
    """One read-only connection for a run's ledger reads (what each source loaded, what failed,
    which extents are known) and its closing check of the raw tables, instead of opening the
    warehouse for every read of every source.

    Opened on the first read; closed before a source downloads (a long fetch never holds the
    file) or loads (the load opens its own read-write connection), and opened again by the
    next read. ``opened`` counts the opens (a run with nothing to load opens it once)."""

    def __init__(self, data: Path):
        self.data = data
        self.opened = 0
        self._con = None

    def con(self, who: str = ""):
        """The open connection; None while there is no warehouse file yet."""
        if self._con is None:
            if not warehouse_path(self.data).exists():
                return None
            self._con = connect(self.data, read_only=True, who=who)
            self.opened += 1
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def raw_tables_complete(self, sources: list[Source]) -> bool:
        """True when ``ensure_raw_tables(sources)`` would change nothing: every raw table and
        ledger of every source exists with all its columns and no dlt-only column is left."""
        con = self.con()
        if con is None:
            return False
        have: dict[tuple[str, str], set[str]] = {}
        for schema, table, column in con.execute(
                "select table_schema, table_name, column_name from information_schema.columns "
                "where starts_with(table_schema, 'raw_')").fetchall():
            have.setdefault((schema, table), set()).add(column)
        return all(table_is_current(have.get((f"raw_{source.name}", name), set()), schema)
                   for source in sources for name, schema, _ in source_table_schemas(source))

    def __enter__(self) -> WarehouseReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def fetch_into_archive(
    source: Source,
    remote: list[RemoteFile],
    archive: Archive,
    client: HttpClient,
    result: SourceResult,
    *,
    refetch: bool = False,
    failed: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Download what is not archived yet (and every open-period file), keeping all bytes.

    ``refetch`` downloads closed-period files again too (a new version is kept only when the
    bytes changed). A closed-period file whose latest archived version is in ``failed`` (it
    did not parse) counts as not archived: it is downloaded again. A remote file with its own
    ``fetch`` routine runs it on the source's cookie session; its final response is checked
    and archived like any other (a routine returning several bodies has each archived as its
    own logical file).
    """
    http = client.for_source(source.name)
    for rf in progress_bar(remote, desc=f"{source.name} download", unit="file"):
        latest = archive.latest(rf.source, rf.dataset, rf.name)
        if rf.immutable and latest is not None and not refetch:
            if latest.path not in failed:
                result.already_archived += 1
                continue
            log.info("%s: %s: the archived version %s did not parse; downloading it again",
                     source.name, rf.name, latest.path)
        try:
            if rf.fetch is not None:
                try:
                    resp = rf.fetch(http, rf)
                except SessionExpired as exc:
                    log.info("%s: %s; starting a new session", source.name, exc)
                    http.reset()
                    resp = rf.fetch(http, rf)
            else:
                resp = http.request(rf.url, method=rf.method, headers=rf.headers,
                                    params=rf.params, form=rf.form)
        except FetchError as exc:
            if exc.status == 404 and not rf.immutable:
                log.info("%s: not published yet (404): %s", source.name, rf.url)
                continue
            if exc.status == 404 and rf.optional:
                log.warning("%s: not served any more (404), skipped: %s", source.name, rf.url)
                result.unavailable += 1
                continue
            result.errors.append(str(exc))
            log.error("%s", exc)
            continue
        except ExtractError as exc:  # a multi-step routine's own diagnosis
            result.errors.append(str(exc))
            log.error("%s", exc)
            continue
        parts = resp if isinstance(resp, list) else [(rf, resp)]
        for part, body in parts:
            _keep(source, archive, result, part, body)


def _keep(source: Source, archive: Archive, result: SourceResult, rf: RemoteFile,
          resp: Response) -> None:
    """Check one downloaded body and archive it as a version of ``rf`` (or quarantine it)."""
    url = resp.url
    bad = None
    if source.validate is not None:  # the source's own check names the cause best
        try:
            source.validate(rf, resp.content)
        except ExtractError as exc:
            bad = str(exc)
    if bad is None and looks_like_html(resp.content):
        bad = "an HTML page was served instead of data"
    if bad:
        kept = archive.quarantine(
            source=rf.source, dataset=rf.dataset, name=rf.name, data=resp.content,
            url=url, status=resp.status,
        )
        msg = f"[{source.name}] {rf.name} ({url}): {bad} (HTTP {resp.status}); bytes kept at {kept.path}"
        result.errors.append(msg)
        log.error("%s", msg)
        return
    entry, is_new = archive.store(
        source=rf.source, dataset=rf.dataset, name=rf.name, data=resp.content, url=url,
        origin="download", period_start=rf.period_start, period_end=rf.period_end,
        status=resp.status, immutable=rf.immutable,
    )
    log.debug("%s: %s → %s%s", source.name, url, entry.path, "" if is_new else " (unchanged)")
    if is_new:
        result.downloaded += 1
    else:
        result.unchanged += 1


def load_into_warehouse(source: Source, files: list[ArchivedFile], archive: Archive, data: Path,
                        result: SourceResult, *, allow_shrink: bool = False,
                        parsed: dict[str, dict[str, pa.Table]] | None = None,
                        reader: WarehouseReader | None = None) -> None:
    """Parse and load ``files``; a file that fails is named in ``result.errors``. Older archived
    versions whose data extent is unknown are measured on the way (publication lags).
    ``parsed`` holds tables already parsed by archive path (the importer's identify);
    ``reader``: the run's shared connection for the ledger read (closed before a load)."""
    older = versions_without_extents(source, archive, data,
                                     reader.con(source.name) if reader else None)
    if not files and not older:
        return
    if reader is not None:
        reader.close()
    bar = progress_bar(total=len(files), desc=f"{source.name} parse+load", unit="file")
    try:
        report = load_files(source, files, archive, data, progress=lambda e, n: bar.update(1),
                            allow_shrink=allow_shrink, extent_only=older, parsed=parsed)
    finally:
        bar.close()
    result.files_loaded += report.files_loaded
    result.rows_loaded += report.rows_loaded
    result.errors += report.errors


def run_source(
    source: Source,
    ctx: RunContext,
    data: Path,
    client: HttpClient,
    *,
    reload: bool = False,
    refetch: bool = False,
    allow_shrink: bool = False,
    reader: WarehouseReader | None = None,
) -> SourceResult:
    """Plan, download, and load what the warehouse lacks. ``reader``: the run's shared
    connection for the ledger reads (by default one of this source's own)."""
    result = SourceResult(source.name)
    archive = Archive(archive_dir(data))
    own = reader is None
    reader = WarehouseReader(data) if reader is None else reader
    try:
        if not ctx.offline:
            client.add_hosts(source.hosts)
            ctx.archive = archive
            ctx.http = client.for_source(source.name)
            remote = source.plan(ctx)
            failed = failed_versions(data, source, reader.con(source.name))
            reader.close()  # a download may take long: the warehouse stays free meanwhile
            fetch_into_archive(source, remote, archive, client, result, refetch=refetch,
                               failed=failed)
        files = files_to_load(source, archive, data, start=ctx.start, end=ctx.end, reload=reload,
                              con=reader.con(source.name))
        if ctx.datasets is not None:
            files = [f for f in files if f.dataset in ctx.datasets]
        load_into_warehouse(source, files, archive, data, result, allow_shrink=allow_shrink,
                            reader=reader)
    except ExtractError as exc:
        result.errors.append(str(exc))
        log.error("%s", exc)
    except Exception as exc:  # one source's bug must not stop the others
        log.exception("%s: unexpected error", source.name)
        result.errors.append(f"[{source.name}] unexpected {type(exc).__name__}: {exc}")
    finally:
        if own:
            reader.close()
    return result


def import_files(
    source: Source, paths: list[Path], data: Path, *, reload: bool = False,
    allow_shrink: bool = False,
) -> SourceResult:
    """Copy hand-downloaded files into the archive, then load them on the normal path.

    Each file is parsed once: the tables ``identify`` parsed (``Identified.tables``) are what
    the load stages, up to :data:`IMPORT_KEEP_BYTES` of them in memory (beyond that, a file is
    parsed again from the archive in the load rather than held)."""
    result = SourceResult(source.name)
    archive = Archive(archive_dir(data))
    entries: list[ArchivedFile] = []
    parsed: dict[str, dict[str, pa.Table]] = {}
    kept_bytes = 0
    for path in paths:
        raw = path.read_bytes()
        try:
            ident = source.identify(path.name, raw)
        except ExtractError as exc:  # keep the bytes, like a body that failed a download
            kept = archive.quarantine(source=source.name, dataset="_import", name=path.name,
                                      data=raw, url=path.resolve().as_uri(), status=None)
            msg = f"{exc} (bytes kept at {kept.path})"
            result.errors.append(msg)
            log.error("%s", msg)
            continue
        entry, is_new = archive.store(
            source=source.name, dataset=ident.dataset, name=ident.name, data=raw,
            url=path.resolve().as_uri(), origin="import",
            period_start=ident.period_start, period_end=ident.period_end,
        )
        if ident.tables is not None and entry.path not in parsed:
            tables = source.datasets[ident.dataset].as_tables(ident.tables)
            size = sum(t.nbytes for t in tables.values())
            if kept_bytes + size <= IMPORT_KEEP_BYTES:
                parsed[entry.path] = tables
                kept_bytes += size
            else:
                log.debug("%s: %s: over the import's memory budget, parsed again in the load",
                          source.name, path)
        result.imported += int(is_new)
        result.unchanged += int(not is_new)
        log.debug("%s: %s → %s (%s, %s … %s)%s", source.name, path, entry.path, ident.dataset,
                  ident.period_start, ident.period_end, "" if is_new else " already archived")
        entries.append(entry)
    if not reload:
        wanted = {e.path for e in files_to_load(source, archive, data, start=None, end=None)}
        entries = [e for e in entries if e.path in wanted]
    parsed = {e.path: parsed[e.path] for e in entries if e.path in parsed}
    try:
        load_into_warehouse(source, entries, archive, data, result, allow_shrink=allow_shrink,
                            parsed=parsed)
    except ExtractError as exc:
        result.errors.append(str(exc))
    return result
