"""Modules imported on first use.

A run with nothing to load never calls a parser, so the heavy pieces only parsers need
(``pyarrow.compute`` builds ~300 function wrappers when imported) are imported by the first
attribute read instead of at the import of the source package::

    pc = lazy_module("pyarrow.compute")   # nothing imported yet
    pc.equal(a, b)                         # imports pyarrow.compute, then calls it

``tests/core/test_noop_run.py`` checks that a no-op run leaves them unimported.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands for the module ``name`` and imports it on the first attribute read (later reads
    are served from the module itself, copied here)."""

    __slots__ = ("_lazy_name", "_lazy_module")

    def __init__(self, name: str):
        object.__setattr__(self, "_lazy_name", name)
        object.__setattr__(self, "_lazy_module", None)

    def _load(self) -> ModuleType:
        module = self._lazy_module
        if module is None:
            module = importlib.import_module(self._lazy_name)
            object.__setattr__(self, "_lazy_module", module)
        return module

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._load(), attr)

    def __dir__(self) -> list[str]:
        return dir(self._load())

    def __repr__(self) -> str:
        state = "imported" if self._lazy_module is not None else "not imported yet"
        return f"<lazy module {self._lazy_name!r} ({state})>"


def lazy_module(name: str) -> ModuleType:
    """The module ``name`` itself when it is imported already, else a stand-in that imports it
    on first use."""
    module = sys.modules.get(name)
    if module is not None:
        return module
    return LazyModule(name)  # type: ignore[return-value]
