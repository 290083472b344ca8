"""The interactive menu, driven through a pseudo-terminal (pexpect), like a person would."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from extract import registry
from extract.core.config import REPO_ROOT
from extract.demo import seed

pexpect = pytest.importorskip("pexpect")
DOWN, SPACE, ENTER = "\x1b[B", " ", "\r"


def test_without_a_terminal_it_prints_usage_and_exits_2():
    proc = subprocess.run([sys.executable, "-m", "extract.run"], cwd=REPO_ROOT,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "usage: python -m extract.run" in proc.stderr and "status" in proc.stderr


def test_menu_picks_a_dataset_and_runs_it_offline(tmp_path):
    data = tmp_path / "data"
    assert seed(data) > 0
    env = {**os.environ, "PMD_DATA_DIR": str(data), "PROMPT_TOOLKIT_NO_CPR": "1",
           "TERM": "xterm", "PMD_NO_PROGRESS": "1"}
    child = pexpect.spawn(sys.executable, ["-m", "extract.run"], env=env, cwd=str(REPO_ROOT),
                          encoding="utf-8", timeout=120, dimensions=(40, 160))
    log = []
    child.logfile_read = type("L", (), {"write": lambda self, s: log.append(s),
                                        "flush": lambda self: None})()
    try:
        child.expect("Datasets to run")
        child.expect("intraday")  # each choice shows its latest data and rows
        assert "latest never" in "".join(log) and "no table yet" in "".join(log)
        # the choices list every registered source's datasets in registry order
        order = [(n, d) for n in registry.names() for d in registry.get(n).datasets]
        child.send(DOWN * order.index(("jepx", "intraday")) + SPACE + ENTER)
        child.expect("First delivery date")
        child.send(ENTER)
        child.expect("Last delivery date")
        child.send(ENTER)
        child.expect("Network")
        child.send(DOWN + ENTER)  # offline
        child.expect(r"Run jepx: intraday \(incremental")
        child.send("y")
        child.expect("rows loaded")
        child.expect("jepx +0 +0 +0 +0 +2 +1,344 +ok")
        child.expect("Run dbt build now")
        child.send("n")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, "".join(log)[-3000:]
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    assert con.execute("select count(*) from raw_jepx.intraday").fetchone()[0] == 1344
    assert con.execute("select count(*) from raw_jepx.spot_summary").fetchone()[0] == 0
    con.close()
