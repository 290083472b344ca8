"""extract.report on the demo build, opened in headless Chromium: every panel is a rendered
chart or an explicit 'no data yet' message."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from extract.report import NO_DATA, PANELS, write_report

pytestmark = pytest.mark.e2e
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def report(built, tmp_path_factory):
    data, _ = built
    out = tmp_path_factory.mktemp("report")
    index, results = write_report(data, out)
    return index, results


def test_every_panel_is_a_chart_or_says_no_data(report):
    index, results = report
    assert [r["panel"] for r in results] == [p.slug for p in PANELS]
    assert all(r["state"] in ("chart", "empty") for r in results), results
    charts = {r["panel"] for r in results if r["state"] == "chart"}
    # the demo has JEPX, TSO and JMA: these charts must be drawn
    assert {"area_prices_heatmap", "price_vs_residual_load", "demand_vs_temperature",
            "data_coverage"} <= charts
    for r in results:
        if r["state"] == "chart":
            png = index.parent / r["png"]
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    html = index.read_text()
    assert "<script src" not in html and "http" not in html.split("<body")[1]  # offline page
    assert html.count(NO_DATA) == sum(r["state"] == "empty" for r in results)
    assert json.loads((index.parent / "report.json").read_text()) == results


def test_report_renders_in_headless_chromium(report, tmp_path):
    index, results = report
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no chromium binary (Debian package 'chromium'): browser check skipped")
    proc = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=10000", "--dump-dom", index.as_uri()],
        capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    assert 'data-ready="yes"' in dom, dom[:2000]
    states = dict(re.findall(r'<figure class="panel" id="([^"]+)" data-state="([^"]+)"', dom))
    want = {r["panel"]: "rendered" if r["state"] == "chart" else "empty" for r in results}
    assert states == want
