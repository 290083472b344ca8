"""Issue 9.8: one run at a time per data directory (a second run stops naming the holder's
PID, or waits with --wait-lock); a DuckDB file held by an analyst's connection gives an error
naming that process, and the closing table is always printed."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from extract.run import main

from .faultkit import seed_source

pytestmark = pytest.mark.faults

HOLD_LOCK = """
import sys
from pathlib import Path
from extract.core.lock import data_dir_lock
with data_dir_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()  # until the test closes stdin (or 60 s: the test's timeout)
"""

HOLD_DUCKDB = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("held", flush=True)
sys.stdin.read()
"""


def _holder(code: str, arg: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", code, str(arg)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def _release(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.stdin.close()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_a_second_run_on_the_same_data_dir_stops_naming_the_holder(tmp_path, capsys):
    data = seed_source(tmp_path / "data", "jepx")
    holder = _holder(HOLD_LOCK, data)
    try:
        assert main(["jepx", "--offline", "--data-dir", str(data), "-q"]) == 1
        out = capsys.readouterr().out
        assert f"another run holds {data} (pid {holder.pid})" in out
        assert re.search(r"source +downloaded", out) and "FAILED (1)" in out  # the closing table
        assert not (data / "warehouse.duckdb").exists()  # nothing was touched
        # --wait-lock: the second run waits (bounded) and runs once the first one ends
        threading.Timer(1.0, holder.stdin.close).start()
        assert main(["jepx", "--offline", "--wait-lock", "120", "--data-dir", str(data),
                     "-q"]) == 0
    finally:
        _release(holder)


def test_a_crashed_run_leaves_no_stale_lock(tmp_path):
    data = seed_source(tmp_path / "data", "jepx")
    holder = _holder(HOLD_LOCK, data)
    holder.kill()  # SIGKILL: the kernel drops the lock
    holder.wait()
    assert main(["verify", "--rebuild-manifest", "jepx", "--data-dir", str(data)]) == 0


def test_a_warehouse_held_by_an_analyst_names_the_process_and_prints_the_table(tmp_path,
                                                                              capsys):
    data = seed_source(tmp_path / "data", "jepx")
    duckdb.connect(str(data / "warehouse.duckdb")).close()
    analyst = _holder(HOLD_DUCKDB, data / "warehouse.duckdb")
    try:
        rc = main(["all", "--offline", "--data-dir", str(data), "-q"])
        captured = capsys.readouterr()
        assert rc == 1
        out = captured.out
        assert re.search(r"source +downloaded", out)  # the closing table, not a traceback
        assert f"is in use by PID {analyst.pid}" in out
        assert "error: [jepx]" in out and "Traceback" not in out + captured.err
        assert "could not create the empty raw tables" in out
    finally:
        _release(analyst)
    assert main(["jepx", "--offline", "--data-dir", str(data), "-q"]) == 0
