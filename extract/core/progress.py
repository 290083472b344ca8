"""Progress bars on long work (shown on a terminal, silent in CI logs)."""

from __future__ import annotations

import os
import sys

from tqdm import tqdm


def progress_bar(iterable=None, **kwargs):
    disable = not sys.stderr.isatty() or os.environ.get("PMD_NO_PROGRESS") == "1"
    return tqdm(iterable, disable=disable, leave=False, dynamic_ncols=True, **kwargs)
