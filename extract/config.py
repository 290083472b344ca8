"""Where things live. One environment variable, ``PMD_DATA_DIR``, moves them all."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_ARCHIVE = REPO_ROOT / "demo" / "archive"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The data directory: ``--data-dir``, else ``$PMD_DATA_DIR``, else ``data/`` (cwd-relative)."""
    raw = override or os.environ.get("PMD_DATA_DIR") or "data"
    return Path(raw).expanduser().resolve()


def archive_dir(base: Path) -> Path:
    return base / "archive"


def warehouse_path(base: Path) -> Path:
    return base / "warehouse.duckdb"


def exports_dir(base: Path) -> Path:
    return base / "exports"
