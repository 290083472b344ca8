"""Rebuild the bundled demo archive (demo/archive/) from scripts/demo_sources/*.py.

    python scripts/make_demo_archive.py            # every source
    python scripts/make_demo_archive.py tso jma    # only these modules' sources

Each source module's ``demo_files()`` returns format-faithful synthetic files; they are stored
through the same :class:`extract.core.archive.Archive` as real downloads (origin ``demo``), with a
fixed fetch time so the result is byte-for-byte reproducible (a file may name its own
``fetched_at``: a later version of a re-published file).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from extract.core.archive import Archive  # noqa: E402
from extract.core.config import DEMO_ARCHIVE  # noqa: E402

FETCHED_AT = datetime(2024, 4, 14, 3, 0, tzinfo=UTC)


def main(argv: list[str] | None = None) -> None:
    import demo_sources

    modules = [m.name for m in pkgutil.iter_modules(demo_sources.__path__)]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", choices=[[], *modules], metavar="MODULE",
                        help=f"demo_sources modules to rebuild (default: all of {', '.join(modules)})")
    chosen = parser.parse_args(argv).modules or modules
    produced = {name: importlib.import_module(f"demo_sources.{name}").demo_files() for name in modules}
    # rebuild whole sources (their folders and manifests), from every module that feeds them
    sources = {f["source"] for name in chosen for f in produced[name]}
    for source in sorted(sources):
        if (DEMO_ARCHIVE / source).exists():
            shutil.rmtree(DEMO_ARCHIVE / source)
    archive = Archive(DEMO_ARCHIVE)
    total = 0
    for name, files in produced.items():
        files = [f for f in files if f["source"] in sources]
        for f in files:
            archive.store(source=f["source"], dataset=f["dataset"], name=f["name"], data=f["data"],
                          url=f["url"], origin="demo", period_start=f["period_start"],
                          period_end=f["period_end"],
                          fetched_at=f.get("fetched_at", FETCHED_AT))  # history: later versions
            total += len(f["data"])
        if files:
            print(f"{name}: {len(files)} files")
    print(f"demo archive: {DEMO_ARCHIVE} ({total / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
