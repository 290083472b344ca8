#!/usr/bin/env bash
# The daily job (cron / systemd timer; README "Operating it daily"):
#   1. python -m extract.run due   — fetch and load what the publication calendar says is public
#                                    now and the archive does not hold yet
#   2. dbt build                   — only when step 1 loaded rows (or PMD_DAILY_BUILD=always);
#                                    without dbt's unit tests (they test model logic on fixed
#                                    inputs: CI and scripts/test.sh run them) and with
#                                    PMD_TEST_SCOPE=rebuilt (data tests read the dates this build
#                                    rewrote; PMD_TEST_SCOPE=all tests every row).
#                                    Only the nodes downstream of the sources that loaded rows
#                                    (--select source:<name>+), and no view: a view is only its
#                                    SQL, unchanged while the project's code is (their tests
#                                    still run). The first build, a build after the project's
#                                    code changed (dbt_project/, profiles.yml, pyproject.toml)
#                                    and after a failed build every next one until one succeeds
#                                    build every node and test every row.
#   3. python -m extract.run status — exit 1 when a dataset is stale, 3 when days were lost
# Run it several times a day (e.g. hourly 10:00-22:00 JST): each run does only what is due.
# Exit code: the first failing step's (due 1, dbt 1, status 1/3); 0 when all is well.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. scripts/setup.sh >/dev/null
export PMD_NO_PROGRESS=1

echo "==> $(date -Is) due"
"$PY" -m extract.run due -q "$@"
due_rc=$?
# the rows step 1 loaded, then the dbt nodes downstream of the sources that loaded them (dbt's
# source names are the extractor's; none = every node)
read -r rows select <<<"$("$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(d.get("rows_loaded", 0),
      *(f"source:{s}+" for s, n in sorted(d.get("rows_by_source", {}).items()) if n > 0))' \
        "$PMD_DATA_DIR/ops/last_due.json" 2>/dev/null || echo 0)"
dbt_rc=0
scope="${PMD_TEST_SCOPE:-rebuilt}"
# the project's code: every file dbt reads (not its target/ and logs/), the profile and the
# pinned packages
code="$(find dbt_project profiles.yml pyproject.toml \( -path dbt_project/target \
          -o -path dbt_project/logs -o -path dbt_project/dbt_packages -o -name __pycache__ \) \
          -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum |
        cut -c1-16)"
last="$PMD_DATA_DIR/ops/dbt_last_build"  # "ok <code>" after a build that succeeded
previous="$(cat "$last" 2>/dev/null || echo none)"
# views stay as the last build created them; their tests are still selected (indirect
# selection `empty`: a test is built when the selection names it, as source:<name>+ does, not
# dropped with the view it tests) and still run before the models downstream of the view
views="--indirect-selection empty --exclude config.materialized:view"
full=""
case "$previous" in
  "ok $code") ;;
  none) full="first build" ;;
  failed*) full="the last build failed" ;;
  *) full="the project's code changed" ;;
esac
if [ -n "$full" ]; then
  # the seeds and dimensions no source reaches may be missing or out of date, or the last
  # build failed: build every node, testing every row (a failed test's rows lie outside the
  # next build's window)
  scope=all
  select=""
  views=""
elif [ "${PMD_DAILY_BUILD:-}" = "always" ]; then
  select=""
fi
# a build when rows were loaded, and after a failure or a code change even when none were
if [ "${rows:-0}" -gt 0 ] || [ "${PMD_DAILY_BUILD:-}" = "always" ] ||
   { [ -n "$full" ] && [ "$previous" != none ]; }; then
  echo "==> dbt build ($rows new raw rows; data tests: $scope; nodes: ${select:-all}${views:+, views kept}${full:+; $full})"
  # the code is the last successful build's: its descriptions are in the warehouse already
  # (macros/persist_docs.sql: an incremental run keeps its table's comments)
  docs_unchanged=""
  [ -z "$full" ] && docs_unchanged=1
  # shellcheck disable=SC2086  # $select and $views are lists of arguments
  (cd dbt_project && PMD_TEST_SCOPE="$scope" PMD_DOCS_UNCHANGED="$docs_unchanged" \
     "$DBT" build --profiles-dir "$ROOT" \
     --exclude-resource-type unit_test ${select:+--select $select} $views)
  dbt_rc=$?
  mkdir -p "$(dirname "$last")"
  if [ "$dbt_rc" -ne 0 ]; then echo "failed $code" > "$last"; else echo "ok $code" > "$last"; fi
else
  echo "==> dbt build skipped: nothing new was loaded"
fi
echo "==> status"
"$PY" -m extract.run status
status_rc=$?
for rc in "$due_rc" "$dbt_rc" "$status_rc"; do
  [ "$rc" -ne 0 ] && exit "$rc"
done
exit 0
