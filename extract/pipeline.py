"""Run one source: plan → fetch into the archive → parse from the archive → load with dlt."""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from .archive import Archive, ArchivedFile, RemoteFile
from .config import archive_dir, warehouse_path
from .errors import ExtractError, FetchError, ParseError
from .http import HttpClient
from .progress import progress_bar
from .source import RunContext, SourceSpec
from .textio import looks_like_html

# dlt: no telemetry (no network), resources evaluated in order (the file ledger goes last)
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
os.environ.setdefault("EXTRACT__NEXT_ITEM_MODE", "fifo")

import dlt  # noqa: E402  (after the environment above)
from dlt.pipeline.exceptions import PipelineStepFailed  # noqa: E402

log = logging.getLogger(__name__)


@dataclass
class SourceResult:
    source: str
    downloaded: int = 0
    already_archived: int = 0
    unchanged: int = 0
    unavailable: int = 0  # optional files the publisher no longer serves (404)
    files_loaded: int = 0
    rows_loaded: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def fetch_into_archive(
    spec: SourceSpec,
    remote: list[RemoteFile],
    archive: Archive,
    client: HttpClient,
    result: SourceResult,
    *,
    refetch: bool = False,
) -> None:
    """Download what is not archived yet (and every open-period file), keeping all bytes.

    ``refetch`` downloads closed-period files again too (a new version is kept only when the
    bytes changed).
    """
    for rf in progress_bar(remote, desc=f"{spec.name} download", unit="file"):
        latest = archive.latest(rf.source, rf.dataset, rf.name)
        if rf.immutable and latest is not None and not refetch:
            result.already_archived += 1
            continue
        try:
            resp = client.fetch(
                spec.name, rf.url, method=rf.method, headers=rf.headers, params=rf.params, form=rf.form
            )
        except FetchError as exc:
            if exc.status == 404 and not rf.immutable:
                log.info("%s: not published yet (404): %s", spec.name, rf.url)
                continue
            if exc.status == 404 and rf.optional:
                log.warning("%s: not served any more (404), skipped: %s", spec.name, rf.url)
                result.unavailable += 1
                continue
            result.errors.append(str(exc))
            log.error("%s", exc)
            continue
        url = resp.url
        bad = None
        if spec.validate is not None:  # the source's own check names the cause best
            try:
                spec.validate(rf, resp.content)
            except ExtractError as exc:
                bad = str(exc)
        if bad is None and looks_like_html(resp.content):
            bad = "an HTML page was served instead of data"
        if bad:
            kept = archive.quarantine(
                source=rf.source, dataset=rf.dataset, name=rf.name, data=resp.content,
                url=url, status=resp.status,
            )
            msg = f"[{spec.name}] {rf.name} ({url}): {bad} (HTTP {resp.status}); bytes kept at {kept.path}"
            result.errors.append(msg)
            log.error("%s", msg)
            continue
        _, is_new = archive.store(
            source=rf.source, dataset=rf.dataset, name=rf.name, data=resp.content, url=url,
            origin="download", period_start=rf.period_start, period_end=rf.period_end,
            status=resp.status,
        )
        if is_new:
            result.downloaded += 1
        else:
            result.unchanged += 1


def loaded_versions(db: Path, source: str) -> dict[tuple[str, str], str]:
    """(dataset, name) → sha256 of the version last loaded, read from the warehouse ledger."""
    if not db.exists():
        return {}
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return {}
    try:
        rows = con.execute(
            f'select dataset, name, sha256 from "raw_{source}"."pmd_loaded_files"'
        ).fetchall()
    except duckdb.Error:
        return {}
    finally:
        con.close()
    return {(d, n): s for d, n, s in rows}


def ensure_raw_tables(data: Path, specs: list[SourceSpec]) -> list[str]:
    """Create every missing ``raw_<source>.<dataset>`` as an empty table (landing contract).

    dbt's staging views select from every raw table; a source that was never run would
    otherwise break ``dbt build`` for all. dlt later merges into these tables as usual.
    Returns the tables created.
    """
    created = []
    db = warehouse_path(data)
    db.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db))
    try:
        existing = {
            (s, t)
            for s, t in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        for spec in specs:
            schema = f"raw_{spec.name}"
            for ds in spec.datasets.values():
                if ds.schema is None or (schema, ds.name) in existing:
                    continue
                empty = ds.schema.empty_table()
                empty = empty.append_column("_source_file", pa.array([], pa.string()))
                empty = empty.append_column(
                    "_fetched_at", pa.array([], pa.timestamp("us", tz="UTC"))
                )
                con.execute(f'create schema if not exists "{schema}"')
                con.register("_pmd_empty", empty)
                con.execute(f'create table "{schema}"."{ds.name}" as select * from _pmd_empty')
                con.unregister("_pmd_empty")
                created.append(f"{schema}.{ds.name}")
    finally:
        con.close()
    return created


def make_pipeline(spec_name: str, data: Path) -> dlt.Pipeline:
    return dlt.pipeline(
        pipeline_name=f"pmd_{spec_name}",
        destination=dlt.destinations.duckdb(str(warehouse_path(data))),
        dataset_name=f"raw_{spec_name}",
        pipelines_dir=str(data / ".dlt" / "pipelines"),
    )


def load_files(
    spec: SourceSpec, files: list[ArchivedFile], archive: Archive, data: Path, result: SourceResult
) -> None:
    """Parse ``files`` from the archive and merge them into ``raw_<source>`` in one dlt run."""
    if not files:
        return
    bar = progress_bar(total=len(files), desc=f"{spec.name} parse+load", unit="file")

    def progress(entry: ArchivedFile, rows: int) -> None:
        result.rows_loaded += rows
        bar.update(1)

    source = spec.dlt_source(files, archive, progress)
    pipeline = make_pipeline(spec.name, data)
    rows_before = result.rows_loaded
    try:
        pipeline.run(source, loader_file_format="parquet")
    except PipelineStepFailed as exc:
        result.rows_loaded = rows_before
        cause = _root_cause(exc)
        if isinstance(cause, ExtractError):
            result.errors.append(str(cause))
        else:
            result.errors.append(f"[{spec.name}] load failed: {type(cause).__name__}: {cause}")
        log.error("%s: nothing loaded for this source: %s", spec.name, result.errors[-1])
        # drop the failed package so the next run starts clean
        shutil.rmtree(Path(pipeline.working_dir) / "normalize", ignore_errors=True)
        pipeline.abort_packages()
        return
    finally:
        bar.close()
    result.files_loaded = len(files)


def _root_cause(exc: BaseException) -> BaseException:
    seen = exc
    while True:
        nxt = getattr(seen, "exception", None) or seen.__cause__ or seen.__context__
        if nxt is None or nxt is seen:
            return seen
        if isinstance(nxt, ParseError | ExtractError):
            return nxt
        seen = nxt


def run_source(
    spec: SourceSpec,
    ctx: RunContext,
    data: Path,
    client: HttpClient,
    *,
    reload: bool = False,
    refetch: bool = False,
) -> SourceResult:
    result = SourceResult(spec.name)
    archive = Archive(archive_dir(data))
    try:
        if not ctx.offline:
            # plans may look at what is archived already (e.g. to fetch only what is new)
            ctx.options.setdefault("archive", archive)
            ctx.options.setdefault("client", client)  # e.g. to read a publisher's file list
            remote = spec.plan(ctx)
            fetch_into_archive(spec, remote, archive, client, result, refetch=refetch)
        files = archive.files(spec.name, start=ctx.start, end=ctx.end)
        if not reload:
            done = loaded_versions(warehouse_path(data), spec.name)
            files = [f for f in files if done.get((f.dataset, f.name)) != f.sha256]
        load_files(spec, files, archive, data, result)
    except ExtractError as exc:
        result.errors.append(str(exc))
        log.error("%s", exc)
    except Exception as exc:  # one source's bug must not stop the others
        log.exception("%s: unexpected error", spec.name)
        result.errors.append(f"[{spec.name}] unexpected {type(exc).__name__}: {exc}")
    return result


def import_files(
    spec: SourceSpec, paths: list[Path], data: Path, *, reload: bool = False
) -> SourceResult:
    """Copy hand-downloaded files into the archive, then load them on the normal path."""
    result = SourceResult(spec.name)
    archive = Archive(archive_dir(data))
    entries: list[ArchivedFile] = []
    for path in paths:
        raw = path.read_bytes()
        try:
            ident = spec.identify(path.name, raw)
        except ExtractError as exc:
            result.errors.append(str(exc))
            log.error("%s", exc)
            continue
        entry, is_new = archive.store(
            source=spec.name, dataset=ident.dataset, name=ident.name, data=raw,
            url=path.resolve().as_uri(), origin="import",
            period_start=ident.period_start, period_end=ident.period_end,
        )
        result.downloaded += int(is_new)
        result.unchanged += int(not is_new)
        entries.append(entry)
    if not reload:
        done = loaded_versions(warehouse_path(data), spec.name)
        entries = [f for f in entries if done.get((f.dataset, f.name)) != f.sha256]
    try:
        load_files(spec, entries, archive, data, result)
    except ExtractError as exc:
        result.errors.append(str(exc))
    return result
