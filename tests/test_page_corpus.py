"""The corpus page, run server-side with AppTest against a real cache holding the paper's corpus."""

from __future__ import annotations

import pytest
from conftest import REPO
from seed import seed
from streamlit.testing.v1 import AppTest

from core import store
from core.corpus import import_mine, import_replication, load_corpus
from core.corpus import stats as cs
from core.labeling.labels import label_commits
from core.labeling.rules import RulesLabeler

TIMEOUT = 90


@pytest.fixture
def paper_db(db_file, shared, monkeypatch):
    """A cache with the paper's corpus imported from ../shared/corpus."""
    db = store.open_db(db_file)
    import_replication(db, shared / "corpus")
    db.close()
    monkeypatch.setenv("SYNCLENS_DB", str(db_file))
    return db_file


@pytest.fixture
def with_mine(paper_db, shared):
    """Plus the real-shaped Qwen family, labeled with the rules labeler, as the mine corpus."""
    db = store.open_db(paper_db)
    family = seed(db, "Qwen_Qwen", shared)
    label_commits(db, store.family_commits(db, family), RulesLabeler())
    import_mine(db)
    db.close()
    return family


def corpus_page(q: str | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    if q is not None:
        at.query_params["q"] = q
    at.run()
    at.switch_page("pages/corpus.py")
    return at.run()


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def test_corpus_page_shows_the_papers_numbers(paper_db):
    at = corpus_page()
    assert not at.exception, at.exception
    text = captions(at)
    assert "325 families: Disperse 39.4%, Sparse 15.4%, Rare 14.2%" in text
    assert "GH First 56.0%, Simultaneous 23.1%, HF First 20.9%" in text
    assert "GH First 15.82, HF First 22.35, Simultaneous 9.32" in text
    assert "Kruskal–Wallis H=880.3, p=8.8e-186, ε²=0.23" in text
    assert {m.label: m.value for m in at.metric}["Families"] == "325"
    assert len(at.get("plotly_chart")) == 13  # 4 change-type charts need your labels
    assert any("analyse families with text" in i.value for i in at.info)
    assert len(at.get("download_button")) >= 14


def test_a_filter_gives_the_subsets_numbers(paper_db):
    at = corpus_page()
    at.selectbox(key="corpus_age").select("Matured").run()
    assert not at.exception, at.exception
    db = store.open_db(paper_db)
    matured = cs.filter_families(load_corpus(db).families, age_group="Matured")
    share = cs.pattern_share(matured)
    assert f"{len(matured)} families: Disperse {share['Disperse']}%" in captions(at)
    assert {m.label: m.value for m in at.metric}["Families"] == str(len(matured))

    at.toggle(key="corpus_exclusions").set_value(False).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Paper's exclusions"] == "off"


def test_your_family_in_the_corpus(with_mine):
    at = corpus_page(q="Qwen/Qwen-7B")
    assert not at.exception, at.exception
    assert at.selectbox(key="corpus_family").value == with_mine.name
    metrics = {m.label: m for m in at.metric}
    assert "percentile" in metrics["Days per switch"].delta
    assert metrics["Variants"].value == "4"
    assert "Disperse in Matured" in metrics
    assert any(h.value == "Your family in the corpus" for h in at.header)

    at.segmented_control(key="corpus_source").set_value("mine").run()
    assert not at.exception, at.exception
    text = captions(at)
    assert "labeled commits of 1 family" in text and "Paper (Fig. 4)" in text
    assert len(at.get("plotly_chart")) >= 10


def test_an_empty_cache_offers_the_import(db_file, monkeypatch, shared):
    monkeypatch.setenv("SYNCLENS_DB", str(db_file))
    at = corpus_page()
    assert not at.exception
    assert any("No corpus is imported yet" in i.value for i in at.info)
    at.button(key="import-paper").click().run()
    assert not at.exception, at.exception
    assert "Disperse 39.4%" in captions(at)
