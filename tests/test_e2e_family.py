"""The Family page end to end in Chromium: the paper's labels beside SyncLens's, state in the
URL, a two-family upload, a family not fetched yet, the downloaded timeline opened from disk
with no network, and the demo family on a fresh cache with networking disabled."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import REPO, SHARED
from seed import seed
from test_e2e_browser import ARGS, CHROMIUM, OUTPUT, _browser_or_skip, _free_port

from core import store
from core.records import Family, FamilyMember

sys.path.insert(0, str(REPO / "benchmarks"))
from bench_pages_browser import streamlit_server

pytestmark = pytest.mark.browser
VIEWPORT = {"width": 1400, "height": 2400}

# Loaded into the server process through PYTHONPATH: every connection or name lookup that
# leaves the machine fails and is written to $NETWORK_LOG, as on a machine with no network.
NO_NETWORK = """
import os, socket
_LOG = os.environ["NETWORK_LOG"]
_LOCAL = ("127.0.0.1", "::1", "localhost")
def _refuse(what):
    with open(_LOG, "a") as log:
        log.write(repr(what) + "\\n")
    raise OSError("network disabled (test)")
_connect, _lookup = socket.socket.connect, socket.getaddrinfo
def connect(self, address):
    if isinstance(address, tuple) and address[0] not in _LOCAL:
        _refuse(address)
    return _connect(self, address)
def getaddrinfo(host, *args, **kwargs):
    if host not in _LOCAL and host is not None:
        _refuse(host)
    return _lookup(host, *args, **kwargs)
socket.socket.connect, socket.getaddrinfo = connect, getaddrinfo
"""


@contextmanager
def app_server(db_file: Path, folder: Path):
    """`streamlit run app.py` on a free loopback port with `db_file` as the cache (the
    benchmark's server, which passes this process's environment on)."""
    with streamlit_server(REPO / "app.py", _free_port(), db_file, folder / "app.log") as url:
        yield url


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The seeded Qwen family (in the paper's corpus) and a family saved but never fetched."""
    _browser_or_skip()
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared is not next to the repository")
    folder = tmp_path_factory.mktemp("e2e-family")
    db_file = folder / "synclens.db"
    db = store.open_db(db_file)
    seed(db, "Qwen_Qwen", SHARED)
    store.save_family(
        db, Family("acme/lm", "acme/lm", (FamilyMember("acme/lm-7b", "card", "README"),))
    )
    db.close()
    with app_server(db_file, folder) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module (Playwright driving Debian's binary)."""
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def open_page(browser, url: str, *, ready: str = ".js-plotly-plot .scatterlayer"):
    page = browser.new_page(viewport=VIEWPORT, accept_downloads=True)
    page.set_default_timeout(90_000)  # a loaded 2-core CI machine: waits, not failures
    page.goto(url, timeout=120_000)
    page.wait_for_selector(ready, timeout=120_000)
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")
    return page


def idle(page) -> None:
    page.wait_for_timeout(500)
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")


def test_the_papers_labels_beside_synclens_and_the_papers_view_in_the_url(server, browser):
    page = open_page(browser, f"{server}/family?q=Qwen/Qwen-7B")
    try:
        card = page.locator(".st-key-pattern-card")
        table = card.locator("table").inner_text()
        assert "Paper (Qwen_Qwen)" in table and "Dense Partial" in table
        assert "SyncLens, paper's view" in table
        assert "between its switches" in card.inner_text()
        page.screenshot(path=str(OUTPUT / "family-paper.png"), full_page=True)
        card.get_by_text("Paper's view", exact=True).click()
        page.wait_for_function("() => location.search.includes('view=paper')")
        idle(page)
        page.wait_for_selector("text=SyncLens (paper's view)")
        assert "SyncLens, paper's view" not in card.locator("table").inner_text()
    finally:
        page.close()


def test_colour_mode_and_open_section_survive_a_reload(server, browser):
    page = open_page(browser, f"{server}/family?q=Qwen/Qwen-7B")
    try:
        page.get_by_text("change type", exact=True).click()
        page.wait_for_function("() => location.search.includes('color=change')")
        page.get_by_text("Commits", exact=True).click()
        page.wait_for_function("() => location.search.includes('section=Commits')")
        idle(page)
        shared = page.url
        again = open_page(browser, shared)
        try:
            legend = again.locator(".js-plotly-plot .legend").first.text_content()
            assert "External Documentation" in legend and "Hugging Face" not in legend
            again.get_by_text("Search text").wait_for()  # the Commits section is open
        finally:
            again.close()
    finally:
        page.close()


def test_the_downloaded_timeline_renders_from_disk_with_no_network(server, browser, tmp_path):
    page = open_page(browser, f"{server}/family?q=Qwen/Qwen-7B&section=Export")
    try:
        with page.expect_download(timeout=120_000) as download:
            page.get_by_role("button", name="Timeline (interactive HTML)").click()
        saved = tmp_path / "timeline.html"
        download.value.save_as(saved)
    finally:
        page.close()
    assert saved.stat().st_size > 3_000_000  # plotly.js is inside
    context = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
    requests: list[str] = []
    context.route("**/*", lambda route: (requests.append(route.request.url), route.continue_()))
    offline = context.new_page()
    try:
        offline.goto(saved.as_uri())
        offline.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=60_000)
        assert offline.locator(".scatterlayer .point").count() > 20
        assert "QwenLM/Qwen: biweekly commits" in offline.locator(".gtitle").text_content()
        offline.screenshot(path=str(OUTPUT / "family-timeline-offline.png"))
    finally:
        context.close()
    assert [r for r in requests if not r.startswith("file://")] == []


def test_a_two_family_upload_shows_a_picker_and_the_summary(server, browser):
    page = open_page(browser, f"{server}/family", ready="text=Type a Hugging Face model id")
    try:
        page.get_by_text("Analyse your own commits CSV").click()
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
            str(REPO / "examples" / "two-families.csv")
        )
        page.wait_for_selector("text=2 families in two-families", timeout=60_000)
        page.wait_for_selector(".js-plotly-plot .scatterlayer", timeout=60_000)
        idle(page)
        page.screenshot(path=str(OUTPUT / "family-upload.png"), full_page=True)
        first = page.locator(".st-key-pattern-card").inner_text()
        page.get_by_label("Show the family").click()
        page.get_by_role("option", name="demo/upstream-first").click()
        idle(page)
        page.wait_for_function(
            "t => !document.querySelector('.st-key-pattern-card').innerText.includes(t)",
            arg=first[:40],
        )
        assert "GH First" in page.locator(".st-key-pattern-card").inner_text()
    finally:
        page.close()


def test_a_family_never_fetched_is_said_first_not_analysed(server, browser):
    page = open_page(browser, f"{server}/family?q=acme/lm", ready="text=Not fetched yet")
    try:
        page.wait_for_selector("text=No synchronization pattern", timeout=60_000)
        page.get_by_role("button", name="Fetch them now").wait_for(timeout=60_000)
        text = page.locator("[data-testid='stMain']").inner_text()
        assert "Not fetched yet: 2 of 2 repositories" in text
        assert page.locator(".js-plotly-plot").count() == 0
        home = open_page(browser, server, ready="text=In your cache")
        try:
            home.wait_for_selector("text=acme/lm", timeout=60_000)
        finally:
            home.close()
    finally:
        page.close()


def test_a_fresh_cache_with_no_network_shows_the_demo_family(browser, tmp_path, monkeypatch):
    guard = tmp_path / "site"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(NO_NETWORK)
    attempts = tmp_path / "network.log"
    attempts.write_text("")
    monkeypatch.setenv("PYTHONPATH", str(guard))
    monkeypatch.setenv("NETWORK_LOG", str(attempts))
    db_file = tmp_path / "fresh.db"
    with app_server(db_file, tmp_path) as url:
        context = browser.new_context(viewport=VIEWPORT)
        outside: list[str] = []

        def only_loopback(route):
            if route.request.url.startswith(url):
                return route.continue_()
            outside.append(route.request.url)
            return route.abort()

        context.route("**/*", only_loopback)
        try:
            home = context.new_page()
            home.goto(url, timeout=120_000)
            home.wait_for_selector("text=QwenLM/Qwen-VL", timeout=120_000)
            home.screenshot(path=str(OUTPUT / "home-demo.png"), full_page=True)
            page = context.new_page()
            page.goto(f"{url}/family?q=Qwen/Qwen-VL-Chat", timeout=120_000)
            page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=120_000)
            idle(page)
            page.screenshot(path=str(OUTPUT / "family-demo.png"), full_page=True)
            card = page.locator(".st-key-pattern-card").inner_text()
            assert "Frequent — frequent complete synchronization" in card
            assert "SyncLens finds the paper's labels." in card
            main = page.locator("[data-testid='stMain']").inner_text()
            assert "in your cache, opens offline" in main and "demo data shipped" in main
        finally:
            context.close()
    assert attempts.read_text() == ""  # the server never tried to leave the machine
    assert outside == []
