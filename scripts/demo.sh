#!/usr/bin/env bash
# README command 1: set everything up and run the whole job OFFLINE on the bundled demo archive.
#   ./scripts/demo.sh            (PMD_DATA_DIR=/some/dir ./scripts/demo.sh to put data elsewhere)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. scripts/setup.sh

echo "==> seeding $PMD_DATA_DIR/archive from the bundled demo archive"
"$PY" -m extract.demo
echo "==> extract: python -m extract.run all --offline"
"$PY" -m extract.run all --offline
echo "==> transform: dbt build"
(cd dbt_project && "$DBT" build --profiles-dir "$ROOT")
echo "==> report: python -m extract.report"
"$PY" -m extract.report

echo
echo "Done. Your data:"
echo "  warehouse : $PMD_DATA_DIR/warehouse.duckdb   (schemas raw_*, staging, intermediate, marts, ml)"
echo "  exports   : $PMD_DATA_DIR/exports/            (Parquet: marts, ml_features/ partitioned by year)"
echo "  archive   : $PMD_DATA_DIR/archive/            (raw bytes + manifest.jsonl per source)"
echo
echo "Query it, for example:"
echo "  $PY -c \"import duckdb; print(duckdb.connect('$PMD_DATA_DIR/warehouse.duckdb', read_only=True).sql('select area_code, avg(area_price_jpy_kwh) as avg_price_jpy_kwh from marts.fct_jepx_spot_area_prices group by 1 order by 1'))\""
echo "  $PY -c \"import duckdb; print(duckdb.sql(\\\"select * from read_parquet('$PMD_DATA_DIR/exports/ml_features/*.parquet') limit 5\\\"))\""
"$PY" -c "import duckdb; print(duckdb.connect('$PMD_DATA_DIR/warehouse.duckdb', read_only=True).sql('select area_code, count(*) as periods, round(avg(area_price_jpy_kwh), 2) as avg_price_jpy_kwh from marts.fct_jepx_spot_area_prices group by 1 order by 1'))"
echo
echo "Every table analysts query (schemas marts and ml), with its rows:"
"$PY" - "$PMD_DATA_DIR/warehouse.duckdb" <<'PYEOF'
import sys

import duckdb

con = duckdb.connect(sys.argv[1], read_only=True)
tables = con.execute(
    "select table_schema, table_name from information_schema.tables "
    "where table_schema in ('marts', 'ml') and table_type = 'BASE TABLE' order by 1, 2").fetchall()
for schema, name in tables:
    rows = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
    print(f"  {schema + '.' + name:<52} {rows:>10,} rows")
PYEOF
echo
echo "What is loaded and what is missing:  $PY -m extract.run status"
echo "Charts: open $PMD_DATA_DIR/exports/report/index.html in a browser"
