"""JEPX market-splitting groups (分断エリア) per slot: ``csv_read.php?dir=spot_splitting_areas``.

One UTF-8 file per delivery day (from 2022-06-01)::

    電力受渡日,商品コード,エリアグループ,分断エリア連番
    20240101,1,システムプライス,
    20240101,1,北海道・東北・東京,0
    20240101,1,北陸・関西・中国・四国・九州,2

* ``エリアグループ`` lists the areas of one price zone joined with ``・``; the row
  ``システムプライス`` with an empty sequence is the system group (raw ``split_area_seq = -1``,
  like the bid curves).
* Groups need not be numbered contiguously nor cover all nine areas (2024-01-01 slot 1: seq 1
  is absent and 中部 is in no group): nothing here assumes they do. Splitting the group into
  areas happens in dbt (``fct_jepx_splitting_areas``), against the ``areas`` seed.
"""

from __future__ import annotations

import pyarrow as pa

from ...core.errors import ParseError
from ...core.lazy import lazy_module
from ...core.source import Dataset
from ...core.tabular import Col, first_duplicate, read_csv_named
from .bid_curves import SYSTEM_SEQ, system_seq
from .settings import SOURCE
from .slots import check_slots

pc = lazy_module("pyarrow.compute")

SYSTEM_GROUP = "システムプライス"

SPLITTING_COLUMNS = {
    "電力受渡日": Col("delivery_date", "date", date_format="%Y%m%d"),
    "商品コード": Col("time_code", "int"),
    "エリアグループ": Col("area_group", "str"),
    "分断エリア連番": Col("split_area_seq", "int"),
}
KEY = ("delivery_date", "time_code", "split_area_seq")
SCHEMA = pa.schema([
    ("delivery_date", pa.date32()),
    ("time_code", pa.int64()),
    ("split_area_seq", pa.int64()),
    ("area_group", pa.string()),
])


def parse_splitting_areas(data: bytes, file: str) -> pa.Table:
    """Parse one ``spot_splitting_areas_YYYYMMDD.csv`` (one row per slot and group)."""
    table = read_csv_named(data, SPLITTING_COLUMNS, source=SOURCE, file=file)
    table = check_slots(table, file, unique=False)  # many rows per slot: own key checked below
    seq, group = table.column("split_area_seq"), table.column("area_group")
    # the empty sequence belongs to the system group and only to it
    wrong = pc.or_(pc.fill_null(pc.less(seq, 0), False),
                   pc.not_equal(pc.is_null(seq), pc.fill_null(pc.equal(group, SYSTEM_GROUP), False)))
    idx = pc.index(wrong, True).as_py()
    if idx >= 0:
        raise ParseError(SOURCE, file, f"group {group[idx].as_py()!r} with 分断エリア連番 "
                         f"{seq[idx].as_py()!r}: only the {SYSTEM_GROUP} row has an empty one",
                         line=idx + 2)
    if group.null_count:
        raise ParseError(SOURCE, file, "empty エリアグループ",
                         line=pc.index(pc.is_null(group), True).as_py() + 2)
    table = system_seq(table)
    key = pc.binary_join_element_wise(
        pc.cast(table.column("delivery_date"), pa.string()),
        pc.cast(table.column("time_code"), pa.string()),
        pc.cast(table.column("split_area_seq"), pa.string()), "|")
    dup = first_duplicate(key)
    if dup is not None:
        raise ParseError(SOURCE, file, f"slot {table.column('time_code')[dup].as_py()} group "
                         f"{table.column('area_group')[dup].as_py()!r} appears twice",
                         line=dup + 2)
    return table.select(SCHEMA.names).cast(SCHEMA)


SPLITTING_AREAS = Dataset(
    name="spot_splitting_areas",
    parse=parse_splitting_areas,
    primary_key=KEY,
    merge_key=("delivery_date",),
    schema=SCHEMA,
    data_time="delivery_date",
    description=f"Market-splitting area groups per slot, one file per delivery day; "
    f"split_area_seq {SYSTEM_SEQ} = the system group ({SYSTEM_GROUP})",
)
