"""Where things live, and how a source's options are resolved.

One environment variable, ``PMD_DATA_DIR``, moves the archive, the warehouse and the exports.
A source's options (a dataclass, see :mod:`extract.core.source`) come from the command line,
else the environment as ``SOURCES__<SOURCE>__<FIELD>`` (dlt's naming), else the settings file,
else their defaults.

The settings file is dlt's own ``.dlt/config.toml`` (in ``$DLT_PROJECT_DIR``, else the current
directory when it has one, else the repository root): ``[sources.<name>] <field> = value`` for
a source's options (the same names dlt maps ``SOURCES__<NAME>__<FIELD>`` onto) and a ``[pmd]``
section for the platform (data dir, User-Agent contact, default per-host delay). Every value
resolved here carries its origin, so ``extract.run config`` can say where it came from.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_ARCHIVE = REPO_ROOT / "demo" / "archive"
SEEDS_DIR = REPO_ROOT / "dbt_project" / "seeds"


class OptionError(ValueError):
    """A bad option value (the CLI exits 2 with this message)."""


# -- the settings file -------------------------------------------------------------------------
@dataclass(frozen=True)
class Setting:
    """A resolved value and where it came from (``default``, ``env NAME``, ``<file> [sec] key``,
    or a command-line flag)."""

    value: Any
    origin: str


def settings_path(environ: Mapping[str, str] | None = None) -> Path:
    """dlt's project config file: ``$DLT_PROJECT_DIR/.dlt/config.toml``, else ``./.dlt/config.toml``
    when the current directory has one, else the repository's ``.dlt/config.toml``."""
    environ = os.environ if environ is None else environ
    if environ.get("DLT_PROJECT_DIR"):
        return Path(environ["DLT_PROJECT_DIR"]).expanduser() / ".dlt" / "config.toml"
    here = Path.cwd() / ".dlt" / "config.toml"
    return here if here.exists() else REPO_ROOT / ".dlt" / "config.toml"


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None
                  ) -> tuple[dict[str, Any], Path]:
    """The parsed settings file (``{}`` when absent) and its path; bad TOML is an OptionError."""
    path = path or settings_path(environ)
    if not path.is_file():
        return {}, path
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), path
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise OptionError(f"{path}: not valid TOML: {exc}") from None


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def toml_text(value: Any) -> str:
    """A TOML value as the text a flag or variable would give (lists joined by commas)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(toml_text(v) for v in value)
    return str(value)


def pmd_setting(key: str, default: Any, *, env: tuple[str, ...] = (),
                parse: Callable[[str], Any] | None = str, environ: Mapping[str, str] | None = None,
                settings: tuple[Mapping[str, Any], Path] | None = None) -> Setting:
    """A platform setting ``[pmd] key``: the first of ``env`` (else ``PMD__<KEY>``, dlt's
    naming) that is set, else the settings file, else ``default``. ``parse=None`` keeps the
    file's TOML value as it is (a table, a list) and environment text as text."""
    environ = os.environ if environ is None else environ
    for name in env or (f"PMD__{key.upper()}",):
        if environ.get(name):
            text = environ[name]
            return Setting(text if parse is None else _parse(parse, text, f"env {name}"),
                           f"env {name}")
    doc, path = settings if settings is not None else load_settings(environ=environ)
    section = doc.get("pmd", {})
    if isinstance(section, Mapping) and key in section:
        origin = f"{_display(path)} [pmd] {key}"
        if parse is None:
            return Setting(section[key], origin)
        return Setting(_parse(parse, toml_text(section[key]), origin), origin)
    return Setting(default, "default")


def _parse(parse: Callable[[str], Any], text: str, origin: str) -> Any:
    try:
        return parse(text)
    except ValueError as exc:
        raise OptionError(f"{origin}: {exc}") from None


def data_dir_setting(override: str | os.PathLike | None = None,
                     environ: Mapping[str, str] | None = None) -> Setting:
    if override:
        return Setting(Path(override).expanduser().resolve(), "--data-dir")
    settings = load_settings(environ=environ)
    s = pmd_setting("data_dir", "data", env=("PMD_DATA_DIR", "PMD__DATA_DIR"), environ=environ,
                    settings=settings)
    path = Path(s.value).expanduser()
    if s.origin.endswith("[pmd] data_dir") and not path.is_absolute():
        path = settings[1].parent.parent / path  # relative to the project holding .dlt/
    return Setting(path.resolve(), s.origin)


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The data directory: ``--data-dir``, else ``$PMD_DATA_DIR``, else ``[pmd] data_dir`` of the
    settings file, else ``data/`` (cwd-relative)."""
    return data_dir_setting(override).value


def http_settings(environ: Mapping[str, str] | None = None) -> dict[str, Setting]:
    """The HTTP client's settings: ``user_agent`` (a full replacement, rarely needed),
    ``contact_email`` (added to the User-Agent so publishers can reach you) and
    ``request_delay_s`` (the default minimum spacing between two requests to one host)."""
    settings = load_settings(environ=environ)
    return {
        "user_agent": pmd_setting("user_agent", "", environ=environ, settings=settings),
        "contact_email": pmd_setting("contact_email", "", environ=environ, settings=settings),
        "request_delay_s": pmd_setting("request_delay_s", 1.0, parse=float, environ=environ,
                                       settings=settings),
    }


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
    the environment, then the settings file, then the defaults. Text goes through the field's
    ``parse``; a bad value raises :class:`OptionError` naming the source, the option and where
    it came from."""
    return resolve_options_with_origins(source, options_type, given, environ)[0]


def resolve_options_with_origins(
    source: str, options_type: type, given: Mapping[str, str | None] | None = None,
    environ: Mapping[str, str] | None = None,
    settings: tuple[Mapping[str, Any], Path] | None = None,
) -> tuple[Any, dict[str, str]]:
    """:func:`resolve_options` and, per field, where its value came from."""
    environ = os.environ if environ is None else environ
    given = given or {}
    doc, path = settings if settings is not None else load_settings(environ=environ)
    section = doc.get("sources", {}).get(source, {})
    section = section if isinstance(section, Mapping) else {}
    values, origins = {}, {}
    for f in dataclasses.fields(options_type):
        origin = f.metadata.get("cli") or f"--{f.name.replace('_', '-')}"
        text = given.get(f.name)
        if text is None and env_name(source, f.name) in environ:
            text, origin = environ[env_name(source, f.name)], f"env {env_name(source, f.name)}"
        if text is None and f.name in section:
            text = toml_text(section[f.name])
            origin = f"{_display(path)} [sources.{source}] {f.name}"
        if text is None:
            origins[f.name] = "default"
            continue
        parse = f.metadata.get("parse") or _default_parser(f)
        try:
            values[f.name] = parse(text)
        except ValueError as exc:
            raise OptionError(f"{source}: {origin}: {exc}") from None
        origins[f.name] = origin
    try:
        return options_type(**values), origins
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
