"""Name → source. ``extract.run all|<name>`` and ``extract.run import <name>`` both look here."""

from __future__ import annotations

import importlib

from .source import SourceSpec

# name → module holding a ``SPEC`` (imported lazily so one broken module names itself)
SOURCES: dict[str, str] = {
    "jepx": "extract.jepx",
    "tso": "extract.tso",
    "jma": "extract.jma",
}


def get(name: str) -> SourceSpec:
    if name not in SOURCES:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(SOURCES)}")
    return importlib.import_module(SOURCES[name]).SPEC


def names() -> list[str]:
    return list(SOURCES)
