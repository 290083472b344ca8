"""Issue 9.1: a crash (SIGKILL) at any step of a load never loses rows, and the ledger never
claims rows that are not there; the next run recovers to exactly the clean load.

``PMD_CRASH_AT=N`` (extract/core/faults.py) kills the run at its N-th checkpoint: the start of
the load, clearing the stage, after parsing a file, after dlt's extract/normalize/load of the
stage, after each statement of the apply transaction, before and after COMMIT. Each crash runs
on its own copy of a loaded data directory; after it, every raw table (count + content hash in
key order) must equal the clean load, and so after ``all --offline`` re-runs.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .faultkit import (
    copy_data,
    ledger_is_backed_by_rows,
    run_forked,
    run_many,
    seed_source,
    snapshot,
)

pytestmark = pytest.mark.faults

# the steps crashed for TSO; JEPX crashes at every step after the stage is cleared (the earlier
# ones have written nothing): at least 13 + 7
TSO_STEPS = ("stage: dlt load done", "apply: begin",
             "apply: area_supply_demand rows of the staged keys deleted",
             "apply: area_supply_demand_realtime old rows of the staged versions deleted",
             "apply: area_supply_demand_realtime inserted",
             "apply: ledger written, before COMMIT", "apply: committed")


def _checkpoints(argv: list[str], log) -> list[str]:
    rc = run_forked(argv, log, {"PMD_CRASH_TRACE": "1"})
    assert rc == 0, log.read_text()
    return [line.split(": ", 1)[1] for line in log.read_text().splitlines()
            if line.startswith("pmd-checkpoint ")]


def _points(source: str, labels: list[str]) -> list[int]:
    if source == "tso":
        points = [i for i, label in enumerate(labels, 1) if label in TSO_STEPS]
        assert len(points) == len(TSO_STEPS), labels
        return points
    return [i for i, label in enumerate(labels, 1)
            if not label.startswith(("load: parsed ", "load: start"))]


@pytest.fixture(scope="module")
def jepx_reload_labels(demo_loaded, tmp_path_factory) -> list[str]:
    base_dir, _, _ = demo_loaded
    tmp = tmp_path_factory.mktemp("jepx-trace")
    trace = copy_data(base_dir, tmp / "data")
    return _checkpoints(["jepx", "--offline", "--reload", "-q", "--data-dir", str(trace)],
                        tmp / "trace.log")


@pytest.mark.parametrize("source", ["jepx", "tso"])
def test_sigkill_at_each_step_of_a_reload_loses_nothing(source, demo_loaded, jepx_reload_labels,
                                                       tmp_path):
    base_dir, clean, _ = demo_loaded
    argv = [source, "--offline", "--reload", "-q"]
    if source == "jepx":
        labels = jepx_reload_labels
    else:
        trace = copy_data(base_dir, tmp_path / "trace")
        labels = _checkpoints([*argv, "--data-dir", str(trace)], tmp_path / "trace.log")
    assert "apply: ledger written, before COMMIT" in labels
    points = _points(source, labels)
    # at least 13 + 7 = 20 points (JEPX gains two per table it loads)
    assert len(points) >= {"jepx": 13, "tso": 7}[source], labels
    dirs = {n: copy_data(base_dir, tmp_path / f"crash-{n}") for n in points}
    rcs = run_many([([*argv, "--data-dir", str(dirs[n])], tmp_path / f"crash-{n}.log",
                     {"PMD_CRASH_AT": str(n)}) for n in points])
    for n, rc in zip(points, rcs, strict=True):
        assert rc == -9, f"not killed at {n} ({labels[n - 1]}): rc={rc}"
        assert snapshot(dirs[n]) == clean, f"rows changed by a crash at {labels[n - 1]}"
        assert not ledger_is_backed_by_rows(dirs[n]), labels[n - 1]
    rcs = run_many([(["all", "--offline", "--data-dir", str(dirs[n]), "-q"],
                     tmp_path / f"rerun-{n}.log", None) for n in points])
    for n, rc in zip(points, rcs, strict=True):
        assert rc == 0, (tmp_path / f"rerun-{n}.log").read_text()
        assert snapshot(dirs[n]) == clean, f"re-run after a crash at {labels[n - 1]}"
    # the crashed states also reload cleanly (stage, dlt state and WAL left by a crash)
    n = points[len(points) // 2]
    assert run_forked([*argv, "--data-dir", str(dirs[n])], tmp_path / "reload.log") == 0
    assert snapshot(dirs[n]) == clean


def test_sigkill_during_the_first_load_then_rerun_gives_the_clean_load(tmp_path):
    """An empty warehouse (JEPX's demo files only): crash the first ``all --offline`` when
    staged but not applied, applied but not committed, and committed; the ledger names only
    rows that are there; the re-run ends with exactly the clean load."""
    pristine = seed_source(tmp_path / "pristine", "jepx")
    clean_dir = copy_data(pristine, tmp_path / "clean")
    argv = ["all", "--offline", "-q", "--data-dir"]
    labels = _checkpoints([*argv, str(clean_dir)], tmp_path / "trace.log")
    clean = snapshot(clean_dir)
    wanted = ("stage: dlt load done", "apply: ledger written, before COMMIT", "apply: committed")
    points = [labels.index(label) + 1 for label in wanted]
    dirs = {n: copy_data(pristine, tmp_path / f"first-{n}") for n in points}
    rcs = run_many([([*argv, str(dirs[n])], tmp_path / f"first-{n}.log",
                     {"PMD_CRASH_AT": str(n)}) for n in points])
    assert rcs == [-9] * len(points)
    for n in points:
        assert not ledger_is_backed_by_rows(dirs[n]), labels[n - 1]
    rcs = run_many([([*argv, str(dirs[n])], tmp_path / f"rerun-{n}.log", None) for n in points])
    for n, rc in zip(points, rcs, strict=True):
        assert rc == 0, (tmp_path / f"rerun-{n}.log").read_text()
        assert snapshot(dirs[n]) == clean, labels[n - 1]


def test_the_real_cli_killed_before_commit_keeps_the_warehouse(demo_loaded, jepx_reload_labels,
                                                               tmp_path):
    """The same through ``python -m extract.run`` in a fresh interpreter."""
    base_dir, clean, _ = demo_loaded
    argv = ["jepx", "--offline", "--reload", "-q"]
    labels = jepx_reload_labels
    n = labels.index("apply: ledger written, before COMMIT") + 1
    data = copy_data(base_dir, tmp_path / "data")
    proc = subprocess.run([sys.executable, "-m", "extract.run", *argv, "--data-dir", str(data)],
                          env={**os.environ, "PMD_CRASH_AT": str(n)}, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == -9, proc.stderr
    assert f"pmd-crash at checkpoint {n}: apply: ledger written, before COMMIT" in proc.stderr
    assert snapshot(data) == clean
    assert run_forked(["all", "--offline", "--data-dir", str(data), "-q"],
                      tmp_path / "rerun.log") == 0
    assert snapshot(data) == clean
