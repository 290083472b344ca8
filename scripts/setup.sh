#!/usr/bin/env bash
# Create .venv (Python 3.11) and install the project with its dev tools from pyproject.toml.
# Re-running is cheap: the install is skipped while pyproject.toml is unchanged.
# Source it (". scripts/setup.sh") to get PY, DBT and PMD_DATA_DIR set, or run it directly.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PMD_VENV:-$ROOT/.venv}"

pick_python() {
  for cand in python3.11 python3 python; do
    if command -v "$cand" >/dev/null 2>&1 &&
       "$cand" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null; then
      echo "$cand"; return 0
    fi
  done
  echo "error: Python 3.11 is required (python3.11 not found)" >&2
  return 1
}

if [ ! -x "$VENV/bin/python" ]; then
  PYBIN="$(pick_python)"
  echo "==> creating virtualenv $VENV with $PYBIN"
  "$PYBIN" -m venv "$VENV"
fi
STAMP="$VENV/.pmd-installed"
WANT="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  echo "==> installing powermarketdata and its tools into $VENV (first time takes a few minutes)"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e "$ROOT[dev]"
  echo "$WANT" > "$STAMP"
fi
# byte-compile the project's own modules (only those changed since): where
# PYTHONDONTWRITEBYTECODE is set (some sandboxes and CI) Python never caches them and compiles
# ~70 modules on every command, ~0.2 s of a no-op `extract.run`; a stale .pyc is ignored
"$VENV/bin/python" -m compileall -q "$ROOT/extract" >/dev/null 2>&1 || true

export PATH="$VENV/bin:$PATH"
export PY="$VENV/bin/python"
export DBT="$VENV/bin/dbt"
# one variable moves archive, warehouse and exports, for extract.run and dbt alike (absolute);
# unset, it comes from [pmd] data_dir of .dlt/config.toml, else ./data
if [ -z "${PMD_DATA_DIR:-}" ]; then
  PMD_DATA_DIR="$(cd "$ROOT" && "$VENV/bin/python" -c \
    'from extract.core.config import data_dir; print(data_dir())' 2>/dev/null || echo "$ROOT/data")"
fi
export PMD_DATA_DIR="$(mkdir -p "$PMD_DATA_DIR" && cd "$PMD_DATA_DIR" && pwd)"
export DBT_PROFILES_DIR="$ROOT"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
export RUNTIME__DLTHUB_TELEMETRY=false
