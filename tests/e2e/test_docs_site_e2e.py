"""The dbt docs site of the demo build renders ml_features offline in headless Chromium.

Skipped when no chromium binary is installed (`.ci/run` installs Debian's chromium when it can).
Nothing leaves 127.0.0.1: host resolution outside 127.0.0.1 is disabled for the browser, and the
browser's NetLog proves the page itself requested only 127.0.0.1 URLs.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from conftest import REPO
from test_warehouse_truth_e2e import copy_data, dbt

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MODEL = "model.powermarketdata.ml_features"


class LoggingHandler(http.server.SimpleHTTPRequestHandler):
    requests: list[str] = []

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        LoggingHandler.requests.append(self.path)


def chromium(user_dir: Path, *args: str) -> subprocess.CompletedProcess:
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-features=AutofillServerCommunication,MediaRouter,OptimizationHints",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        f"--user-data-dir={user_dir}", "--virtual-time-budget=20000",
    ]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=180)


def netlog_requests(path: Path) -> list[tuple[str, str | None]]:
    raw = path.read_text()
    try:
        log = json.loads(raw)
    except json.JSONDecodeError:  # a log cut short at exit lacks its closing brackets
        log = json.loads(raw.rstrip().rstrip(",") + "]}")
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    return [
        (e["params"]["url"], e["params"].get("initiator"))
        for e in log["events"]
        if names.get(e["type"]) == "URL_REQUEST_START_JOB" and "url" in e.get("params", {})
    ]


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium/chromium-browser binary (apt-get install chromium)")
def test_docs_site_renders_ml_features_lineage_offline(built, tmp_path):
    data = copy_data(built, tmp_path, with_exports=False)
    proc = dbt(data, "docs", "generate")
    assert proc.returncode == 0, proc.stdout[-4000:]
    site = data / "dbt_target"
    manifest = json.loads((site / "manifest.json").read_text())
    assert manifest["metadata"].get("send_anonymous_usage_stats") is False
    project = yaml.safe_load((REPO / "dbt_project" / "dbt_project.yml").read_text())
    assert project["flags"]["send_anonymous_usage_stats"] is False

    handler = functools.partial(LoggingHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    url = f"{origin}/index.html#!/model/{MODEL}"
    try:
        netlog = tmp_path / "netlog.json"
        dom = chromium(tmp_path / "profile-dom", f"--log-net-log={netlog}", "--dump-dom", url)
        assert dom.returncode == 0, dom.stderr[-2000:]
        screenshot = tmp_path / "ml_features_docs.png"
        shot = chromium(tmp_path / "profile-shot", f"--screenshot={screenshot}",
                        "--window-size=1600,1000", url)
        assert shot.returncode == 0, shot.stderr[-2000:]
    finally:
        server.shutdown()
        thread.join()

    html = dom.stdout
    # the model page rendered from manifest/catalog: its name, columns and upstream feat_ models
    assert "ml_features" in html and "is_label_known" in html and "feat_prices" in html
    assert "/manifest.json" in " ".join(LoggingHandler.requests)
    assert "/catalog.json" in " ".join(LoggingHandler.requests)
    page = [u for u, initiator in netlog_requests(netlog) if initiator == origin or u == url]
    assert page, "the NetLog recorded no request of the page"
    assert [u for u in page if urlparse(u).hostname != "127.0.0.1"] == []
    assert screenshot.exists() and screenshot.stat().st_size > 10_000
    print(f"docs screenshot: {screenshot}")
