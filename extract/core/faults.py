"""Crash-test hook (used by ``tests/faults``): die at the N-th checkpoint of a run.

``PMD_CRASH_AT=N`` makes the process kill itself with SIGKILL — no cleanup, no ``finally``, like
a power cut — when it reaches the N-th :func:`checkpoint`; ``PMD_CRASH_TRACE=1`` prints every
checkpoint's label to stderr so a test can enumerate them. Checkpoints mark the steps of a load
(parse of each file, dlt extract/normalize/load of the stage, each statement of the apply
transaction, COMMIT) and of an archive write. Without these variables a checkpoint is one
environment lookup.
"""

from __future__ import annotations

import os
import signal
import sys

_reached = 0


def checkpoint(label: str) -> None:
    """A point where a crash must leave the data directory consistent (see module doc)."""
    at = os.environ.get("PMD_CRASH_AT")
    trace = os.environ.get("PMD_CRASH_TRACE")
    if not at and not trace:
        return
    global _reached
    _reached += 1
    if trace:
        print(f"pmd-checkpoint {_reached}: {label}", file=sys.stderr, flush=True)
    if at and _reached == int(at):
        print(f"pmd-crash at checkpoint {_reached}: {label}", file=sys.stderr, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
