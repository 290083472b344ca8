"""Progress bars on long work (shown on a terminal, silent in CI logs)."""

from __future__ import annotations

import os
import sys


def progress_bar(iterable=None, **kwargs):
    from tqdm import tqdm  # here: a run with nothing to download or load never needs it

    disable = not sys.stderr.isatty() or os.environ.get("PMD_NO_PROGRESS") == "1"
    return tqdm(iterable, disable=disable, leave=False, dynamic_ncols=True, **kwargs)
