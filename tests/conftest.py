"""Shared pytest fixtures: where the real samples are, and throw-away data directories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_SAMPLES = REPO.parent / "shared" / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
os.environ.setdefault("PMD_NO_PROGRESS", "1")


def sample(source: str, name: str) -> Path:
    """Path of a real file in ../shared/samples/<source>/, or skip the test when absent."""
    path = SHARED_SAMPLES / source / name
    if not path.exists():
        pytest.skip(
            f"../shared/samples not present ({path}): real-sample tests need the shared folder "
            "beside the repo"
        )
    return path


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("PMD_DATA_DIR", str(d))
    return d


DBT = Path(sys.executable).with_name("dbt")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The demo archive, extracted offline and built with dbt once per test session:
    (data directory, dbt stdout). Every e2e test file shares it."""
    from extract.core.config import DEMO_ARCHIVE
    from extract.demo import seed
    from extract.run import main

    if not DEMO_ARCHIVE.exists():
        pytest.fail("demo/archive is missing: run scripts/make_demo_archive.py")
    data = tmp_path_factory.mktemp("e2e") / "data"
    assert seed(data) > 0
    assert main(["all", "--offline", "--data-dir", str(data)]) == 0
    env = {**os.environ, "PMD_DATA_DIR": str(data), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.run(
        [str(DBT), "build", "--profiles-dir", str(REPO), "--target-path",
         str(data / "dbt_target"), "--log-path", str(data / "dbt_logs")],
        cwd=REPO / "dbt_project", env=env, capture_output=True, text=True, timeout=1500,
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    return data, proc.stdout


@pytest.fixture(scope="module")
def warehouse(built):
    """A read-only connection to the demo build's warehouse."""
    import duckdb

    data, _ = built
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()
