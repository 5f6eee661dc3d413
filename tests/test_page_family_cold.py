"""The family page's cold path: resolve from the Hub, choose, fetch, then show the family.

The Hub is replayed (respx, shaped like the real endpoints) and GitHub is a real local git
repository cloned through the git backend; the page itself runs in AppTest."""

from __future__ import annotations

import httpx
import pytest
import respx
from conftest import FIXTURES, REPO
from gitutil import build_repo, history, url_template
from hf_replay import (
    ReplayClients,
    hub_for,
    mock_commits,
    mock_model_info,
    mock_readme,
    mock_search,
    synthetic_commits,
)
from streamlit.testing.v1 import AppTest

from core import store
from core.ingest.sources.gitrepo import GitBackend

YI = ("01-ai/Yi-34B-Chat", "01-ai/Yi-6B")


@pytest.fixture
def offline_world(tmp_path, monkeypatch, shared):
    """Replayed Hub answers for the Yi family and a local clone source for 01-ai/Yi."""
    router = respx.Router(assert_all_mocked=True)
    readme = (FIXTURES / "hf" / "README_yi.md").read_text()
    for model in YI:
        mock_model_info(router, model, "e" * 40, {"license": "apache-2.0"})
        mock_readme(router, model, readme, "e" * 40)
        mock_commits(router, model, synthetic_commits(model, 12))
    mock_search(router, list(YI), author="01-ai")
    mock_search(router, ["01-ai/Yi-6B"], search="Yi")
    two = "See github.com/acme/acme-lm and https://github.com/acme/acme-tools/tree/main/x"
    mock_model_info(router, "acme/acme-7b", "a" * 40, {"license": "mit"})
    mock_readme(router, "acme/acme-7b", two, "a" * 40)
    mock_search(router, ["acme/acme-7b"], author="acme")
    mock_search(router, [], search="acme-7b")
    hub = hub_for(router, tmp_path)

    source = tmp_path / "remote"
    build_repo(source / "01-ai" / "Yi", history("Qwen_Qwen", limit=200))
    backend = GitBackend(tmp_path / "cache", url_template=url_template(source))

    import ui.state

    monkeypatch.setattr(ui.state, "clients", lambda: ReplayClients(hub, backend))
    ui.state.discovery.clear()  # kept an hour in the app; each test has its own Hub
    monkeypatch.setenv("SYNCLENS_DB", str(tmp_path / "synclens.db"))
    return router


def open_page(q: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["q"] = q
    at.run()
    at.switch_page("pages/family.py")
    return at.run()


def test_resolve_then_fetch_then_the_family_is_shown(offline_world):
    at = open_page("01-ai/Yi-34B-Chat")
    assert not at.exception, at.exception
    assert at.subheader[0].value == "Find the family"
    shown = at.dataframe[0].value
    assert set(shown["variant"]) == set(YI)
    assert "**GitHub:** 01-ai/Yi ·" in " ".join(m.value for m in at.markdown)

    fetch = next(b for b in at.button if b.label == "Fetch commits")
    fetch.click().run()
    assert not at.exception, at.exception
    headline = " ".join(m.value for m in at.markdown)
    assert "01-ai/Yi" in [h.value for h in at.subheader]
    assert "Why:" in headline
    assert at.get("plotly_chart")


def test_several_card_links_are_offered_as_a_choice(offline_world):
    at = open_page("acme/acme-7b")
    assert not at.exception, at.exception
    choice = at.radio[0]
    # both ranked, with their source and confidence, and neither picked for the user
    assert list(choice.options) == [
        "acme/acme-lm — 0.90 · algorithm 1",
        "acme/acme-tools — 0.90 · algorithm 1",
    ]
    assert choice.value is None


def test_discovered_candidates_are_shown_and_the_users_choice_is_saved(offline_world, tmp_path):
    child = "someone/acme-7b-GGUF"
    offline_world.route(
        method="GET",
        url__startswith="https://huggingface.co/api/models?",
        params__contains={"filter": "base_model:acme/acme-7b"},
    ).mock(
        return_value=httpx.Response(
            200, json=[{"id": child, "tags": ["base_model:quantized:acme/acme-7b"]}]
        )
    )
    at = open_page("acme/acme-7b")
    table = at.dataframe[1].value  # after the members table: the discovered candidates
    assert list(table["candidate"]) == ["acme/acme-lm", "acme/acme-tools", child]
    assert list(table["source"]) == ["algorithm 1", "algorithm 1", "base_model tree"]
    assert list(table["confidence"]) == [0.9, 0.9, 0.5] and list(table["derived"])[-1]

    at.radio[0].set_value("acme/acme-tools")
    at.multiselect(key="discovered_variants").set_value([child])
    next(b for b in at.button if b.label == "Fetch commits").click().run()

    db = store.open_db(tmp_path / "synclens.db")
    saved = store.load_family(db, "acme/acme-tools")
    assert saved is not None and set(saved.variants) == {"acme/acme-7b", child}
    assert {m.model_id: m.source for m in saved.members}[child] == "user"
