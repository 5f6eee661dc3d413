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


def corpus_page(**query: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/corpus.py")
    return at.run()


def section(at: AppTest, key: str) -> AppTest:
    return at.segmented_control(key="corpus_section").set_value(key).run()


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def test_corpus_page_shows_the_papers_numbers_one_section_at_a_time(paper_db):
    at = corpus_page()
    assert not at.exception, at.exception
    assert "325 families: Disperse 39.4%, Sparse 15.4%, Rare 14.2%" in captions(at)
    assert {m.label: m.value for m in at.metric}["Families"] == "325"
    assert len(at.get("plotly_chart")) == 3  # only the visible section is drawn
    assert at.query_params["section"] == "patterns"

    section(at, "lags")
    assert "GH First 56.0%, Simultaneous 23.1%, HF First 20.9%" in captions(at)
    section(at, "delays")
    text = captions(at)
    assert "GH First 15.82, HF First 22.35, Simultaneous 9.32" in text
    assert "Kruskal–Wallis H=880.3, p=8.8e-186, ε²=0.23" in text
    assert len(at.get("plotly_chart")) == 4
    section(at, "change-types")
    assert not at.get("plotly_chart")
    assert any('choose the source "yours" or "both"' in i.value for i in at.info)


def test_a_shared_link_opens_its_section(paper_db):
    at = corpus_page(section="similarity")
    assert not at.exception, at.exception
    assert at.segmented_control(key="corpus_section").value == "similarity"
    assert "Paper (Fig. 6)" in captions(at)


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
    assert any(c.value.startswith("Exclusions off: family shares include") for c in at.caption)

    at.toggle(key="corpus_list").set_value(True).run()
    assert len(at.dataframe[0].value) == len(
        cs.filter_families(load_corpus(db, exclusions=False).families, age_group="Matured")
    )


def test_your_family_in_the_corpus_beside_the_papers_labels(with_mine):
    at = corpus_page(q="Qwen/Qwen-7B")  # a link with a family opens its section
    assert not at.exception, at.exception
    assert not at.get("plotly_chart")  # a section of its own
    assert at.selectbox(key="corpus_family").value == with_mine.name
    metrics = {m.label: m for m in at.metric}
    assert "percentile" in metrics["Days per switch"].delta
    assert metrics["Variants"].value == "4"
    assert "Disperse in Matured" in metrics
    beside = at.table[0].value
    assert beside.loc["pattern", "SyncLens"] == "Disperse"
    assert beside.loc["pattern", "paper"] == "Dense Partial"
    assert beside.loc["pattern", ""] == "differs" and beside.loc["lag", ""] == "same"
    assert "SyncLens and the paper differ on the pattern" in captions(at)
    # the Family page's own reason for this family, not a list of what might be
    assert "fall only on the 27 day(s) the paper's switch table names" in captions(at)

    at.segmented_control(key="corpus_source").set_value("mine").run()
    assert not at.exception, at.exception
    assert at.toggle(key="corpus_exclusions").disabled
    section(at, "change-types")
    text = captions(at)
    assert "labeled commits of 1 family" in text and "Paper (Fig. 4)" in text
    assert len(at.get("plotly_chart")) == 4


def test_both_counts_a_family_in_both_corpora_once(with_mine):
    at = corpus_page()
    at.segmented_control(key="corpus_source").set_value("all").run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Families"] == "325"
    assert "QwenLM/Qwen is in both corpora (the paper's Qwen_Qwen)" in captions(at)


def test_an_empty_cache_shows_the_shipped_corpus_without_a_click(db_file, monkeypatch):
    monkeypatch.setenv("SYNCLENS_DB", str(db_file))
    at = corpus_page()
    assert not at.exception, at.exception
    assert "Disperse 39.4%" in captions(at)
    assert any("the copy shipped with SyncLens" in t.value for t in at.toast)
    assert "the copy shipped with SyncLens" in "\n".join(c.value for c in at.sidebar.caption)
    assert not [b for b in at.button if "Import" in b.label]


def test_the_filters_come_back_from_a_shared_url(paper_db):
    at = corpus_page(corpus_lag="HF First", corpus_pattern="Sparse", corpus_exclusions="false")
    assert not at.exception, at.exception
    assert at.selectbox(key="corpus_lag").value == "HF First"
    assert at.selectbox(key="corpus_pattern").value == "Sparse"
    assert at.toggle(key="corpus_exclusions").value is False
    families = next(m for m in at.metric if m.label == "Families")
    assert 0 < int(families.value) < 325


def test_filters_that_match_no_family_say_so_once(paper_db):
    at = corpus_page(corpus_age="Recent", corpus_lag="HF First", corpus_pattern="Frequent")
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == [
        "No family matches these filters together; set one of them back to *All*."
    ]
    assert "No family has" not in captions(at)  # no section guesses at another cause


def test_a_link_to_a_family_not_cached_says_so(with_mine):
    at = corpus_page(q="nosuch/model")
    assert not at.exception, at.exception
    assert any("nosuch/model is not among your cached families" in i.value for i in at.info)
