"""`watch`: one look per family — heads against the last look, fetch what moved, say what
became stale. The Hub is replayed with respx, GitHub is a real local git repository (its head
read by `git ls-remote`) or, for the API fallback, replayed with `responses`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
import responses
import respx
from gitutil import append_commits, build_repo, git, url_template
from hf_replay import (
    ReplayClients,
    error_response,
    hub_for,
    mock_commits,
    mock_model_info,
    synthetic_commits,
)

from core import store
from core.ingest.fetch import update_family
from core.ingest.sources.gitrepo import GitBackend
from core.ingest.sources.heads import HeadProbe
from core.ingest.watch import look
from core.records import Family, FamilyMember

CODE, MODEL_A, MODEL_B = "org/code", "org/model-a", "org/model-b"
FAMILY = Family(CODE, CODE, (FamilyMember(MODEL_A, "card"), FamilyMember(MODEL_B, "card")))
EARLY = [("Dev", "dev@example.org", f"2022-12-0{i + 1}T10:00:00Z", f"2022-12-0{i + 1}T10:00:00Z",
          f"change {i}") for i in range(4)]  # fmt: skip
LATER = [("Dev", "dev@example.org", "2023-06-01T10:00:00Z", "2023-06-01T10:00:00Z", "fix rope")]


@pytest.fixture
def router():
    return respx.Router(assert_all_mocked=True)


@pytest.fixture
def upstream(tmp_path):
    """GitHub: a real repository with four commits of December 2022."""
    return build_repo(tmp_path / "remote" / "org" / "code", EARLY)


@pytest.fixture
def watched(fresh_db, router, tmp_path, upstream):
    """The family fetched once (HF variants of January 2023, so nothing is stale yet)."""
    hub = hub_for(router, tmp_path)
    for model_id in (MODEL_A, MODEL_B):
        items = synthetic_commits(model_id, 3)
        mock_model_info(router, model_id, items[0]["id"])
        mock_commits(router, model_id, items)
    template = url_template(tmp_path / "remote")
    clients = ReplayClients(hub, GitBackend(tmp_path / "cache", url_template=template))
    store.save_family(fresh_db, FAMILY)
    assert update_family(fresh_db, FAMILY, clients).ok
    return clients, HeadProbe(hub, git_url_template=template)


def test_an_unchanged_family_costs_one_request_per_repository_and_fetches_nothing(
    fresh_db, router, watched, upstream
):
    clients, probe = watched
    router.reset()

    seen = look(fresh_db, FAMILY, probe, clients)

    assert [(r.repo, r.status, r.via) for r in seen.repos] == [
        (MODEL_A, "unchanged", "model_info"),
        (MODEL_B, "unchanged", "model_info"),
        (CODE, "unchanged", "ls-remote"),
    ]
    assert seen.requests == 3 and len(router.calls) == 2  # two model infos + one ls-remote
    assert seen.fetch is None and seen.changed == () and seen.became_stale == ()
    assert seen.ok
    saved = store.seen_heads(fresh_db, [("HF", MODEL_A), ("GH", CODE)])
    assert saved[("HF", MODEL_A)].sha == synthetic_commits(MODEL_A, 3)[0]["id"]
    assert saved[("GH", CODE)].sha == git("rev-parse", "HEAD", cwd=upstream).strip()


def test_github_moving_is_fetched_alone_and_the_variants_become_stale(
    fresh_db, router, watched, upstream
):
    clients, probe = watched
    look(fresh_db, FAMILY, probe, clients)
    build = git("rev-parse", "HEAD", cwd=upstream).strip()
    append_commits(upstream, LATER)
    router.reset()

    seen = look(fresh_db, FAMILY, probe, clients)

    gh = seen.repos[-1]
    assert (gh.status, gh.before) == ("moved", build)
    assert gh.now == git("rev-parse", "HEAD", cwd=upstream).strip()
    assert seen.fetch is not None
    assert [(f.repo, f.n_new) for f in seen.fetch.repos] == [(CODE, 1)]  # only what moved
    assert len(router.calls) == 2  # the Hub was asked for heads only, no commit listing
    assert seen.became_stale == (MODEL_A, MODEL_B) and seen.stale == (MODEL_A, MODEL_B)

    again = look(fresh_db, FAMILY, probe, clients)
    assert again.changed == () and again.became_stale == () and again.stale == seen.stale


def test_a_moved_variant_is_listed_again(fresh_db, router, watched):
    clients, probe = watched
    items = synthetic_commits(MODEL_A, 5)
    mock_model_info(router, MODEL_A, items[0]["id"])
    mock_commits(router, MODEL_A, items)

    seen = look(fresh_db, FAMILY, probe, clients)

    assert [(r.repo, r.status) for r in seen.changed] == [(MODEL_A, "moved")]
    assert seen.fetch is not None and [(f.repo, f.n_new) for f in seen.fetch.repos] == [
        (MODEL_A, 2)
    ]
    assert store.count_commits(fresh_db, "HF", MODEL_A) == 5


def test_a_variant_deleted_on_the_hub_is_reported_not_crashed_on(fresh_db, router, watched):
    clients, probe = watched
    router.route(method="GET", url__eq=f"https://huggingface.co/api/models/{MODEL_B}").mock(
        return_value=error_response("not_found", MODEL_B)
    )

    seen = look(fresh_db, FAMILY, probe, clients)

    assert [(r.repo, r.status) for r in seen.changed] == [(MODEL_B, "deleted")]
    assert seen.ok and seen.fetch is None
    assert store.count_commits(fresh_db, "HF", MODEL_B) == 3  # its history stays
    assert look(fresh_db, FAMILY, probe, clients).repos[1].status == "gone"  # said once


def test_network_down_says_so_and_leaves_the_cache_untouched(fresh_db, tmp_path, watched):
    clients, _ = watched
    down = respx.Router()
    down.route(host="huggingface.co").mock(side_effect=httpx.ConnectError("down"))
    offline = HeadProbe(
        hub_for(down, tmp_path),
        git_url_template="http://127.0.0.1:9/{repo}",
        api_url="http://127.0.0.1:9",
    )
    runs = fresh_db["fetch_runs"].count

    seen = look(fresh_db, FAMILY, offline, clients)

    assert seen.offline and not seen.ok
    assert {r.kind for r in seen.repos} == {"network"}
    assert fresh_db["watched_heads"].count == 0 and fresh_db["fetch_runs"].count == runs


@responses.activate
def test_the_api_fallback_sends_the_stored_etag_and_a_304_means_unchanged(fresh_db, watched):
    clients, _ = watched
    url = "https://api.github.com/repos/org/code/commits"
    sha = "c" * 40
    responses.get(url, json=[{"sha": sha}], headers={"ETag": 'W/"v1"'})
    api_only = HeadProbe(clients.hub(), use_git=False)
    assert api_only.github_head(CODE).etag == 'W/"v1"'
    responses.replace(
        responses.GET,
        url,
        status=304,
        match=[responses.matchers.header_matcher({"If-None-Match": 'W/"v1"'})],
    )

    head = api_only.github_head(CODE, etag='W/"v1"')

    assert head.not_modified and head.sha is None and api_only.requests == 2


def test_the_command_prints_a_table_and_json_with_documented_exit_codes(
    cli, db_file, watched, fresh_db, monkeypatch, upstream
):
    clients, probe = watched
    monkeypatch.setattr("core.commands.watch.HeadProbe", lambda *a, **k: probe)
    monkeypatch.setattr("core.commands.watch.Clients.for_db", lambda *a, **k: clients)

    table = cli("--db", str(db_file), "watch", CODE)
    assert table.code == 0, table.err
    assert f"{CODE}: looked" in table.out and "3 requests" in table.out

    append_commits(upstream, LATER)
    moved = cli("--db", str(db_file), "watch", CODE, "--format", "json", "--once")
    assert moved.code == 3  # a variant became stale
    answer = json.loads(moved.out)
    assert answer["became_stale"] == [MODEL_A, MODEL_B]
    assert answer["fetched"] == [{"platform": "GH", "repo": CODE, "status": "complete", "new": 1}]

    assert cli("--db", str(db_file), "watch", "nobody/nothing").code == 2


def test_heads_are_timestamped(fresh_db, watched):
    clients, probe = watched
    when = datetime(2024, 1, 1, tzinfo=UTC)
    look(fresh_db, FAMILY, probe, clients, now=when)
    assert {h.looked_at for h in store.seen_heads(fresh_db, [("HF", MODEL_A)]).values()} == {
        "2024-01-01T00:00:00.000000Z"
    }
