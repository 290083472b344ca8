"""The loader's DuckDB connection takes the dbt profile's settings (PMD_DUCKDB_THREADS,
PMD_DUCKDB_MEMORY_LIMIT), spills inside the data directory, and names a bad setting."""

from __future__ import annotations

import pytest

from extract.core.errors import ExtractError
from extract.core.load import connect, duckdb_config


def test_connections_take_the_dbt_profile_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("PMD_DUCKDB_THREADS", "1")
    monkeypatch.setenv("PMD_DUCKDB_MEMORY_LIMIT", "300MB")
    con = connect(tmp_path)
    try:
        threads, limit, temp = con.execute(
            "select current_setting('threads'), current_setting('memory_limit'), "
            "current_setting('temp_directory')").fetchone()
    finally:
        con.close()
    assert threads == 1
    assert limit.endswith("MiB") and float(limit.split()[0]) < 300  # 300 MB = 286.1 MiB
    assert temp.startswith(str(tmp_path))  # spills stay inside the data directory


def test_settings_default_like_profiles_yml_and_a_bad_one_is_named(tmp_path, monkeypatch):
    defaults = duckdb_config(tmp_path, environ={})
    assert (defaults["threads"], defaults["memory_limit"]) == ("2", "1200MB")
    monkeypatch.setenv("PMD_DUCKDB_MEMORY_LIMIT", "lots")
    with pytest.raises(ExtractError, match="PMD_DUCKDB_MEMORY_LIMIT"):
        connect(tmp_path)
