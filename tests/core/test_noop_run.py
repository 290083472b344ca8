"""A run with nothing to load stays cheap (issue 11), guarded without timing: in a fresh process
it imports none of the libraries only a download or a load needs, and opens the warehouse once
(read-only) for the ledger reads of every source."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from faults.faultkit import seed_source

from extract.run import main

ROOT = Path(__file__).resolve().parents[2]

# runs ``extract.run`` in this process with duckdb.connect counted; prints one JSON line last
PROBE = r"""
import json, sys
import duckdb
opened = []
_connect = duckdb.connect
def counting(*args, **kwargs):
    opened.append("read-only" if kwargs.get("read_only") else "read-write")
    return _connect(*args, **kwargs)
duckdb.connect = counting
from extract.run import main
code = main(sys.argv[1:])
lazy = ("dlt", "pandas", "requests", "urllib3", "tqdm", "openpyxl", "xlrd", "questionary",
        "pyarrow.compute", "pyarrow.csv", "ssl", "html.parser")
print(json.dumps({"code": code, "opened": opened,
                  "imported": [m for m in lazy if m in sys.modules]}))
"""


def probe(argv: list[str], data: Path) -> dict:
    env = {**os.environ, "PMD_DATA_DIR": str(data), "PMD_NO_PROGRESS": "1"}
    proc = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """The demo JEPX files, of which only the spot results are loaded so far."""
    data = seed_source(tmp_path_factory.mktemp("noop") / "data", "jepx")
    assert main(["jepx", "--offline", "--datasets", "spot_summary", "--data-dir", str(data),
                 "-q"]) == 0
    return data


def test_a_noop_run_imports_no_loader_and_opens_the_warehouse_once(data):
    loading = probe(["all", "--offline", "-q"], data)  # the other JEPX datasets are new
    assert loading["code"] == 0 and "dlt" in loading["imported"]
    assert "pyarrow.compute" in loading["imported"]  # the parsers' lazy pc imported on use
    noop = probe(["all", "--offline", "-q"], data)
    assert noop["code"] == 0
    # dlt, pandas, requests, ssl, pyarrow.compute/csv … are imported where they are used
    assert noop["imported"] == []
    assert noop["opened"] == ["read-only"]  # every source's ledger through one connection


def test_a_missing_raw_column_is_noticed_and_added(data):
    """The no-op's check of the raw tables (instead of a write) sees a missing column or table,
    and the run then adds it as before."""
    import duckdb

    from extract import registry
    from extract.core.pipeline import WarehouseReader

    assert main(["all", "--offline", "--data-dir", str(data), "-q"]) == 0
    sources = [registry.get(n) for n in registry.names()]
    with WarehouseReader(data) as reader:
        assert reader.raw_tables_complete(sources)
    con = duckdb.connect(str(data / "warehouse.duckdb"))
    con.execute("alter table raw_tso.area_supply_demand drop column _fetched_at")
    con.execute("drop table raw_hjks.pmd_file_extents")
    con.close()
    with WarehouseReader(data) as reader:
        assert not reader.raw_tables_complete(sources)
    out = probe(["all", "--offline", "-q"], data)
    assert out["code"] == 0 and out["opened"] == ["read-only", "read-write"]
    with WarehouseReader(data) as reader:
        assert reader.raw_tables_complete(sources)


def test_lazy_module_imports_on_first_use():
    """``lazy_module`` gives the module itself when it is imported already, else a stand-in
    that imports it at the first attribute read and then serves the module's attributes."""
    code = (
        "import sys\n"
        "from extract.core.lazy import lazy_module\n"
        "import json\n"
        "assert lazy_module('json') is json\n"
        "pc = lazy_module('pyarrow.compute')\n"
        "assert 'pyarrow.compute' not in sys.modules, repr(pc)\n"
        "import pyarrow as pa\n"
        "assert pc.sum(pa.array([1, 2, 3])).as_py() == 6\n"
        "assert 'pyarrow.compute' in sys.modules and '(imported)' in repr(pc)\n"
        "assert pc.sum is sys.modules['pyarrow.compute'].sum\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
