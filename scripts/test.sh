#!/usr/bin/env bash
# README command 2: set up like the demo, then run every check:
# ruff, sqlfluff lint, and pytest (unit tests, real-sample tests, and the end-to-end test that
# runs the offline extract + `dbt build` on the demo archive and reads the Parquet exports).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# lint and tests use their own throw-away data directory, never your data/
export PMD_DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/pmd-test.XXXXXX")"
trap 'rm -rf "$PMD_DATA_DIR"' EXIT
. scripts/setup.sh

echo "==> ruff check"
ruff check extract tests scripts
echo "==> sqlfluff lint"
sqlfluff lint dbt_project/models
echo "==> pytest"
set +e
"$PY" -m pytest "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit "$rc"
