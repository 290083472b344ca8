"""The interactive menu (``python -m extract.run`` in a terminal, no arguments), on questionary:
pick sources/datasets (each with its latest data time and row count), a date range and
online/offline, confirm, run with progress bars, then optionally ``dbt build``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import questionary

from .. import registry
from ..core.config import REPO_ROOT, OptionError, data_dir, exports_dir, resolve_options
from ..core.source import RunContext
from ..core.timeutil import JST, today_jst
from .journal import record_runs
from .state import collect


def _valid_date(text: str) -> bool | str:
    if not text.strip():
        return True
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return "a date as YYYY-MM-DD, or empty"
    return True


def dataset_choices(data: Path) -> list[questionary.Choice]:
    specs = []
    for name in registry.names():
        try:
            specs.append(registry.get(name))
        except Exception as exc:  # a broken source package is shown, not fatal
            print(f"note: source {name} cannot be loaded: {exc}", file=sys.stderr)
    choices = []
    for st in collect(specs, data, now=datetime.now(JST)):
        for ds in st.datasets:
            latest = ds.latest_data.strftime("%Y-%m-%d %H:%M") if ds.latest_data else "never"
            rows = "no table yet" if ds.rows is None else f"{ds.rows:,} rows"
            choices.append(questionary.Choice(
                f"{st.source:8s} {ds.dataset:28s} latest {latest:16s} {rows}",
                value=(st.source, ds.dataset)))
    return choices


def _dbt() -> str | None:
    here = Path(sys.executable).with_name("dbt")
    return str(here) if here.exists() else shutil.which("dbt")


def run_menu() -> int:
    from ..core.http import HttpClient, OfflineClient
    from ..core.pipeline import WarehouseReader, run_source
    from ..run import _ensure_all_raw_tables, print_summary, setup_logging

    data = data_dir()
    print(f"powermarketdata — data directory {data}")
    picked = questionary.checkbox(
        "Datasets to run (space: pick, enter: go on)", choices=dataset_choices(data),
        validate=lambda chosen: bool(chosen) or "pick at least one dataset").ask()
    if not picked:
        return 1  # cancelled
    start = questionary.text("First delivery date (YYYY-MM-DD; empty: the incremental update)",
                             validate=_valid_date).ask()
    if start is None:
        return 1
    end = questionary.text("Last delivery date (YYYY-MM-DD; empty: today)",
                           validate=_valid_date).ask()
    if end is None:
        return 1
    online = questionary.select("Network", choices=[
        questionary.Choice("online: download what is new, then load", value=True),
        questionary.Choice("offline: load only what the archive holds", value=False),
    ]).ask()
    if online is None:
        return 1
    start_d = date.fromisoformat(start.strip()) if start.strip() else None
    end_d = date.fromisoformat(end.strip()) if end.strip() else None
    if start_d and end_d and start_d > end_d:
        print("error: the first date is after the last date", file=sys.stderr)
        return 2
    by_source: dict[str, list[str]] = {}
    for source, dataset in picked:
        by_source.setdefault(source, []).append(dataset)
    plan = "; ".join(f"{s}: {', '.join(d)}" for s, d in by_source.items())
    span = f"{start_d or 'incremental'} … {end_d or 'today'}"
    if not questionary.confirm(f"Run {plan} ({span}, {'online' if online else 'offline'})?",
                               default=True).ask():
        print("nothing run")
        return 0
    setup_logging(False, True)
    data.mkdir(parents=True, exist_ok=True)
    exports_dir(data).mkdir(parents=True, exist_ok=True)
    client = HttpClient() if online else OfflineClient()
    results = []
    with WarehouseReader(data) as reader:  # one connection for the ledger reads
        for source, datasets in by_source.items():
            spec = registry.get(source)
            try:
                options = resolve_options(source, spec.options)
            except OptionError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            ctx = RunContext(start=start_d, end=end_d, today=today_jst(), offline=not online,
                             options=options, datasets=tuple(datasets))
            results.append(run_source(spec, ctx, data, client, reader=reader))
        _ensure_all_raw_tables(data, reader)
    record_runs(results, data, command="menu")
    print_summary(results, data)
    ok = all(r.ok for r in results)
    dbt = _dbt()
    if dbt and questionary.confirm("Run dbt build now?", default=ok).ask():
        env = {**os.environ, "PMD_DATA_DIR": str(data)}
        proc = subprocess.run([dbt, "build", "--profiles-dir", str(REPO_ROOT)],
                              cwd=REPO_ROOT / "dbt_project", env=env, check=False)
        ok = ok and proc.returncode == 0
        print("dbt build " + ("passed" if proc.returncode == 0 else "FAILED")
              + "; report: python -m extract.report")
    return 0 if ok else 1
