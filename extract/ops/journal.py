"""The run journal: one JSON line per source per run in ``<data>/ops/runs.jsonl``, so that
``status`` can name a source's last error after the run that hit it has ended."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from ..core.pipeline import SourceResult


def journal_path(data: Path) -> Path:
    return data / "ops" / "runs.jsonl"


def record_runs(results: Iterable[SourceResult], data: Path, command: str = "run") -> None:
    """Append one line per source result (never raises: the journal must not fail a run)."""
    try:
        path = journal_path(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        with path.open("a", encoding="utf-8") as fh:
            for r in results:
                fh.write(json.dumps({
                    "at": now, "command": command, "source": r.source, "ok": r.ok,
                    "downloaded": r.downloaded, "files_loaded": r.files_loaded,
                    "rows_loaded": r.rows_loaded, "errors": r.errors[:20],
                }, ensure_ascii=False) + "\n")
    except OSError:
        pass


def read_runs(data: Path) -> list[dict]:
    path = journal_path(data)
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out
