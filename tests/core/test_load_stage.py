"""The loader's per-file staging (extract/core/load.py): rows unique per file on the key."""

from __future__ import annotations

import pyarrow as pa

from extract.core.load import unique_rows


def test_unique_rows_keeps_the_first_row_of_each_key_in_file_order():
    table = pa.table({"a": [1, 2, 1, None, None, 3], "b": ["x", "y", "x", None, None, "z"],
                      "v": [1, 2, 3, 4, 5, 6]})
    assert unique_rows(table, ("a", "b")).to_pydict() == {
        "a": [1, 2, None, 3], "b": ["x", "y", None, "z"], "v": [1, 2, 4, 6]}
    unique = pa.table({"a": [3, 1, 2], "v": [1, 2, 3]})
    assert unique_rows(unique, ("a",)) is unique
