"""End to end in a real browser: `streamlit run app.py` with a seeded cache, opened by
Debian's Chromium through Playwright at a shareable `?q=` link."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from conftest import REPO, SHARED
from seed import seed
from serve import streamlit_server

from core import store
from core.corpus import import_replication

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = REPO / "test-output" / "e2e"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def _browser_or_skip() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("SYNCLENS_REQUIRE_BROWSER"):
        pytest.fail("/usr/bin/chromium is missing; install Debian's chromium (see .ci/run)")
    pytest.skip("Debian's chromium is not installed")


def _free_port() -> int:
    """A free local port ($SYNCLENS_E2E_PORT when set, for machines that assign ports)."""
    if os.environ.get("SYNCLENS_E2E_PORT"):
        return int(os.environ["SYNCLENS_E2E_PORT"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One running app for the module: a seeded family and the paper's corpus imported."""
    _browser_or_skip()
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared is not next to the repository")
    tmp_path = tmp_path_factory.mktemp("e2e")
    db_file = tmp_path / "synclens.db"
    db = store.open_db(db_file)
    seed(db, "Qwen_Qwen", SHARED)
    import_replication(db, SHARED / "corpus")
    db.close()
    try:
        with streamlit_server(REPO / "app.py", _free_port(), db_file, tmp_path / "app.log") as url:
            yield url
    except RuntimeError as err:
        pytest.fail(str(err))


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_a_shared_link_opens_the_family_with_its_chart_and_pattern_card(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 2200})
    page.set_default_timeout(90_000)
    try:
        page.goto(f"{server}/family?q=Qwen/Qwen-7B", timeout=120_000)
        page.wait_for_selector(".js-plotly-plot .scatterlayer", timeout=120_000)
        card = page.locator(".st-key-pattern-card")
        card.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)  # let plotly finish drawing before the screenshot
        page.screenshot(path=str(OUTPUT / "family.png"), full_page=True)

        card_text = card.inner_text()
        assert "Disperse — sporadic partial synchronization" in card_text
        assert "GH First" in card_text and "Why:" in card_text
        chart_text = page.locator(".js-plotly-plot").first.inner_text()
        assert "QwenLM/Qwen: biweekly commits" in chart_text
        assert "GitHub" in chart_text and "Qwen/Qwen-7B-Chat" in chart_text
        nav = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
        names = [n.strip().splitlines()[-1] for n in nav]
        assert len(names) == len(set(names)), f"a page is listed twice: {names}"
        assert {"Home", "Family"} <= set(names) and "app" not in names
        assert page.url.endswith("/family?q=Qwen%2FQwen-7B") or "q=Qwen" in page.url
    finally:
        page.close()


def test_the_corpus_page_shows_the_papers_distributions(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 2600})
    page.set_default_timeout(90_000)
    try:
        page.goto(f"{server}/corpus", timeout=120_000)
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(OUTPUT / "corpus.png"), full_page=True)
        text = page.locator("section.main, [data-testid='stMain']").first.inner_text()
        assert "325" in text and "Disperse" in text
        assert "39.4" in page.locator(".js-plotly-plot").first.inner_text()
    finally:
        page.close()


def test_the_audit_page_opens_for_the_same_family(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 2600})
    page.set_default_timeout(90_000)
    try:
        page.goto(f"{server}/audit?q=Qwen/Qwen-7B", timeout=120_000)
        page.get_by_role("heading", name="1. Stale variants").wait_for(timeout=120_000)
        page.get_by_role("heading", name="5. What to do").wait_for(timeout=120_000)
        page.wait_for_timeout(3000)  # data grids draw on a canvas after the text
        page.screenshot(path=str(OUTPUT / "audit.png"), full_page=True)
        text = page.locator("[data-testid='stMain']").first.inner_text()
        assert "QwenLM/Qwen" in text and "Stale variants" in text
    finally:
        page.close()
