"""Measured publication lags on the demo build: every version records its extent, and
dq_publication_lag measures the days that appeared between two fetches of one file."""

from __future__ import annotations

import pytest

from extract import registry

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("name", ["occto", "hjks", "unitgen"])
def test_every_loaded_version_records_its_extent_as_in_raw(warehouse, name):
    spec = registry.get(name)
    for ds in spec.datasets.values():
        parts = " || '|' || ".join(f"coalesce(cast({c} as varchar), 'None')" for c in ds.extent_by)
        raw = warehouse.execute(f"""
            select _source_file, {parts or "''"} as part, min({ds.data_time}),
                   max({ds.data_time}), count({ds.data_time})
            from raw_{name}.{ds.name} group by all order by all""").fetchall()
        ext = warehouse.execute(f"""
            select path, part, first_data, last_data, rows from raw_{name}.pmd_file_extents
            where dataset = ? and path in (select _source_file from raw_{name}.{ds.name})
            order by all""", [ds.name]).fetchall()
        assert raw, f"{name}.{ds.name}: the demo has no rows"
        if ds.mode == "history":
            assert [(p, part, str(a)[:10], str(b)[:10], n) for p, part, a, b, n in raw] == \
                [(p, part, str(a)[:10], str(b)[:10], n) for p, part, a, b, n in ext], ds.name
        else:  # a latest table keeps only each key's newest rows: the version's parts are there
            assert {(p, part) for p, part, *_ in raw} <= {(p, part) for p, part, *_ in ext}


def test_publication_lag_measures_re_published_days_and_finds_no_contradiction(warehouse):
    rows = warehouse.execute("""
        select source_name, dataset, area_code, seen_days, observed_days, observed_lag_max_h,
               rule_lag_max_h, contradicted_days
        from marts.dq_publication_lag""").fetchall()
    by_key = {r[:3]: r[3:] for r in rows}
    datasets = {(s, d) for s, d, _ in by_key}
    for name in registry.names():  # every dataset with a recorded extent, whatever its source
        for (dataset,) in warehouse.execute(f"select distinct dataset from raw_{name}."
                                            "pmd_file_extents").fetchall():
            assert (name, dataset) in datasets, f"{name}.{dataset} not in dq_publication_lag"
    # OCCTO re-publishes the reserve margin: the 17:47 version of 04-14 first holds 04-15
    seen, observed, lag_max, rule_max, contradicted = by_key[
        ("occto", "kohyo_reserve_margin", "03")]
    assert observed >= 1 and lag_max < rule_max and contradicted == 0
    # the demo's other files were fetched once: seen, not measured, never contradicted
    assert by_key[("jepx", "spot_bid_curves", "*")][1] == 0
    assert sum(r[-1] for r in rows) == 0
