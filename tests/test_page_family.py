"""The app's pages, run server-side with AppTest against a real seeded cache."""

from __future__ import annotations

import pytest
from conftest import REPO
from seed import seed
from streamlit.testing.v1 import AppTest

from core import store

TIMEOUT = 60


@pytest.fixture
def seeded(db_file, shared, monkeypatch):
    """A cache holding the real-shaped Qwen family (real GitHub history, HF from the corpus)."""
    db = store.open_db(db_file)
    family = seed(db, "Qwen_Qwen", shared)
    db.close()
    monkeypatch.setenv("SYNCLENS_DB", str(db_file))
    return family


def family_page(q: str | None = None, section: str | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    if q is not None:
        at.query_params["q"] = q
    if section is not None:
        at.query_params["section"] = section
    at.run()
    at.switch_page("pages/family.py")
    return at.run()


def test_home_page_runs_and_links_to_the_family_page():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "SyncLens"


def test_family_page_from_a_link_shows_pattern_timeline_and_explanation(seeded):
    at = family_page("Qwen/Qwen-7B")
    assert not at.exception, at.exception
    markdown = " ".join(m.value for m in at.markdown)
    assert "Disperse — sporadic partial synchronization" in markdown
    assert "Lag GH First" in markdown
    assert "| SyncLens | **Disperse** | PS | **S** | GH First | 47 (1.72) |" in markdown
    charts = at.get("plotly_chart")
    assert charts, "the timeline chart is rendered"
    assert at.query_params["q"] == "Qwen/Qwen-7B"


def test_a_github_url_finds_the_same_cached_family(seeded):
    at = family_page("https://github.com/QwenLM/Qwen")
    assert not at.exception
    assert any(h.value == "QwenLM/Qwen" for h in at.subheader)


def test_bad_input_gets_a_clear_message_not_a_crash(seeded):
    at = family_page("not a model at all")
    assert not at.exception
    assert at.error and "accepted forms" in at.error[0].value


def test_without_input_the_page_explains_what_to_do(seeded):
    at = family_page()
    assert not at.exception
    assert "Type a Hugging Face model id" in at.info[0].value


def test_switching_pages_keeps_the_family(seeded):
    at = family_page("Qwen/Qwen-7B")
    at.switch_page("pages/home.py").run()
    at.switch_page("pages/family.py").run()
    assert not at.exception
    assert any(h.value == "QwenLM/Qwen" for h in at.subheader)


def test_colour_by_change_type_recolours_the_timeline(seeded):
    at = family_page("Qwen/Qwen-7B")
    at.segmented_control(key="color").set_value("change type").run()
    assert not at.exception
    names = {trace.get("name") for trace in _figure(at)["data"]}
    assert "External Documentation" in names


def _figure(at):
    import json

    chart = at.get("plotly_chart")[0]
    return json.loads(chart.proto.spec)


def test_claude_labels_when_a_key_is_set_and_the_user_asks(seeded, monkeypatch):
    """The sidebar's Claude choice labels every uncached text once (replayed API answers);
    reopening the family makes no request."""
    import json

    from anthropic_replay import Replay, batch_items, labels_reply

    import ui.state
    from core.labeling.claude import ClaudeLabeler
    from core.labeling.learned.labeler import HybridLabeler, LearnedLabeler
    from core.labeling.rules import RulesLabeler

    def answer(request):
        items = batch_items(json.loads(request.content))
        return labels_reply(["External Documentation"] * len(items))

    replay = Replay(responder=answer)
    claude = ClaudeLabeler(replay.client(), batch_size=100)
    labelers = {
        "claude": claude,
        "rules": RulesLabeler(),
        "learned": LearnedLabeler(),
        "hybrid": HybridLabeler(claude),
    }
    monkeypatch.setattr(ui.state, "claude_available", lambda: True)
    monkeypatch.setattr(ui.state, "labeler", labelers.__getitem__)

    at = family_page("Qwen/Qwen-7B", section="Change types")
    at.sidebar.radio(key="labeler").set_value("claude").run()
    assert not at.exception, at.exception
    first = len(replay.requests)
    assert first >= 1
    labels = {m.label: m.value for m in at.metric}
    assert "Jaccard similarity of change types (GitHub vs HF)" in labels

    at.run()
    assert len(replay.requests) == first  # everything is cached now

    at.sidebar.radio(key="labeler").set_value("hybrid").run()  # only unsure texts are sent
    assert not at.exception, at.exception
    assert any("Hybrid labels:" in s.label for s in at.status)


def test_searching_the_commits_narrows_the_table(seeded):
    at = family_page("Qwen/Qwen-7B", section="Commits")
    total = next(c.value for c in at.caption if " commits. Edit a label" in c.value)
    at.text_input(key="commit_search").set_value("readme").run()
    assert not at.exception
    narrowed = next(c.value for c in at.caption if " commits. Edit a label" in c.value)
    shown, of = (int(x) for x in narrowed.split(" commits")[0].split(" of "))
    assert 0 < shown < of and total.endswith(narrowed.split(" of ")[1])


def test_a_variant_removed_on_the_page_stays_removed_when_typed_again(seeded, monkeypatch):
    """Remove a variant in Family facts, then look it up by its id: it does not come back."""
    from hf_replay import ReplayClients
    from test_resolve import FakeHub

    import ui.state

    repo, variants = seeded.github_repo, seeded.variants
    gone, kept = variants[0], variants[1:]
    cards = {v: [f"https://github.com/{repo}"] for v in variants}
    hub = FakeHub(cards, {(None, repo.split("/")[0]): list(variants)})
    monkeypatch.setattr(ui.state, "clients", lambda: ReplayClients(hub))

    at = family_page(repo, section="Family facts")
    at.multiselect(key="remove_variant").set_value([gone]).run()
    next(b for b in at.button if b.label == "Save variants").click().run()
    assert not at.exception, at.exception

    at = family_page(gone)
    assert not at.exception, at.exception
    shown = at.dataframe[0].value
    assert gone not in set(shown["variant"])
    assert set(kept) <= set(shown["variant"])


def test_a_variant_that_is_no_model_id_is_refused_on_the_page(seeded):
    at = family_page(seeded.github_repo, section="Family facts")
    at.text_input(key="add_variant").set_value("not a valid id!!").run()
    next(b for b in at.button if b.label == "Save variants").click().run()
    assert not at.exception, at.exception
    assert at.error and "not a valid id" in at.error[0].value


def test_a_correction_says_how_many_commits_share_its_text():
    import pandas as pd

    from ui.family_sections import _correction_reach

    frame = pd.DataFrame({"sha": ["a", "b", "c"], "text_hash": ["h1", "h1", "h2"]})
    words = _correction_reach(frame, frame, pd.Series(["a"]))
    assert words.startswith("Saving changes the label of 2 commit(s)")


def test_a_refresh_that_fails_says_so_after_the_page_reruns(seeded, monkeypatch):
    """The progress box goes with the rerun; what failed is said again above the family."""
    import core.ingest.fetch
    from core.errors import SourceError

    def offline(*args, **kwargs):
        raise SourceError("Cannot reach the Hugging Face Hub (network down).", kind="network")

    monkeypatch.setattr(core.ingest.fetch, "update_family", offline)
    at = family_page(seeded.github_repo)
    next(b for b in at.button if b.label == "Refresh from GitHub and the Hub").click().run()
    assert not at.exception, at.exception
    assert any("The last fetch failed" in w.value for w in at.warning)
    at.run()  # said once: the next rerun is quiet
    assert not any("The last fetch failed" in w.value for w in at.warning)


def test_an_unlabeled_commit_is_no_correction_until_edited(seeded, db_file):
    """A commit without text has no label; None != None must not offer a correction."""
    from datetime import UTC, datetime

    from core.records import CommitRecord

    db = store.open_db(db_file)
    when = datetime(2024, 3, 1, tzinfo=UTC)
    store.save_commits(db, [CommitRecord("GH", seeded.github_repo, "e" * 40, when, "", "")])
    db.close()
    at = family_page(seeded.github_repo, section="Commits")
    assert not at.exception, at.exception
    assert not [b for b in at.button if b.label.startswith("Save ")]
    assert not any("Saving changes the label" in c.value for c in at.caption)
