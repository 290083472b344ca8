"""Shared pytest fixtures: where the real samples are, and throw-away data directories."""

from __future__ import annotations

import os
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
