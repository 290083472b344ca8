"""Facts and the feature mart state their grain with tests, not with a PRIMARY KEY constraint.

DuckDB builds an ART index for every PRIMARY KEY and keeps it in memory for the rest of the
process; it cannot be spilled. In one `dbt build` of a 20-year warehouse the indexes of the
half-hourly facts filled the 1.5 GB `memory_limit` and `ml_features` then ran out of memory
(`scripts/bench_scale.py --years 20`). Dimensions and data-quality marts are small and keep
theirs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

MODELS = Path(__file__).resolve().parents[2] / "dbt_project" / "models"


def _models():
    for path in sorted([*MODELS.glob("marts/_*.yml"), *MODELS.glob("ml/_*.yml")]):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            if model["name"].startswith("fct_") or model["name"] == "ml_features":
                yield model


def _test_names(tests) -> set[str]:
    return {t if isinstance(t, str) else next(iter(t)) for t in tests or []}


@pytest.mark.parametrize("model", list(_models()), ids=lambda m: m["name"])
def test_no_primary_key_index_and_a_tested_grain(model):
    columns = model.get("columns", [])
    keyed = [c["name"] for c in columns
             if any(k.get("type") == "primary_key" for k in c.get("constraints") or [])]
    assert not keyed, f"{model['name']}: PRIMARY KEY on {keyed} (an in-memory index; use tests)"
    unique = [c["name"] for c in columns
              if {"unique", "not_null"} <= _test_names(c.get("data_tests") or c.get("tests"))]
    grain_test = "Grain" in (model.get("description") or "")
    assert unique or grain_test, f"{model['name']}: no unique + not_null key and no stated grain"
