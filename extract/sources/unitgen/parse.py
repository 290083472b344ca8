"""Parse an HKS unit-generation CSV (ユニット別発電実績): UTF-8 with BOM, one row per unit × day.

Header (futures_hjks.md B.4)::

    発電所コード,エリア,発電所名,ユニット名,発電方式・燃種,対象日,00:30[kWh],01:00[kWh],…,24:00[kWh],日量[kWh],更新日時

The 48 slot columns are labelled with the slot's END time (00:30 = 00:00–00:30, 24:00 = the last
slot of the same day); raw keeps them as ``kwh_ending_HHMM`` and staging shifts them to period
starts. 日量 should equal the sum of the slots (a dbt warn test checks it). ユニット名 can be
empty (kept as '').
"""

from __future__ import annotations

import pyarrow as pa

from ...core.errors import ParseError
from ...core.lazy import lazy_module
from ...core.tabular import Col, read_csv_named
from .settings import SOURCE

pc = lazy_module("pyarrow.compute")

SLOT_LABELS = [f"{(30 * k) // 60:02d}:{(30 * k) % 60:02d}" for k in range(1, 49)]  # 00:30..24:00
COLUMNS = {
    "発電所コード": Col("plant_code", "str"),
    "エリア": Col("area_name", "str"),
    "発電所名": Col("plant_name", "str"),
    "ユニット名": Col("unit_name", "str"),
    "発電方式・燃種": Col("generation_type", "str", required=False),
    "対象日": Col("target_date", "date"),
    **{f"{label}[kWh]": Col(f"kwh_ending_{label.replace(':', '')}", "float", thousands=True)
       for label in SLOT_LABELS},
    "日量[kWh]": Col("daily_total_kwh", "float", thousands=True, required=False),
    "更新日時": Col("updated_at_jst", "str", required=False),
}
KEY = ("plant_code", "unit_name", "target_date")
_NAMES = [c.out for c in COLUMNS.values()]
SCHEMA = pa.schema([
    pa.field(c.out, pa.timestamp("us") if c.out == "updated_at_jst" else
             {"str": pa.string(), "float": pa.float64(), "date": pa.date32()}[c.kind])
    for c in COLUMNS.values()
])


def parse_unit_generation(data: bytes, file: str) -> pa.Table:
    table = read_csv_named(data, COLUMNS, source=SOURCE, file=file, encodings=("utf-8",))
    for name in ("plant_code", "target_date"):
        col = table.column(name)
        if col.null_count:
            idx = pc.index(pc.is_null(col), True).as_py()
            raise ParseError(SOURCE, file, f"empty {name}", line=idx + 2)
    table = table.set_column(table.schema.get_field_index("unit_name"), "unit_name",
                             pc.fill_null(table.column("unit_name"), ""))
    stamps = table.column("updated_at_jst")
    parsed = pc.strptime(stamps, format="%Y/%m/%d %H:%M:%S", unit="s", error_is_null=True)
    bad = pc.and_(pc.is_valid(stamps), pc.is_null(parsed))
    idx = pc.index(bad, True).as_py()
    if idx >= 0:
        raise ParseError(SOURCE, file, f"value {stamps[idx].as_py()!r} is not YYYY/MM/DD HH:MM:SS",
                         line=idx + 2, column="更新日時")
    table = table.set_column(table.schema.get_field_index("updated_at_jst"), "updated_at_jst",
                             pc.cast(parsed, pa.timestamp("us")))
    return table.select(_NAMES).cast(SCHEMA)
