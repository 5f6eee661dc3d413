"""The paper's own labels for a family (core.corpus.paper_family); "both" counts it once."""

from __future__ import annotations

import pytest
from seed import seed

from core import store
from core.corpus import import_mine, import_replication, load_corpus, paper_family
from core.corpus.stats import label_comparison, report_row
from core.report.family import build_report


def test_the_papers_labels_come_from_the_shipped_copy_when_the_cache_has_none(fresh_db):
    qwen = paper_family(fresh_db, "QwenLM/Qwen", "QwenLM/Qwen", ["Qwen/Qwen-7B"])
    assert qwen is not None and qwen.family == "Qwen_Qwen"
    assert (qwen.pattern, qwen.sync_type, qwen.intensity, qwen.lag) == (
        "Dense Partial",
        "PS",
        "F",
        "GH First",
    )
    assert (qwen.mean_switch_days, qwen.n_switches) == (1.72, 47)
    assert qwen.matched_by == "HF variants" and not qwen.excluded
    assert store.corpus_import_info(fresh_db, "paper") is None  # nothing was written


@pytest.mark.parametrize(
    ("name", "repo", "family", "matched_by"),
    [
        ("01-ai/Yi", None, "01-ai_YI", "name"),
        ("01-ai_YI", None, "01-ai_YI", "name"),
        ("QwenLM/Qwen", "QwenLM/Qwen", "Qwen_Qwen", "GitHub repository"),
        ("someone/else", "qwenlm/QWEN", "Qwen_Qwen", "GitHub repository"),
    ],
)
def test_a_family_is_found_by_name_or_by_a_repository_only_one_family_has(
    fresh_db, name, repo, family, matched_by
):
    found = paper_family(fresh_db, name, repo)
    assert found is not None and (found.family, found.matched_by) == (family, matched_by)


def test_an_ambiguous_repository_needs_the_variants_and_strangers_get_none(fresh_db):
    assert paper_family(fresh_db, "microsoft/unilm", "microsoft/unilm") is None
    e5 = paper_family(fresh_db, "microsoft/unilm", "microsoft/unilm", ["intfloat/e5-large"])
    assert e5 is not None and e5.family == "intfloat_e5" and e5.excluded
    assert e5.mean_switch_days is None and e5.n_switches == 0  # no switches for exclusions
    assert paper_family(fresh_db, "acme/none", "acme/none", ["acme/none-1b"]) is None


@pytest.fixture
def both(fresh_db, shared):
    """The paper's corpus and the seeded Qwen family (in the paper too) as yours."""
    import_replication(fresh_db, shared / "corpus")
    family = seed(fresh_db, "Qwen_Qwen", shared)
    import_mine(fresh_db)
    return family


def test_a_family_in_both_corpora_counts_once_with_synclens_labels(fresh_db, both):
    corpus = load_corpus(fresh_db, "all")
    assert corpus.overlap == ((both.name, "Qwen_Qwen"),)
    assert len(corpus.families) == 325
    qwen = corpus.families[corpus.families["github_repo"] == "QwenLM/Qwen"]
    assert list(qwen["corpus"]) == ["mine"]
    assert "Qwen_Qwen" not in set(corpus.switches["family"])
    paper_only = load_corpus(fresh_db, "paper")
    assert "Qwen_Qwen" in set(paper_only.families["family"])


def test_synclens_and_the_paper_side_by_side(fresh_db, both):
    report = build_report(fresh_db, both)
    ours = report_row(report)
    theirs = paper_family(fresh_db, both.name, both.github_repo, both.variants)
    table = label_comparison(ours, theirs).set_index("measure")
    assert list(table.index) == [
        "pattern",
        "sync type",
        "intensity",
        "lag",
        "mean days per switch",
    ]
    assert table.loc["pattern", "paper"] == "Dense Partial"
    assert table.loc["pattern", "synclens"] == ours["pattern"]
    assert table.loc["pattern", "same"] == (ours["pattern"] == "Dense Partial")
    assert table.loc["mean days per switch", "paper"] == 1.72
