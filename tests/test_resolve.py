"""Finding a family: Algorithm 1 over card links, Hub search confirmed by cards, the corpus."""

import httpx
import pytest
import respx
from hf_replay import FIXTURES, hub_for, mock_model_info, mock_readme, mock_search

from core.errors import InputError, SourceError
from core.ingest.resolve import (
    apply_user_edits,
    load_corpus_mapping,
    resolve_from_github,
    resolve_from_model,
    select_github_links,
)
from core.records import Family, FamilyMember


class FakeHub:
    """Cards and search results from dicts; counts card reads."""

    def __init__(
        self,
        cards: dict[str, list[str]],
        search: dict[tuple, list[str]] | None = None,
        failing: dict[str, SourceError] | None = None,
    ) -> None:
        self.cards = cards
        self.search = search or {}
        self.failing = failing or {}
        self.card_reads: list[str] = []

    def card_links(self, model_id: str) -> list[str]:
        self.card_reads.append(model_id)
        if model_id in self.failing:
            raise self.failing[model_id]
        return self.cards.get(model_id, [])

    def search_models(self, query=None, author=None, limit=50):
        return self.search.get((query, author), [])


# --- Algorithm 1 -----------------------------------------------------------------------------


def test_paper_example_keeps_links_with_the_owner_segment():
    links = ["https://github.com/ProsusAI/finBERT", "https://github.com/google-research/bert"]
    assert select_github_links(links, "ProsusAI/finbert") == ["ProsusAI/finBERT"]


def test_without_an_owner_match_the_name_segment_decides():
    links = ["https://github.com/huggingface/transformers", "https://github.com/someone/finbert"]
    assert select_github_links(links, "ProsusAI/finbert") == ["someone/finbert"]


def test_deep_links_git_suffix_www_and_case_normalise_and_deduplicate():
    links = [
        "https://github.com/01-ai/Yi/tree/main/finetune",
        "https://github.com/01-ai/Yi.git",
        "https://www.github.com/01-AI/yi",
        "github.com/01-ai/Yi/blob/main/LICENSE",
    ]
    assert select_github_links(links, "01-ai/Yi-34B") == ["01-ai/Yi"]


def test_non_repository_pages_are_dropped():
    links = [
        "https://github.com/orgs/01-ai/people",
        "https://github.com/sponsors/01-ai",
        "https://gist.github.com/01-ai/abc",
        "https://github.com/01-ai",
        "https://github.com/01-ai?tab=repositories",
    ]
    assert select_github_links(links, "01-ai/Yi-34B") == []


def test_a_path_segment_does_not_make_a_repository_match():
    links = ["https://github.com/huggingface/transformers/tree/main/examples/finbert"]
    assert select_github_links(links, "ProsusAI/finbert") == []


def test_ranking_prefers_the_model_name_then_more_mentions():
    links = [
        "https://github.com/01-ai/tools",
        "https://github.com/01-ai/Yi",
        "https://github.com/01-ai/docs",
        "https://github.com/01-ai/docs/issues",
    ]
    assert select_github_links(links, "01-ai/Yi-34B") == ["01-ai/Yi", "01-ai/docs", "01-ai/tools"]


def test_the_real_yi_card_selects_one_repository():
    from core.ingest.sources.card_links import body_links

    links = body_links((FIXTURES / "README_yi.md").read_text())
    assert select_github_links(links, "01-ai/Yi-34B-Chat") == ["01-ai/Yi"]


# --- corpus mapping --------------------------------------------------------------------------


def test_corpus_mapping_from_the_paper_file(shared):
    mapping = load_corpus_mapping(shared / "corpus" / "complete_dataset.csv")
    assert list(mapping.columns) == ["model_id", "github_repo", "family"]
    assert len(mapping) == 986
    row = mapping[mapping["model_id"] == "google-bert/bert-base-uncased"].iloc[0]
    assert (row["github_repo"], row["family"]) == ("google-research/bert", "google-bert_bert")


def test_corpus_mapping_skips_garbage_rows(tmp_path):
    path = tmp_path / "mapping.csv"
    path.write_text(
        "model_name,cleaned_github,family\n"
        "01-ai/Yi-34B,https://github.com/01-ai/Yi,01-ai_Yi\n"
        "not a model,https://github.com/a/b,x\n"
        "a/b,https://gitlab.com/a/b,x\n"
        ",,\n"
        "c/d,https://github.com/c/d,fam,extra,columns\n"
        "01-ai/Yi-6B,github.com/01-ai/Yi/tree/main,01-ai_Yi\n"
    )
    mapping = load_corpus_mapping(path)
    assert mapping["model_id"].tolist() == ["01-ai/Yi-34B", "01-ai/Yi-6B"]
    assert set(mapping["github_repo"]) == {"01-ai/Yi"}


def test_corpus_mapping_without_the_columns_is_an_input_error(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="model_name"):
        load_corpus_mapping(path)


# --- resolution ------------------------------------------------------------------------------

YI = "https://github.com/01-ai/Yi"


def test_from_a_model_the_card_gives_the_repo_and_search_the_variants():
    hub = FakeHub(
        cards={
            "01-ai/Yi-34B": [YI, "https://github.com/vllm-project/vllm"],
            "01-ai/Yi-6B": [YI + "/blob/main/README.md"],
            "01-ai/Yi-VL-6B": ["https://github.com/01-ai/Yi/tree/main/VL"],
            "TheBloke/Yi-34B-GGUF": [YI],
            "01-ai/unrelated": ["https://github.com/x/y"],
        },
        search={
            (None, "01-ai"): ["01-ai/Yi-34B", "01-ai/Yi-6B", "01-ai/Yi-VL-6B", "01-ai/unrelated"],
            ("Yi", None): ["TheBloke/Yi-34B-GGUF", "01-ai/Yi-6B"],
        },
    )

    resolution = resolve_from_model("01-ai/Yi-34B", hub)

    family = resolution.family
    assert (family.name, family.github_repo) == ("01-ai/Yi", "01-ai/Yi")
    sources = {m.model_id: m.source for m in family.members}
    assert sources == {"01-ai/Yi-34B": "card", "01-ai/Yi-6B": "search", "01-ai/Yi-VL-6B": "search"}
    assert "TheBloke/Yi-34B-GGUF" not in hub.card_reads  # Algorithm 1 could never keep it
    assert resolution.candidates == ()


def test_several_candidates_are_returned_ranked_for_the_user():
    hub = FakeHub(
        cards={
            "org/model": [
                "https://github.com/org/a",
                "https://github.com/org/b",
                "https://github.com/org/b/issues",
            ]
        }
    )
    resolution = resolve_from_model("org/model", hub)
    assert resolution.ambiguous and resolution.candidates == ("org/b", "org/a")
    assert resolution.family.github_repo is None
    assert "--github" in resolution.notes[0]


def test_the_user_choice_wins_and_no_link_is_said_clearly():
    hub = FakeHub(cards={"org/model": []})
    none = resolve_from_model("org/model", hub)
    assert none.family.name == "hf:org/model" and none.family.github_repo is None
    assert any("No GitHub repository" in n for n in none.notes)

    chosen = resolve_from_model("org/model", hub, github="org/code")
    assert chosen.family.github_repo == "org/code"
    assert chosen.family.members == (FamilyMember("org/model", "user", "given as the target"),)


def test_from_github_corpus_rows_and_confirmed_search_results(shared):
    corpus = load_corpus_mapping(shared / "corpus" / "complete_dataset.csv")
    hub = FakeHub(
        cards={"google/bert_uncased_L-2_H-128_A-2": ["https://github.com/google-research/bert"]},
        search={
            (None, "google-research"): [],
            ("bert", None): ["google/bert_uncased_L-2_H-128_A-2", "google-bert/bert-base-uncased"],
        },
    )

    family = resolve_from_github("google-research/bert", hub, corpus).family

    sources = {m.model_id: m.source for m in family.members}
    assert sources["google-bert/bert-base-uncased"] == "corpus"
    assert sources["google/bert_uncased_L-2_H-128_A-2"] == "search"
    assert "google-bert/bert-base-uncased" not in hub.card_reads  # corpus already knew it


def test_a_failing_card_is_noted_not_fatal():
    hub = FakeHub(
        cards={"org/ok": ["https://github.com/org/code"]},
        search={(None, "org"): ["org/gated", "org/ok"]},
        failing={"org/gated": SourceError("org/gated is gated.", kind="gated", repo="org/gated")},
    )
    resolution = resolve_from_github("org/code", hub)
    assert [m.model_id for m in resolution.family.members] == ["org/ok"]
    assert any("org/gated" in n for n in resolution.notes)


def test_user_edits_add_and_remove_variants():
    family = Family(
        "org/code", "org/code", (FamilyMember("org/a", "card"), FamilyMember("org/b", "search"))
    )
    edited = apply_user_edits(family, add=["https://huggingface.co/org/c"], remove=["ORG/B"])
    assert [(m.model_id, m.source) for m in edited.members] == [
        ("org/a", "card"),
        ("org/c", "user"),
    ]
    with pytest.raises(InputError):
        apply_user_edits(family, add=["gh:org/code"])


def test_resolution_over_replayed_hub_answers(tmp_path):
    router = respx.Router(assert_all_mocked=True)
    readme = (FIXTURES / "README_yi.md").read_text()
    for model in ("01-ai/Yi-34B-Chat", "01-ai/Yi-6B"):
        mock_model_info(router, model, "e" * 40, {"license": "apache-2.0"})
        mock_readme(router, model, readme, "e" * 40)
    mock_search(router, ["01-ai/Yi-34B-Chat", "01-ai/Yi-6B"], author="01-ai")
    mock_search(router, ["01-ai/Yi-6B", "TheBloke/Yi-6B-GGUF"], search="Yi")
    hub = hub_for(router, tmp_path)

    family = resolve_from_model("01-ai/Yi-34B-Chat", hub).family

    assert family.github_repo == "01-ai/Yi"
    assert family.variants == ("01-ai/Yi-34B-Chat", "01-ai/Yi-6B")
    assert not any("TheBloke" in str(c.request.url) for c in router.calls)


def test_unknown_model_raises_before_anything_is_resolved(tmp_path):
    router = respx.Router(assert_all_mocked=True)
    router.get("https://huggingface.co/api/models/org/none").mock(
        return_value=httpx.Response(
            404, json={"error": "Repository not found"}, headers={"X-Error-Code": "RepoNotFound"}
        )
    )
    with pytest.raises(SourceError) as err:
        resolve_from_model("org/none", hub_for(router, tmp_path))
    assert err.value.kind == "not_found"


def test_when_every_search_fails_nothing_is_resolved():
    class Offline(FakeHub):
        def search_models(self, query=None, author=None, limit=50):
            raise SourceError("Cannot reach the Hugging Face Hub.", kind="network")

    with pytest.raises(SourceError):
        resolve_from_github("org/code", Offline(cards={}))


# --- review: GitHub and the Hub ignore case, the cache must too ------------------------------


def test_a_repository_spelled_in_another_case_reuses_the_cached_family(fresh_db):
    """`01-ai/yi` fetched first, then a card linking `01-ai/Yi`: one family, no duplicate commits."""
    from datetime import UTC, datetime

    from core import store
    from core.ingest.choose import choose_family
    from core.ingest.fetch import fetch_family
    from core.records import GH, CommitRecord

    store.save_family(fresh_db, Family("01-ai/yi", "01-ai/yi", ()))

    class OneCommit:
        name, requests = "api", 0

        def iter_commits(self, repo, since=None):
            when = datetime(2024, 1, 1, tzinfo=UTC)
            yield CommitRecord(GH, repo, "a" * 40, when, "init", "init", committed_at=when)

    fetch_family(fresh_db, store.load_family(fresh_db, "01-ai/yi"), hub=None, github=OneCommit())
    hub = FakeHub({"01-ai/Yi-6B": ["https://github.com/01-ai/Yi"]})

    choice = choose_family(fresh_db, "01-ai/Yi-6B", lambda: hub)
    store.save_family(fresh_db, choice.family)
    fetch_family(fresh_db, choice.family, hub=None, github=OneCommit(), full=True)

    assert (choice.family.name, choice.family.github_repo) == ("01-ai/yi", "01-ai/yi")
    assert [m.model_id for m in choice.family.members] == ["01-ai/Yi-6B"]
    assert fresh_db.execute("SELECT count(*) FROM families").fetchone()[0] == 1
    assert fresh_db.execute("SELECT count(*) FROM commits").fetchone()[0] == 1


def test_an_added_variant_takes_the_spelling_its_commits_are_cached_under(cli, db_file):
    from core import store

    db = store.open_db(db_file)
    store.save_family(db, Family("org/code", "org/code", ()))
    run = store.start_run(db, "HF", "Org/Model-7B", "hub")
    store.complete_fetch(db, run, "HF", "Org/Model-7B", [])
    db.close()

    result = cli("--db", db_file, "family", "gh:org/code", "--add-variant", "org/model-7b")
    assert result.code == 0, result.err
    assert "Org/Model-7B  user" in result.out


def test_cli_a_removed_variant_does_not_come_back_through_a_later_lookup(cli, db_file, monkeypatch):
    hub = FakeHub(
        {"org/a": ["https://github.com/org/code"], "org/b": ["https://github.com/org/code"]},
        {(None, "org"): ["org/a", "org/b"]},
    )
    monkeypatch.setattr("core.ingest.clients.Clients.hub", lambda self: hub)
    assert cli("--db", db_file, "family", "org/a").code == 0
    assert cli("--db", db_file, "family", "org/a", "--remove-variant", "org/b").code == 0

    result = cli("--db", db_file, "family", "org/b")

    assert result.code == 0, result.err
    assert "org/b" not in result.out.split("variants", 1)[1]
