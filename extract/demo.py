"""Seed a data directory's archive with the bundled demo archive (``demo/archive``).

    python -m extract.demo [--data-dir DIR]

Files are added through the archive like imports (a file already there is not duplicated), so
``python -m extract.run all --offline`` then loads them like any downloaded file.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from .core.archive import Archive
from .core.config import DEMO_ARCHIVE, archive_dir, data_dir


def seed(target_data_dir, demo_root=DEMO_ARCHIVE) -> int:
    source_archive = Archive(demo_root)
    target = Archive(archive_dir(target_data_dir))
    added = 0
    for manifest in sorted(demo_root.glob("*/manifest.jsonl")):
        name = manifest.parent.name
        for entry in source_archive.entries(name):
            _, is_new = target.store(
                source=entry.source, dataset=entry.dataset, name=entry.name,
                data=source_archive.read(entry), url=entry.url, origin="demo",
                period_start=_d(entry.period_start), period_end=_d(entry.period_end),
                status=entry.status,
                # keep the demo's fetch times: snapshots of history datasets stay ordered in time
                fetched_at=datetime.fromisoformat(entry.fetched_at.replace("Z", "+00:00")),
            )
            added += int(is_new)
    return added


def _d(text):
    from datetime import date

    return date.fromisoformat(text) if text else None


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m extract.demo", description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", help="data directory (default: $PMD_DATA_DIR or ./data)")
    args = p.parse_args(argv)
    if not DEMO_ARCHIVE.exists():
        print(f"error: no demo archive at {DEMO_ARCHIVE}", file=sys.stderr)
        return 2
    data = data_dir(args.data_dir)
    n = seed(data)
    print(f"demo archive: {n} new file(s) added to {archive_dir(data)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
