"""Issue 11, failure 1: a listing that ends early or changes shape is a failed fetch.

Before: page 3 of 5 answering 200 with `[]` and no next link (or a JSON object where the list
belongs) was taken for the end of the history: the fetch was marked complete with 100 of 240
HF / 200 of 450 GitHub commits and the rewritten-history prune deleted the rest of the
cache. Here every page position of both listings gets each fault, over a cache that already
holds the whole history: the fetch must fail and keep every cached commit.
"""

from __future__ import annotations

import httpx
import pytest
import responses
import respx
from ghreplay import CommitsEndpoint, items_from_history
from hf_replay import HUB, commits_url, hub_for, mock_commits, mock_model_info, synthetic_commits
from loopback import FakeHub, env

from core import store
from core.errors import SourceError
from core.ingest.fetch import fetch_family
from core.ingest.sources.github import ApiBackend
from core.ingest.sources.github_client import make_github_client
from core.ingest.sources.listing import PagedListing, link_header, page_number
from core.records import Family, FamilyMember

pytestmark = pytest.mark.hardening

MODEL, N_HF, HF_PAGES = "org/model", 240, 5  # 50 a page
REPO, N_GH, GH_PAGES = "org/code", 450, 5  # 100 a page
HF_ONLY = Family("hf:org/model", None, (FamilyMember(MODEL, "user"),))
GH_ONLY = Family(REPO, REPO, ())

# (name, status, body, headers) of an answer that ends or breaks the listing without an error
HF_FAULTS = [
    ("empty page, no next link", []),
    ("JSON object instead of the list", {"commits": []}),
    ("short page, no next link", "short"),
]
GH_FAULTS = [
    ("empty page, no next link", []),
    ("JSON object instead of the list", {"message": "Moved"}),
    ("short page, no next link", "short"),
    ("null", None),
]


# --- the Hub ---------------------------------------------------------------------------------


def serve_hub(router: respx.Router, items: list[dict], fault_page=None, fault=None) -> None:
    router.routes.clear()
    mock_model_info(router, MODEL, items[0]["id"])
    routes = mock_commits(router, MODEL, items)
    if fault_page is not None:
        chunk = items[fault_page * 50 : fault_page * 50 + 10] if fault == "short" else fault
        routes[fault_page].mock(
            return_value=httpx.Response(200, json=chunk, headers={"X-Total-Count": str(N_HF)})
        )


@pytest.mark.parametrize("page", range(HF_PAGES))
@pytest.mark.parametrize(("name", "fault"), HF_FAULTS, ids=[f[0] for f in HF_FAULTS])
def test_a_hub_listing_that_ends_early_fails_and_keeps_the_cache(
    fresh_db, tmp_path, page, name, fault
):
    router = respx.Router(assert_all_mocked=True)
    hub = hub_for(router, tmp_path)
    items = synthetic_commits(MODEL, N_HF)
    serve_hub(router, items)
    assert fetch_family(fresh_db, HF_ONLY, hub=hub, github=None).ok
    before = store.last_complete_run(fresh_db, "HF", MODEL)

    serve_hub(router, items, page, fault)
    report = fetch_family(fresh_db, HF_ONLY, hub=hub, github=None, full=True)

    (repo,) = report.repos
    assert repo.status == "failed" and repo.kind in ("incomplete", "malformed"), repo
    assert "cache keeps what it had" in (repo.error or "")
    assert store.count_commits(fresh_db, "HF", MODEL) == N_HF  # nothing deleted
    assert store.last_complete_run(fresh_db, "HF", MODEL) == before


def test_a_hub_listing_short_of_its_total_count_fails(tmp_path):
    router = respx.Router(assert_all_mocked=True)
    hub = hub_for(router, tmp_path)
    router.get(commits_url(MODEL)).mock(
        return_value=httpx.Response(
            200, json=synthetic_commits(MODEL, 30), headers={"X-Total-Count": "240"}
        )
    )
    with pytest.raises(SourceError, match="listed 30 of the 240") as err:
        hub.list_commits(MODEL)
    assert err.value.kind == "incomplete"


def test_a_hub_next_link_to_another_host_is_not_followed(tmp_path):
    """The token goes with every request: a next page elsewhere ends the listing as broken."""
    router = respx.Router(assert_all_mocked=True)
    hub = hub_for(router, tmp_path)
    router.get(commits_url(MODEL)).mock(
        return_value=httpx.Response(
            200,
            json=synthetic_commits(MODEL, 50),
            headers={"Link": '<https://evil.example/page2>; rel="next"', "X-Total-Count": "90"},
        )
    )
    with pytest.raises(SourceError, match="another host"):
        hub.list_commits(MODEL)
    assert all(call.request.url.host == "huggingface.co" for call in router.calls)


def test_an_empty_hub_history_is_not_a_whole_listing(tmp_path):
    router = respx.Router(assert_all_mocked=True)
    hub = hub_for(router, tmp_path)
    router.get(commits_url(MODEL)).mock(return_value=httpx.Response(200, json=[]))
    with pytest.raises(SourceError, match="listed nothing"):
        hub.list_commits(MODEL)


def test_a_whole_hub_listing_without_the_reported_head_prunes_nothing(fresh_db, tmp_path):
    """The head sha from model info is missing from the listing: it changed in between, so
    it proves nothing gone (the fetch still completes with what it listed)."""
    router = respx.Router(assert_all_mocked=True)
    hub = hub_for(router, tmp_path)
    items = synthetic_commits(MODEL, 60)
    serve_hub(router, items)
    fetch_family(fresh_db, HF_ONLY, hub=hub, github=None)
    router.routes.clear()
    mock_model_info(router, MODEL, "f" * 40)
    mock_commits(router, MODEL, items[:20])

    report = fetch_family(fresh_db, HF_ONLY, hub=hub, github=None, full=True)

    assert report.ok and report.repos[0].n_removed == 0
    assert store.count_commits(fresh_db, "HF", MODEL) == 60


def test_a_provably_whole_hub_listing_prunes_exactly_what_it_proves_gone(fresh_db, tmp_path):
    router = respx.Router(assert_all_mocked=True)
    hub = hub_for(router, tmp_path)
    items = synthetic_commits(MODEL, 60)
    serve_hub(router, items)
    fetch_family(fresh_db, HF_ONLY, hub=hub, github=None)
    squashed = items[:57]  # the three oldest were squashed away upstream
    serve_hub(router, squashed)

    report = fetch_family(fresh_db, HF_ONLY, hub=hub, github=None, full=True)

    assert report.ok and report.repos[0].n_removed == 3
    assert store.known_shas(fresh_db, "HF", MODEL) == {i["id"] for i in squashed}


# --- GitHub ----------------------------------------------------------------------------------


def gh_items() -> list[dict]:
    rows = [
        ("Dev", "dev@example.com", f"2023-01-{1 + i % 28:02d}T{i % 24:02d}:00:00Z", None, f"c{i}")
        for i in range(N_GH)
    ]
    return items_from_history(REPO, [(n, e, d, d, t) for n, e, d, _, t in rows])


@pytest.mark.parametrize("page", range(1, GH_PAGES + 1))
@pytest.mark.parametrize(("name", "fault"), GH_FAULTS, ids=[f[0] for f in GH_FAULTS])
def test_a_github_listing_that_ends_early_fails_and_keeps_the_cache(fresh_db, page, name, fault):
    items = gh_items()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        endpoint = CommitsEndpoint(REPO, items).register(rsps)
        backend = ApiBackend(make_github_client(None, seconds_between_requests=None))
        assert fetch_family(fresh_db, GH_ONLY, hub=None, github=backend).ok
        before = store.last_complete_run(fresh_db, "GH", REPO)

        # a short page fails even last: its oldest commit's parent goes unlisted
        start = (page - 1) * 100
        body = items[start : start + 10] if fault == "short" else fault
        endpoint.fail(page, 200, "null" if body is None else body)
        report = fetch_family(fresh_db, GH_ONLY, hub=None, github=backend, full=True)

    (repo,) = report.repos
    assert repo.status == "failed" and repo.kind in ("incomplete", "malformed"), repo
    assert store.count_commits(fresh_db, "GH", REPO) == N_GH  # nothing deleted
    assert store.last_complete_run(fresh_db, "GH", REPO) == before


def test_a_github_listing_that_stops_before_its_last_page_fails_on_refresh_too(fresh_db):
    """With `since` nothing is pruned, but a partial listing marked complete would move
    `since` past commits it never saw: they would be lost for good."""
    items = gh_items()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        endpoint = CommitsEndpoint(REPO, items).register(rsps)
        backend = ApiBackend(make_github_client(None, seconds_between_requests=None))
        endpoint.fail(3, 200, [])
        with pytest.raises(SourceError) as err:
            list(backend.iter_commits(REPO, since=None))
    assert err.value.kind == "incomplete" and "page 3" in str(err.value)


# --- the listing check itself ----------------------------------------------------------------


def test_link_headers_and_page_numbers():
    links = link_header(
        '<https://api.github.com/repositories/1/commits?per_page=100&page=2>; rel="next", '
        '<https://api.github.com/repositories/1/commits?per_page=100&page=5>; rel="last"'
    )
    assert page_number(links["next"]) == 2 and page_number(links["last"]) == 5
    assert link_header(None) == {} and page_number(None) is None


@pytest.mark.parametrize(
    ("pages", "words"),
    [
        ([([{}], True, 5), ([{}], False, None)], "stopped after page 2 of 5"),
        ([([{}], True, 3), ([{}], True, 4)], "last page changed from 3 to 4"),
        ([([{}], True, None), ([], False, None)], "page 2 is empty"),
        ([({"a": 1}, False, None)], "a JSON object"),
        ([([1, 2], False, None)], "other than commits"),
    ],
)
def test_paged_listing_refuses_what_it_cannot_prove_whole(pages, words):
    listing = PagedListing("GitHub", REPO, "the commit list of org/code")
    with pytest.raises(SourceError, match=words):
        for data, has_next, last in pages:
            listing.page(data, has_next=has_next, last_page=last)
        listing.finish()


def test_a_real_hub_listing_is_proved_whole(tmp_path):
    router = respx.Router(assert_all_mocked=True)
    hub = hub_for(router, tmp_path)
    mock_commits(router, MODEL, synthetic_commits(MODEL, N_HF))
    assert len(hub.list_commits(MODEL)) == N_HF
    assert {c.request.url.host for c in router.calls} == {HUB.removeprefix("https://")}


def test_the_fetch_report_says_how_many_commits_were_rewritten_away(cli, db_file, monkeypatch):
    hub = FakeHub()
    hub.add_model("acme/solo", 60)
    for name, value in env(hub).items():
        monkeypatch.setenv(name, value)
    try:
        first = cli("--db", db_file, "fetch", "acme/solo")
        hub.models["acme/solo"].commits = hub.models["acme/solo"].commits[:57]  # squashed
        again = cli("--db", db_file, "fetch", "acme/solo", "--full")
    finally:
        hub.server.close()
    assert first.code == 0 and again.code == 0, first.err + again.err
    assert "complete, 3 commits rewritten away" in again.out
    assert " 57 commits" in again.out


def test_next_pages_stay_on_the_listing_host():
    listing = PagedListing("GitHub", REPO, "the commit list of org/code")
    base = "https://api.github.com/repos/org/code/commits?per_page=100"
    assert listing.next_page(base, "/repositories/1/commits?page=2").startswith(
        "https://api.github.com/repositories/1/"
    )
    with pytest.raises(SourceError, match="another host"):
        listing.next_page(base, "https://evil.example/repos/org/code/commits?page=2")
