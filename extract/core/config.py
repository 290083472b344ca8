"""Where things live, and how a source's options are resolved.

One environment variable, ``PMD_DATA_DIR``, moves the archive, the warehouse and the exports.
A source's options (a dataclass, see :mod:`extract.core.source`) come from the command line,
else the environment as ``SOURCES__<SOURCE>__<FIELD>`` (dlt's naming), else their defaults.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_ARCHIVE = REPO_ROOT / "demo" / "archive"
SEEDS_DIR = REPO_ROOT / "dbt_project" / "seeds"


class OptionError(ValueError):
    """A bad option value (the CLI exits 2 with this message)."""


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The data directory: ``--data-dir``, else ``$PMD_DATA_DIR``, else ``data/`` (cwd-relative)."""
    raw = override or os.environ.get("PMD_DATA_DIR") or "data"
    return Path(raw).expanduser().resolve()


def archive_dir(base: Path) -> Path:
    return base / "archive"


def warehouse_path(base: Path) -> Path:
    return base / "warehouse.duckdb"


def exports_dir(base: Path) -> Path:
    return base / "exports"


def env_name(source: str, option: str) -> str:
    return f"SOURCES__{source.upper()}__{option.upper()}"


def resolve_options(source: str, options_type: type, given: Mapping[str, str | None] | None = None,
                    environ: Mapping[str, str] | None = None) -> Any:
    """Build ``options_type`` from command-line text (``given``: field → text or None), then
    the environment, then the defaults. Text goes through the field's ``parse``; a bad value
    raises :class:`OptionError` naming the source, the option and where it came from."""
    environ = os.environ if environ is None else environ
    given = given or {}
    values = {}
    for f in dataclasses.fields(options_type):
        text, origin = given.get(f.name), f"--{f.name.replace('_', '-')}"
        if text is None and env_name(source, f.name) in environ:
            text, origin = environ[env_name(source, f.name)], env_name(source, f.name)
        if text is None:
            continue
        parse = f.metadata.get("parse") or _default_parser(f)
        try:
            values[f.name] = parse(text)
        except ValueError as exc:
            raise OptionError(f"{source}: {origin}: {exc}") from None
    try:
        return options_type(**values)
    except ValueError as exc:
        raise OptionError(f"{source}: {exc}") from None


def _default_parser(f: dataclasses.Field):
    default = f.default
    if isinstance(default, bool):
        return lambda t: t.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int
    if isinstance(default, float):
        return float
    if isinstance(default, tuple):
        return lambda t: tuple(x.strip() for x in t.split(",") if x.strip())
    return str
