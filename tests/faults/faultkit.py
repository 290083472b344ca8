"""Helpers for the fault tests: demo data directories, warehouse snapshots, forked runs, a
local HTTP server.

A forked child runs ``extract.run.main`` exactly as ``python -m extract.run`` would (same
process image, modules already imported, so a run costs no interpreter start-up); it is killed
with SIGKILL by the ``PMD_CRASH_AT`` hook (``extract/core/faults.py``) or by the watchdog here.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

CHILD_TIMEOUT = 180.0  # seconds; a child still running then is killed and the test fails


def seed_demo(data: Path) -> Path:
    from extract.demo import seed

    assert seed(data) > 0
    return data


def copy_data(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def snapshot(data: Path) -> dict[str, tuple[int, str]]:
    """Every raw table (and the ledger without its load time): row count + an md5 of its rows
    in sorted order. Stage tables and dlt's bookkeeping are left out."""
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables where table_schema "
            "like 'raw\\_%' escape '\\' and table_name not like '\\_pmd\\_stage\\_\\_%' escape '\\' "
            "and table_name not like '\\_dlt%' escape '\\' order by 1, 2").fetchall()
        out = {}
        for schema, name in tables:
            cols = "* exclude (loaded_at)" if name == "pmd_loaded_files" else "*"
            count, digest = con.execute(
                f'select count(*), md5(coalesce(string_agg(r, chr(10) order by r), \'\')) from '
                f'(select cast(t as varchar) as r from (select {cols} from '
                f'"{schema}"."{name}") t)').fetchone()
            out[f"{schema}.{name}"] = (count, digest)
        return out
    finally:
        con.close()


def ledger_is_backed_by_rows(data: Path) -> list[str]:
    """Ledger rows of ``latest`` versions whose rows are not in the warehouse (should be none)."""
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    problems = []
    try:
        schemas = [r[0] for r in con.execute(
            "select distinct table_schema from information_schema.tables where table_name = "
            "'pmd_loaded_files'").fetchall()]
        for schema in schemas:
            tables = [r[0] for r in con.execute(
                "select table_name from information_schema.columns where table_schema = ? and "
                "column_name = '_source_file'", [schema]).fetchall()
                if not r[0].startswith("_pmd_stage__")]
            union = " union all ".join(f'select _source_file from "{schema}"."{t}"' for t in tables)
            for path, rows, found in con.execute(
                    f'select l.path, l.rows, (select count(*) from ({union}) u where '
                    f'u._source_file = l.path) from "{schema}".pmd_loaded_files l').fetchall():
                if rows and not found:
                    problems.append(f"{schema}: ledger claims {rows} rows of {path}, none loaded")
    finally:
        con.close()
    return problems


def _start(argv: list[str], log: Path, env: dict[str, str] | None) -> int:
    from extract.run import main

    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # child: never returns into pytest
        rc = 99
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            sys.stdout = os.fdopen(1, "w", buffering=1)
            sys.stderr = os.fdopen(2, "w", buffering=1)
            os.environ.update(env or {})
            rc = main(argv)
        except BaseException as exc:  # noqa: BLE001 - report anything, exit non-zero
            print(f"child raised {type(exc).__name__}: {exc}", file=sys.stderr)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(rc)
    return pid


def run_many(jobs: list[tuple[list[str], Path, dict[str, str] | None]], parallel: int = 4
             ) -> list[int]:
    """Run ``extract.run.main(argv)`` for each job in forked children, ``parallel`` at a time;
    return each exit code, or -signal (-9 for SIGKILL). A child still running after
    CHILD_TIMEOUT is killed and the test fails."""
    results: dict[int, int] = {}
    running: dict[int, tuple[int, float]] = {}  # pid -> (job index, deadline)
    todo = list(enumerate(jobs))
    while todo or running:
        while todo and len(running) < parallel:
            i, (argv, log, env) = todo.pop(0)
            running[_start(argv, log, env)] = (i, time.monotonic() + CHILD_TIMEOUT)
        for pid, (i, deadline) in list(running.items()):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                del running[pid]
                results[i] = (-os.WTERMSIG(status) if os.WIFSIGNALED(status)
                              else os.WEXITSTATUS(status))
            elif time.monotonic() > deadline:
                for other in running:
                    os.kill(other, signal.SIGKILL)
                    os.waitpid(other, 0)
                argv, log, _ = jobs[i]
                pytest.fail(f"child {argv} still running after {CHILD_TIMEOUT}s; log:\n"
                            + log.read_text(errors="replace")[-3000:])
        time.sleep(0.05)
    return [results[i] for i in range(len(jobs))]


def run_forked(argv: list[str], log: Path, env: dict[str, str] | None = None) -> int:
    """Run ``extract.run.main(argv)`` in one forked child; its exit code, or -signal."""
    return run_many([(argv, log, env)], 1)[0]


def preload() -> None:
    """Import what a run imports, once, so that forked runs start fast."""
    import dlt.destinations.impl.duckdb.duck  # noqa: F401
    import dlt.extract  # noqa: F401
    import dlt.load  # noqa: F401
    import dlt.normalize  # noqa: F401
    import dlt.pipeline.pipeline  # noqa: F401
    import openpyxl  # noqa: F401
    import pandas  # noqa: F401

    from extract import registry

    for name in registry.names():
        registry.get(name)


@pytest.fixture(scope="session")
def demo_loaded(tmp_path_factory) -> tuple[Path, dict, Path]:
    """(a data directory with the demo archive loaded by ``all --offline``, its snapshot, a
    data directory with the same archive and no warehouse)."""
    os.environ.setdefault("PMD_NO_PROGRESS", "1")
    preload()
    root = tmp_path_factory.mktemp("faults-demo")
    pristine = seed_demo(root / "archive-only")
    data = copy_data(pristine, root / "data")
    log = root / "load.log"
    assert run_forked(["all", "--offline", "--data-dir", str(data), "-q"], log) == 0, \
        log.read_text()
    return data, snapshot(data), pristine


def seed_source(data: Path, source: str) -> Path:
    """A data directory whose archive holds the demo files of one source only."""
    from extract.core.archive import Archive
    from extract.core.config import DEMO_ARCHIVE, archive_dir
    from extract.demo import _d

    demo = Archive(DEMO_ARCHIVE)
    target = Archive(archive_dir(data))
    for e in demo.entries(source):
        target.store(source=e.source, dataset=e.dataset, name=e.name, data=demo.read(e),
                     url=e.url, origin="demo", period_start=_d(e.period_start),
                     period_end=_d(e.period_end), status=e.status)
    return data


# -- a local HTTP server ---------------------------------------------------------------------
Route = bytes | Callable[[BaseHTTPRequestHandler], None]


class LocalServer:
    """A real HTTP server on 127.0.0.1 (a thread). ``routes[path]`` is a body served with
    status 200, or a function writing the whole response itself (resets, short bodies...).
    ``hits[path]`` counts the requests."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        self.stop = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                outer.hits[self.path] = outer.hits.get(self.path, 0) + 1
                route = outer.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif isinstance(route, bytes):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/csv")
                    self.send_header("Content-Length", str(len(route)))
                    self.end_headers()
                    self.wfile.write(route)
                else:
                    route(self)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def close(self) -> None:
        self.stop.set()  # handlers that dribble or hang watch this
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def local_server():
    server = LocalServer()
    yield server
    server.close()


# -- JEPX files -------------------------------------------------------------------------------
def jepx_summary_csv(first, last, *, value: str = "2452500") -> bytes:
    """A spot_summary file (the real header) with every slot of the days first..last; each row
    ends with ``value`` (the buy-block contract volume, kWh)."""
    from datetime import timedelta

    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "jepx"
    header = (fixtures / "spot_summary_2024_head.csv").read_text(encoding="utf-8").splitlines()[0]
    lines = [header]
    day = first
    while day <= last:
        for slot in range(1, 49):
            lines.append(f"{day:%Y/%m/%d},{slot},5000,1000,500,8.5" + ",8.5" * 9
                         + f",0,0,0,{value}")
        day += timedelta(days=1)
    return ("\n".join(lines) + "\n").encode("utf-8")
