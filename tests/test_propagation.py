"""Exact propagation on real local git repositories: file histories imported from blobless
clones (and the Hub's tree API), links between versions, measures and the per-file matrix."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx
from gitutil import append_commits, git
from hf_replay import HUB, hub_for
from propagation_family import (
    GATED,
    GENERATION,
    GGUF,
    GH_REPO,
    ONE,
    SEVEN,
    blob_id,
    build_family,
    gated_trees,
    gh_records,
)

from core import store
from core.audit.inputs import audit_gathered, gather_inputs
from core.audit.render import render_markdown
from core.ingest.sources.gitrepo import GitBackend, hub_git
from core.propagation.build import build_propagation
from core.propagation.importer import import_file_histories
from core.propagation.missing import missing_files
from core.records import CommitRecord


@pytest.fixture
def built(tmp_path):
    return build_family(tmp_path / "remote")


@pytest.fixture
def router():
    router = respx.Router(assert_all_mocked=True)
    for sha, items in gated_trees().items():
        router.get(
            f"{HUB}/api/models/{GATED}/tree/{sha}", params={"recursive": "true", "expand": "false"}
        ).mock(return_value=httpx.Response(200, json=items))
    return router


@pytest.fixture
def clients(built, tmp_path, router):
    gh_template, hf_template = built.templates()
    return {
        "github": GitBackend(tmp_path / "cache", gh_template),
        "hub_git": hub_git(tmp_path / "cache", hf_template),
        "hub": hub_for(router, tmp_path),
    }


@pytest.fixture
def imported(fresh_db, built, clients):
    store.save_commits(fresh_db, [*gh_records(built), *built.hf_commits])
    result = import_file_histories(fresh_db, built.family, **clients)
    return fresh_db, result


def test_every_side_is_read_and_says_how(imported):
    _, result = imported
    how = {r.repo: (r.source, r.status) for r in result}
    assert how == {
        GH_REPO: ("git", "read"),
        SEVEN: ("git", "read"),
        ONE: ("git", "read"),
        GGUF: ("git", "read"),
        GATED: ("api", "read"),
    }
    gated = next(r for r in result if r.repo == GATED)
    assert gated.requests == 2 and gated.note == "Hub tree API (no git clone: not_found)"


def test_the_clones_hold_no_file_content(imported, tmp_path):
    clone = tmp_path / "cache" / "hf-git" / "acme__llm-7b.git"
    objects = git("cat-file", "--batch-all-objects", "--batch-check", cwd=clone)
    assert "blob" not in objects and "tree" in objects


def test_a_move_is_a_deletion_and_an_addition_of_the_same_blob(imported, built):
    db, _ = imported
    changes = store.file_changes(db, [("GH", GH_REPO)])
    moved = changes[changes["sha"] == built.gh_shas[8]].set_index("path")
    assert moved.loc["tokenizer/tokenizer_config.json", "change"] == "D"
    assert moved.loc["configs/tokenizer_config.json", "change"] == "A"
    first = changes[(changes["sha"] == built.gh_shas[0])].set_index("path")
    assert (
        first.loc["tokenizer/tokenizer_config.json", "blob_id"]
        == moved.loc["configs/tokenizer_config.json", "blob_id"]
    )


def test_a_refresh_reads_only_new_commits(imported, built, clients):
    db, _ = imported
    again = import_file_histories(db, built.family, **clients)
    assert {r.status for r in again} == {"unchanged"}
    append_commits(
        built.gh_remote / GH_REPO,
        [("Ann", "ann@x.org", "2024-05-01T10:00:00+00:00", "2024-05-01T10:00:00+00:00", "bump")],
        files={0: {"config.json": b'{"rope": 3}\n'}},
    )
    third = import_file_histories(db, built.family, **clients)
    gh = next(r for r in third if r.repo == GH_REPO)
    assert (gh.status, gh.n_new) == ("read", 1)
    assert store.count_commits(db, "GH", GH_REPO) == 24  # the commits table is not ours


def test_content_links_find_the_first_commit_holding_the_same_content(imported, built):
    db, _ = imported
    result = build_propagation(db, built.family)
    links = result.links
    v2 = links[
        (links["variant"] == SEVEN)
        & (links["kind"] == "content")
        & (links["source_sha"] == built.gh_shas[4])
    ].iloc[0]
    assert v2["direction"] == "GH→HF" and v2["matched_by"] == "path"
    assert round(v2["delay_hours"]) == 9 * 24
    tokenizer = links[
        (links["variant"] == SEVEN) & (links["target_path"] == "tokenizer_config.json")
    ]
    assert tokenizer.iloc[0]["matched_by"] == "name"  # HF flattens GitHub's folders


def test_an_lfs_pointer_matches_by_blob_id_and_by_sha256(imported, built):
    db, _ = imported
    links = build_propagation(db, built.family).links
    weights = links[(links["source_path"] == "model.safetensors") & (links["kind"] == "content")]
    assert set(weights["variant"]) == {SEVEN, GATED}  # GATED's pointer text differs: sha256


def test_a_hub_commit_naming_a_github_sha_is_an_explicit_link(imported, built):
    db, _ = imported
    result = build_propagation(db, built.family)
    named = result.links[result.links["kind"] == "message"]
    assert list(named["source_sha"]) == [built.gh_shas[4]]
    assert list(named["variant"]) == [SEVEN]
    assert set(result.automated["bot"]) == {"auto-sync", "hub-sync"}


def test_measures_per_variant(imported, built):
    db, _ = imported
    result = build_propagation(db, built.family)
    seven, one, gguf = result.variant(SEVEN), result.variant(ONE), result.variant(GGUF)
    assert (seven.reached, seven.never) == (6, 1)  # config v3 never came; modeling is not shared
    assert (one.reached, one.never) == (2, 3)  # README, config v2 and v3
    assert seven.hub_only_edits == 1 and one.hub_only_edits == 1  # their README edits
    assert gguf.shared_files == 0 and gguf.gh_versions == 0 and gguf.share is None
    assert result.summary.variants_sharing == 3
    assert result.summary.delays.n == sum(v.reached for v in result.per_variant)
    assert seven.message_links == 1 and seven.automated_commits == 2


def test_the_matrix_says_carried_late_or_never(imported, built):
    db, _ = imported
    matrix = build_propagation(db, built.family).matrix.set_index(["path", "variant"])
    assert matrix.loc[("config.json", ONE), "cell"] == "never"
    assert matrix.loc[("config.json", GATED), "cell"].startswith("late ")
    assert matrix.loc[("generation_config.json", SEVEN), "cell"] == "late 3 d"
    assert matrix.loc[("model.safetensors", SEVEN), "cell"] == "carried"
    assert GGUF not in set(matrix.index.get_level_values("variant"))


def test_missing_files_name_the_files_and_github_commits_a_variant_lacks(imported, built):
    db, _ = imported
    lacking = missing_files(build_propagation(db, built.family), ONE)
    # current versions only (config v2 was replaced on GitHub), of files llm-1b carries
    # (it never had generation_config.json)
    assert [(m.path, m.gh_sha) for m in lacking] == [
        ("config.json", built.gh_shas[16]),
        ("README.md", built.gh_shas[0]),  # llm-1b has its own README, never GitHub's
    ]


def test_the_audit_names_the_files_a_stale_variant_lacks(imported, built):
    db, _ = imported
    store.save_family(db, built.family)
    inputs = gather_inputs(db, built.family, offline=True)
    report = audit_gathered(inputs, today=datetime(2025, 1, 1, tzinfo=UTC))
    one = next(s for s in report.stale if s.model_id == ONE)
    assert one.is_stale
    assert [f.path for f in one.missing_files] == ["config.json", "README.md"]
    markdown = render_markdown(report)
    assert "Current GitHub files that never reached acme/llm-1b (2):" in markdown
    assert built.gh_shas[16][:7] in markdown


def test_without_file_histories_the_audit_says_files_were_not_checked(fresh_db, built):
    store.save_commits(fresh_db, [*gh_records(built), *built.hf_commits])
    store.save_family(fresh_db, built.family)
    report = audit_gathered(gather_inputs(fresh_db, built.family, offline=True))
    assert all(s.missing_files is None for s in report.stale)
    assert "Exact files not checked" in render_markdown(report)


def test_a_force_pushed_hub_history_drops_what_was_rewritten(imported, built, clients):
    db, _ = imported
    repo = built.hf_remote / SEVEN
    old = set(git("rev-list", "main", cwd=repo).split())
    git("update-ref", "refs/heads/main", "main~2", cwd=repo)
    append_commits(
        repo,
        [("hub", "h@hf.co", "2024-06-01T00:00:00+00:00", "2024-06-01T00:00:00+00:00", "squash")],
        files={0: {"config.json": b'{"rope": 2}\n'}},
    )
    result = import_file_histories(db, built.family, **clients)
    seven = next(r for r in result if r.repo == SEVEN)
    assert (seven.source, seven.status, seven.n_new) == ("git", "read", 1)
    now = store.scanned_shas(db, "HF", SEVEN)
    assert len(now) == 4 and len(now & old) == 3


def test_offline_reads_only_clones_already_cached(fresh_db, built, clients):
    result = import_file_histories(fresh_db, built.family, offline=True, **clients)
    assert {r.status for r in result} == {"skipped"}


def test_the_tree_api_fallback_lists_only_new_revisions(imported, built, clients, router):
    db, _ = imported
    new_sha = "d" * 40
    when = built.gh_times[20] + timedelta(days=30)
    store.save_commits(
        db, [CommitRecord("HF", GATED, new_sha, when, title="Upload generation_config.json")]
    )
    listing = [*gated_trees()["b" * 40], _file("generation_config.json", GENERATION)]
    route = router.get(
        f"{HUB}/api/models/{GATED}/tree/{new_sha}", params={"recursive": "true", "expand": "false"}
    ).mock(return_value=httpx.Response(200, json=listing))

    result = import_file_histories(db, built.family, **clients)

    gated = next(r for r in result if r.repo == GATED)
    assert (gated.source, gated.n_new, gated.requests) == ("api", 1, 1)
    assert route.call_count == 1
    changes = store.file_changes(db, [("HF", GATED)])
    assert changes.loc[changes["sha"] == new_sha, "path"].tolist() == ["generation_config.json"]


def _file(path: str, data: bytes) -> dict:
    return {"type": "file", "path": path, "oid": blob_id(data), "size": len(data)}
