"""``python -m extract.run config``: every effective setting and where it came from.

Precedence: command-line flag > environment variable > settings file (dlt's
``.dlt/config.toml``) > default. Secrets (``.dlt/secrets.toml``) are listed by key only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tomllib

from rich.console import Console
from rich.table import Table

from .. import registry
from ..core.config import (
    OptionError,
    data_dir_setting,
    env_name,
    http_settings,
    load_settings,
    pmd_setting,
    resolve_options_with_origins,
    toml_text,
)
from ..core.http import make_user_agent

PMD_KEYS = ("data_dir", "contact_email", "user_agent", "request_delay_s", "stale_after_hours",
            "retention_days")


def _flatten_keys(doc, prefix=""):
    for k, v in doc.items():
        if isinstance(v, dict):
            yield from _flatten_keys(v, f"{prefix}{k}.")
        else:
            yield f"{prefix}{k}"


def effective() -> dict:
    doc, path = load_settings()
    http = http_settings()
    dd = data_dir_setting()
    stale = pmd_setting("stale_after_hours", 12.0, parse=float, settings=(doc, path))
    retention = pmd_setting("retention_days", {}, parse=None, settings=(doc, path))
    pmd = {
        "data_dir": (str(dd.value), dd.origin, "PMD_DATA_DIR"),
        "contact_email": (http["contact_email"].value, http["contact_email"].origin,
                          "PMD__CONTACT_EMAIL"),
        "user_agent": (make_user_agent(http["user_agent"].value, http["contact_email"].value),
                       http["user_agent"].origin if http["user_agent"].value else
                       "built in" + (" + contact_email" if http["contact_email"].value else ""),
                       "PMD__USER_AGENT"),
        "request_delay_s": (http["request_delay_s"].value, http["request_delay_s"].origin,
                            "PMD__REQUEST_DELAY_S"),
        "stale_after_hours": (stale.value, stale.origin, "PMD__STALE_AFTER_HOURS"),
        "retention_days": (retention.value, retention.origin, "PMD__RETENTION_DAYS"),
    }
    sources = {}
    warnings = []
    for name in registry.names():
        try:
            spec = registry.get(name)
        except Exception as exc:  # a broken source package is named, the others still shown
            warnings.append(f"source {name} cannot be loaded: {exc}")
            continue
        options, origins = resolve_options_with_origins(name, spec.options, settings=(doc, path))
        sources[name] = {
            f.name: (toml_text(getattr(options, f.name)), origins[f.name], env_name(name, f.name),
                     f.metadata.get("cli"))
            for f in dataclasses.fields(spec.options)
        }
    for key in doc.get("pmd", {}):
        if key not in PMD_KEYS:
            warnings.append(f"{path}: [pmd] {key}: unknown setting (known: {', '.join(PMD_KEYS)})")
    for name, section in doc.get("sources", {}).items():
        if not isinstance(section, dict) or not section:
            continue
        if name not in sources:
            warnings.append(f"{path}: [sources.{name}]: no such source is registered")
            continue
        for key, value in section.items():
            if key not in sources[name] and not isinstance(value, dict):
                warnings.append(f"{path}: [sources.{name}] {key}: not an option of {name} "
                                f"(options: {', '.join(sources[name]) or 'none'})")
    secrets_path = path.with_name("secrets.toml")
    secrets = []
    if secrets_path.is_file():
        try:
            secrets = list(_flatten_keys(tomllib.loads(secrets_path.read_text(encoding="utf-8"))))
        except tomllib.TOMLDecodeError as exc:
            warnings.append(f"{secrets_path}: not valid TOML: {exc}")
    return {"settings_file": str(path), "settings_file_exists": path.is_file(),
            "secrets_file": str(secrets_path), "secret_keys": secrets, "pmd": pmd,
            "sources": sources, "warnings": warnings}


def cmd_config(argv: list[str], out=None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m extract.run config",
        description="Print the effective settings and where each came from (flag > environment "
        "> .dlt/config.toml > default). Secrets are listed by key only.")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    args = p.parse_args(argv)
    out = out or sys.stdout
    try:
        eff = effective()
    except OptionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(eff, out, indent=1, default=str, ensure_ascii=False)
        out.write("\n")
        return 0
    console = Console(file=out, width=None if out.isatty() else 200, markup=False,
                      highlight=False)
    console.print(f"settings file: {eff['settings_file']}"
                  + ("" if eff["settings_file_exists"] else " (not found: defaults apply)"))
    console.print(f"secrets file:  {eff['secrets_file']}" + (
        f" (keys: {', '.join(eff['secret_keys'])}; values not shown)" if eff["secret_keys"]
        else " (none)"))
    table = Table(title="platform settings [pmd]", title_justify="left")
    for col in ("setting", "value", "from", "environment"):
        table.add_column(col, overflow="fold")
    for key, (value, origin, env) in eff["pmd"].items():
        table.add_row(key, str(value) if value not in ("", {}) else "-", origin, env)
    console.print(table)
    table = Table(title="source options [sources.<name>]", title_justify="left")
    for col in ("source", "option", "value", "from", "environment", "flag"):
        table.add_column(col, overflow="fold")
    for name, fields in eff["sources"].items():
        if not fields:
            table.add_row(name, "-", "", "", "", "")
        for field, (value, origin, env, flag) in fields.items():
            table.add_row(name, field, value or "-", origin, env, flag or "")
    console.print(table)
    for w in eff["warnings"]:
        console.print(f"warning: {w}", style="yellow")
    return 0
