"""Name → source. Every package under ``extract/sources/`` that exposes ``SPEC`` is a source;
``extract.run``, the importer and the contract tests all look here.

Sources are imported lazily, so one broken package names itself without stopping the others.
"""

from __future__ import annotations

import importlib
import pkgutil

from . import sources as _sources_pkg
from .core.source import Source

# name → module; discovered from the folder (a new source needs no edit here)
SOURCES: dict[str, str] = {
    m.name: f"{_sources_pkg.__name__}.{m.name}"
    for m in sorted(pkgutil.iter_modules(_sources_pkg.__path__), key=lambda m: m.name)
    if m.ispkg and not m.name.startswith("_")
}


def names() -> list[str]:
    return list(SOURCES)


def get(name: str) -> Source:
    if name not in SOURCES:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(names())}")
    spec = importlib.import_module(SOURCES[name]).SPEC
    if spec.name != name:
        raise RuntimeError(f"{SOURCES[name]}.SPEC is named {spec.name!r}, not {name!r}")
    return spec
