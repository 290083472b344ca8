"""Rebuild the bundled demo archive (demo/archive/) from scripts/demo_sources/*.py.

    python scripts/make_demo_archive.py

Each source module's ``demo_files()`` returns format-faithful synthetic files; they are stored
through the same :class:`extract.archive.Archive` as real downloads (origin ``demo``), with a
fixed fetch time so the result is byte-for-byte reproducible.
"""

from __future__ import annotations

import importlib
import pkgutil
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from extract.archive import Archive  # noqa: E402
from extract.config import DEMO_ARCHIVE  # noqa: E402

FETCHED_AT = datetime(2024, 4, 14, 3, 0, tzinfo=UTC)


def main() -> None:
    import demo_sources

    if DEMO_ARCHIVE.exists():
        shutil.rmtree(DEMO_ARCHIVE)
    archive = Archive(DEMO_ARCHIVE)
    total = 0
    for mod in pkgutil.iter_modules(demo_sources.__path__):
        module = importlib.import_module(f"demo_sources.{mod.name}")
        files = module.demo_files()
        for f in files:
            archive.store(source=f["source"], dataset=f["dataset"], name=f["name"], data=f["data"],
                          url=f["url"], origin="demo", period_start=f["period_start"],
                          period_end=f["period_end"], fetched_at=FETCHED_AT)
            total += len(f["data"])
        print(f"{mod.name}: {len(files)} files")
    print(f"demo archive: {DEMO_ARCHIVE} ({total / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
