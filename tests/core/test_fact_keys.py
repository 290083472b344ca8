"""Facts and the feature mart state their grain with tests, not with a PRIMARY KEY constraint.

DuckDB builds an ART index for every PRIMARY KEY and keeps it in memory for the rest of the
process; it cannot be spilled. In one `dbt build` of a 20-year warehouse the indexes of the
half-hourly facts filled the 1.5 GB `memory_limit` and `ml_features` then ran out of memory
(`scripts/bench_scale.py --years 20`). Dimensions and data-quality marts are small and keep
theirs.

A key is NOT NULL by its contract's `not_null` constraint, which DuckDB enforces on every
insert (a `not_null` data test would re-read the table to check what cannot be there), and
unique by a `unique` data test."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

MODELS = Path(__file__).resolve().parents[2] / "dbt_project" / "models"


def _files() -> list[Path]:
    return sorted([*MODELS.glob("marts/_*.yml"), *MODELS.glob("ml/_*.yml")])


def _models():
    for path in _files():
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            if model["name"].startswith("fct_") or model["name"] == "ml_features":
                yield model


def _enforced(path: Path, model: dict) -> bool:
    """Contract enforced: every mart (dbt_project.yml) and a model whose config says so."""
    return path.parent.name == "marts" or bool(
        ((model.get("config") or {}).get("contract") or {}).get("enforced"))


def _not_null(column: dict) -> bool:
    """The column carries a NOT NULL constraint."""
    return any(k.get("type") == "not_null" for k in column.get("constraints") or [])


def _test_names(tests) -> set[str]:
    return {t if isinstance(t, str) else next(iter(t)) for t in tests or []}


@pytest.mark.parametrize("model", list(_models()), ids=lambda m: m["name"])
def test_no_primary_key_index_and_a_tested_grain(model):
    columns = model.get("columns", [])
    keyed = [c["name"] for c in columns
             if any(k.get("type") == "primary_key" for k in c.get("constraints") or [])]
    assert not keyed, f"{model['name']}: PRIMARY KEY on {keyed} (an in-memory index; use tests)"
    unique = [c["name"] for c in columns
              if "unique" in _test_names(c.get("data_tests") or c.get("tests"))
              and _not_null(c)]
    grain_test = "Grain" in (model.get("description") or "")
    assert unique or grain_test, f"{model['name']}: no unique, NOT NULL key and no stated grain"


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_no_not_null_test_where_the_contract_enforces_it(path):
    for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
        for c in model.get("columns", []) if _enforced(path, model) else []:
            tested = "not_null" in _test_names(c.get("data_tests") or c.get("tests"))
            assert not (_not_null(c) and tested), (
                f"{model['name']}.{c['name']}: NOT NULL by its contract; drop the not_null test")
