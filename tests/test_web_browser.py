"""The web view in a real browser: headless Chromium loads the deals and a fact, saves
screenshots under tmp_path and prints the DOM it built, which the tests read."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from web_world import build_world, running_web

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium installed (apt-get install -y chromium)"
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
)


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    """One run of the browser with a fresh profile."""
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
    )


def dom_and_screenshot(url: str, tmp_path: Path, name: str) -> str:
    """The page's DOM after its scripts ran; a screenshot of it is saved as ``name``.png."""
    shot = tmp_path / f"{name}.png"
    taken = chromium(tmp_path / f"profile-{name}-shot", f"--screenshot={shot}", url)
    assert shot.exists() and shot.stat().st_size > 0, taken.stderr
    dumped = chromium(tmp_path / f"profile-{name}-dom", "--dump-dom", url)
    assert dumped.returncode == 0, dumped.stderr
    return dumped.stdout


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("browser") / "deals.db"
    ids = build_world(path)
    with running_web(path) as base:
        yield base, ids


def test_the_deals_page_in_a_browser(web, tmp_path):
    base, ids = web
    dom = dom_and_screenshot(f"{base}/dealbrief/web_deals", tmp_path, "deals")
    assert "<h1" in dom and "Deals" in dom
    assert "5 rows" in dom
    for facet in ("sector", "kind", "year", "flow"):
        assert f'data-column="{facet}"' in dom
    assert f'href="/dealbrief/facts/{ids["d1"]}"' in dom
    assert "Greater China → US" in dom
    assert 'name="_search"' in dom
    assert "withdrawn programme" not in dom  # the removed deal


def test_a_fact_page_in_a_browser(web, tmp_path):
    base, ids = web
    dom = dom_and_screenshot(f"{base}/dealbrief/facts/{ids['d3']}", tmp_path, "fact")
    assert "Alpha Bio out-licensed its bispecific antibody to Gamma Chips." in dom
    assert re.search(r'href="/dealbrief/web_sources\?id=\d+"', dom)
    assert (tmp_path / "fact.png").read_bytes().startswith(b"\x89PNG")
