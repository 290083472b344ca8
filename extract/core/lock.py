"""One run at a time per data directory.

Two runs on one data directory would delete each other's dlt working files and stage tables.
Every command that writes takes an exclusive lock on ``<data>/.pmd.lock`` (``flock``: the
kernel releases it when the process ends, even by SIGKILL, so a crash never leaves a stale
lock) and writes its PID into the file. A second run waits up to ``wait`` seconds, then stops
with :class:`DataDirLocked` naming the data directory and the holder's PID.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import ExtractError

LOCK_NAME = ".pmd.lock"


class DataDirLocked(ExtractError):
    """Another process holds the data directory."""


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
    except OSError:
        return "unknown"


@contextlib.contextmanager
def data_dir_lock(data: Path, *, wait: float = 0.0, poll: float = 0.2) -> Iterator[None]:
    """Hold the lock of ``data`` for the ``with`` block (see module doc)."""
    data.mkdir(parents=True, exist_ok=True)
    fd = os.open(data / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    waited = f" after waiting {wait:g}s" if wait > 0 else ""
                    raise DataDirLocked(
                        f"another run holds {data} (pid {_holder(fd)}){waited}; let it finish "
                        "or wait for it with --wait-lock SECONDS") from None
                time.sleep(poll)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
