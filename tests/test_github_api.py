"""The GitHub API backend against a faithful replay of `GET /repos/{repo}/commits` (no network)."""

from __future__ import annotations

import itertools
import json
import logging
import math
import time
from datetime import UTC, datetime, timedelta

import pytest
import requests
import responses
from conftest import SHARED
from ghreplay import CommitsEndpoint, api_item, error_body, items_from_history
from gitutil import history

from core.errors import InputError, SourceError
from core.ingest.sources.github import ApiBackend, choose_backend, commit_from_json
from core.ingest.sources.github_client import BoundedRetry, make_github_client
from core.ingest.sources.gitrepo import GitBackend

REPO = "smallcloudai/refact"
TOKEN = "ghp_" + "0123456789abcdefghijklmnopqrstuvwxyzAB"  # fake; built so no token is tracked


def client(token: str | None = None, max_wait: float = 60.0):
    return make_github_client(token, max_wait=max_wait, seconds_between_requests=None)


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture(scope="module")
def refact() -> list[tuple[str, str, str, str, str]]:
    """The first 250 commits of a real GitHub history (oldest first)."""
    return history("smallcloudai_Refact", limit=250)


def serve(rsps, rows, repo: str = REPO) -> CommitsEndpoint:
    return CommitsEndpoint(repo, items_from_history(repo, rows)).register(rsps)


# --- paging and fields -----------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 99, 100, 101, 250])
def test_first_fetch_costs_one_request_per_hundred_commits(rsps, refact, n):
    endpoint = serve(rsps, refact[:n])
    backend = ApiBackend(client())

    commits = list(backend.iter_commits(REPO))

    assert len(commits) == n
    assert backend.requests == len(endpoint.calls) == math.ceil(n / 100)
    assert all(q["per_page"] == ["100"] for _, q in endpoint.calls)
    # later pages follow the Link header's numeric /repositories/{id} form
    assert all(path.startswith("/repositories/") for path, _ in endpoint.calls[1:])


def test_commits_arrive_newest_first_with_utc_author_dates(rsps, refact):
    serve(rsps, refact)
    commits = list(ApiBackend(client()).iter_commits(REPO))

    newest_name, newest_email, authored, committed, message = refact[-1]
    first = commits[0]
    assert (first.platform, first.repo) == ("GH", REPO)
    assert first.author_name == newest_name and first.author_email == newest_email
    assert first.authored_at == datetime.fromisoformat(authored).astimezone(UTC)
    assert first.authored_at.tzinfo == UTC
    assert first.committed_at == datetime.fromisoformat(committed).astimezone(UTC)
    assert first.message == message
    assert first.title == message.split("\n")[0]
    assert [c.authored_at for c in commits[::-1]] == [
        datetime.fromisoformat(r[2]).astimezone(UTC) for r in refact
    ]


def test_author_login_comes_from_the_linked_account_and_may_be_missing():
    linked = api_item(
        "a/b",
        "1" * 40,
        "Octo Cat",
        "583231+octocat@users.noreply.github.com",
        "2024-02-29T23:30:00+05:30",
        "2024-03-01T00:00:00Z",
        "Fix tokenizer, again\n\nLong body, with commas — and unicode ✓",
    )
    rec = commit_from_json("a/b", linked)
    assert rec.author_login == "octocat"
    assert rec.authored_at == datetime(2024, 2, 29, 18, 0, tzinfo=UTC)
    assert rec.title == "Fix tokenizer, again"
    assert rec.message.endswith("unicode ✓")

    unlinked = api_item(
        "a/b",
        "2" * 40,
        "Someone",
        "someone@example.org",
        "2024-03-01T00:00:00Z",
        "2024-03-01T00:00:00Z",
        "one line",
    )
    assert unlinked["author"] is None
    assert commit_from_json("a/b", unlinked).author_login is None


def test_the_recorded_github_answer_parses(rsps):
    """GitHub's own answer (../shared/data/hf_commits/api_examples), body and headers verbatim."""
    examples = SHARED / "data" / "hf_commits" / "api_examples"
    recorded = json.loads(
        (examples / "github_list_commits_PyGithub_release-v2-0_per_page2.headers.json").read_text()
    )
    headers = {
        k: v
        for k, v in recorded["headers"].items()
        if k not in ("Content-Encoding", "Transfer-Encoding", "Content-Type")
    }
    body = (
        examples / "github_list_commits_PyGithub_release-v2-0_per_page2.response.json"
    ).read_text()
    rsps.add(
        responses.GET,
        "https://api.github.com:443/repos/PyGithub/PyGithub/commits",
        body=body,
        headers=headers,
        content_type=recorded["headers"]["Content-Type"],
    )
    backend = ApiBackend(client())
    commits = list(itertools.islice(backend.iter_commits("PyGithub/PyGithub"), 2))

    assert backend.requests == 1
    assert [c.sha[:8] for c in commits] == ["0791cc7b", "9f7850bf"]
    assert commits[0].author_login == "EnricoMi"
    assert (
        commits[1].title
        == commits[1].message
        == ("Suppress `requests` fallback to netrc, provide `github.Auth.Netrc` (#2739)")
    )
    assert commits[1].authored_at == datetime(2023, 8, 28, 17, 27, 32, tzinfo=UTC)
    assert commits[1].committed_at == datetime(2023, 8, 28, 17, 30, 6, tzinfo=UTC)
    assert backend.count_commits("PyGithub/PyGithub") == 1044  # the Link header's last page


def test_refresh_of_an_unchanged_repository_costs_one_request(rsps, refact):
    endpoint = serve(rsps, refact)
    first = list(ApiBackend(client()).iter_commits(REPO))
    newest = max(c.committed_at for c in first if c.committed_at)

    backend = ApiBackend(client())
    again = list(backend.iter_commits(REPO, since=newest))

    assert backend.requests == 1
    assert endpoint.calls[-1][1]["since"] == [newest.strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert {c.sha for c in again} <= {c.sha for c in first}  # since is inclusive


def test_refresh_returns_only_new_commits(rsps, refact):
    serve(rsps, refact)
    newest = max(datetime.fromisoformat(r[3]) for r in refact[:200])
    backend = ApiBackend(client())

    fresh = list(backend.iter_commits(REPO, since=newest))

    assert 50 <= len(fresh) <= 51
    assert backend.requests == 1


def test_empty_repository_yields_nothing(rsps):
    endpoint = CommitsEndpoint(REPO, []).register(rsps)
    backend = ApiBackend(client())
    assert list(backend.iter_commits(REPO)) == []
    assert backend.requests == len(endpoint.calls) == 1


def test_bad_repository_names_are_rejected_before_any_request(rsps):
    with pytest.raises(InputError, match="owner/name"):
        list(ApiBackend(client()).iter_commits("not a repo"))
    assert len(rsps.calls) == 0


# --- failures --------------------------------------------------------------------------------


def failing(rsps, name: str, *, page: int = 1, times: int = 1, headers=None, rows=None):
    endpoint = serve(rsps, rows or history("smallcloudai_Refact", limit=250))
    status, body = error_body(name)
    endpoint.fail(page, status, body, headers, times=times)
    return endpoint


@pytest.mark.parametrize(
    ("name", "kind", "words"),
    [
        ("not_found", "not_found", "no repository"),
        ("bad_credentials", "auth", "GITHUB_TOKEN"),
        ("forbidden", "private", "refused access"),
        ("unavailable_for_legal_reasons", "not_found", "legal"),
    ],
)
def test_errors_name_the_repository_and_what_to_do(rsps, name, kind, words):
    failing(rsps, name)
    with pytest.raises(SourceError) as err:
        list(ApiBackend(client(TOKEN)).iter_commits(REPO))
    assert err.value.kind == kind
    assert err.value.repo == REPO
    assert REPO in str(err.value) and words in str(err.value)


def test_primary_rate_limit_names_the_reset_time_without_waiting_an_hour(rsps):
    reset = int(time.time()) + 3600
    failing(
        rsps,
        "primary_rate_limit",
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
    )
    started = time.monotonic()
    with pytest.raises(SourceError) as err:
        list(ApiBackend(client()).iter_commits(REPO))
    assert time.monotonic() - started < 5
    assert err.value.kind == "rate_limit"
    assert err.value.retry_at == datetime.fromtimestamp(reset, UTC).isoformat()
    text = str(err.value)
    assert datetime.fromtimestamp(reset, UTC).strftime("%H:%M UTC") in text
    assert "GITHUB_TOKEN" in text and "--via git" in text and REPO in text


def test_a_short_rate_limit_is_waited_out_within_the_cap(rsps, refact):
    endpoint = failing(
        rsps,
        "primary_rate_limit",
        page=2,
        rows=refact,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 2)},
    )
    backend = ApiBackend(client(TOKEN, max_wait=10))

    assert len(list(backend.iter_commits(REPO))) == 250
    assert len(endpoint.calls) == 4  # page 2 was asked twice
    assert backend.requests == 3  # logical requests; the retry happens inside urllib3


def test_the_wait_cap_is_configurable(rsps, refact):
    failing(
        rsps,
        "primary_rate_limit",
        rows=refact,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 30)},
    )
    with pytest.raises(SourceError) as err:
        list(ApiBackend(client(TOKEN, max_wait=5)).iter_commits(REPO))
    assert err.value.kind == "rate_limit"
    assert "--via git" in str(err.value) and "GITHUB_TOKEN (" not in str(err.value)


@pytest.mark.parametrize("name", ["secondary_rate_limit", "too_many_requests"])
def test_secondary_rate_limit_with_retry_after(rsps, refact, name):
    failing(rsps, name, rows=refact, headers={"Retry-After": "120"})
    before = datetime.now(UTC)
    with pytest.raises(SourceError) as err:
        list(ApiBackend(client(TOKEN)).iter_commits(REPO))
    assert err.value.kind == "rate_limit"
    assert "secondary" in str(err.value)
    retry_at = datetime.fromisoformat(err.value.retry_at)
    assert before + timedelta(seconds=119) <= retry_at <= before + timedelta(seconds=125)


def test_total_wait_over_retries_is_capped(rsps, refact):
    endpoint = failing(
        rsps, "too_many_requests", rows=refact, headers={"Retry-After": "3"}, times=5
    )
    with pytest.raises(SourceError) as err:
        list(ApiBackend(client(TOKEN, max_wait=5)).iter_commits(REPO))
    assert err.value.kind == "rate_limit"
    assert len(endpoint.calls) == 2  # 3 s waited, another 3 s would pass the 5 s cap


def test_bounded_retry_keeps_its_budget_across_retries():
    retry = BoundedRetry(max_wait=7, total=3).new(waited=4)
    assert (retry.max_wait, retry.waited) == (7, 4)


def test_server_errors_are_retried_then_reported(rsps, refact):
    endpoint = failing(rsps, "server_error", rows=refact, times=2)
    assert len(list(ApiBackend(client()).iter_commits(REPO))) == 250
    assert len(endpoint.calls) == 5  # page 1 three times, then pages 2 and 3

    endpoint.fail(1, 502, {"message": "Server Error"}, times=10)
    with pytest.raises(SourceError) as err:
        list(ApiBackend(client()).iter_commits(REPO))
    assert err.value.kind == "server" and "502" in str(err.value)


def test_a_failing_later_page_raises_after_the_earlier_pages(rsps, refact):
    endpoint = failing(rsps, "server_error", page=2, rows=refact, times=10)
    backend = ApiBackend(client())
    seen = []
    with pytest.raises(SourceError) as err:
        for commit in backend.iter_commits(REPO):
            seen.append(commit)
    assert err.value.kind == "server"
    assert len(seen) == 100 and backend.requests == 2
    assert endpoint.faults[2]  # page 3 was never asked for


@pytest.mark.parametrize(
    "body",
    [
        '[{"sha": "0791cc7b1a706ab5d7c607ddff35de4d486ba3e9", "commit": {"author": {"na',  # truncated
        "<html><body>Unicorn!</body></html>",
        '{"message": "not a list"}',
        '[{"sha": "0791cc7b1a706ab5d7c607ddff35de4d486ba3e9"}]',  # item without `commit`
    ],
)
def test_malformed_answers(rsps, refact, body):
    endpoint = serve(rsps, refact)
    endpoint.fail(1, 200, body)
    backend = ApiBackend(client())
    with pytest.raises(SourceError) as err:
        list(backend.iter_commits(REPO))
    assert err.value.kind == "malformed" and REPO in str(err.value)
    assert len(endpoint.calls) == 1  # nothing was completed behind our back


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (requests.exceptions.ConnectTimeout("timed out"), "timeout"),
        (requests.exceptions.ReadTimeout("timed out"), "timeout"),
        (requests.exceptions.ConnectionError("Name or service not known"), "network"),
    ],
)
def test_network_failures(rsps, exc, kind):
    rsps.add(responses.GET, f"https://api.github.com:443/repos/{REPO}/commits", body=exc)
    with pytest.raises(SourceError) as err:
        list(ApiBackend(client()).iter_commits(REPO))
    assert err.value.kind == kind and REPO in str(err.value)


def test_the_token_is_sent_but_never_logged(rsps, refact, caplog):
    caplog.set_level(logging.DEBUG)
    serve(rsps, refact)
    list(ApiBackend(client(TOKEN)).iter_commits(REPO))
    assert rsps.calls[0].request.headers["Authorization"] == f"token {TOKEN}"
    assert TOKEN not in caplog.text


# --- choosing a backend ----------------------------------------------------------------------


def test_explicit_choices(tmp_path):
    git, why = choose_backend("git", token=TOKEN, repo=REPO, cache_dir=tmp_path)
    assert isinstance(git, GitBackend) and git.name == "git" and "git" in why
    api, why = choose_backend("api", token=None, repo=REPO, cache_dir=tmp_path)
    assert isinstance(api, ApiBackend) and api.name == "api" and "API" in why
    with pytest.raises(InputError, match="--via"):
        choose_backend("svn", token=None, repo=REPO, cache_dir=tmp_path)


def test_auto_without_a_token_uses_git(rsps, tmp_path):
    backend, why = choose_backend("auto", token=None, repo=REPO, cache_dir=tmp_path)
    assert backend.name == "git" and "no GITHUB_TOKEN" in why
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    ("known", "name"), [(5000, "git"), (1001, "git"), (1000, "api"), (40, "api")]
)
def test_auto_with_a_known_history_length(rsps, tmp_path, known, name):
    backend, why = choose_backend(
        "auto",
        token=TOKEN,
        repo=REPO,
        cache_dir=tmp_path,
        client=client(TOKEN),
        known_commit_count=known,
    )
    assert backend.name == name and f"{known:,}" in why
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(("n", "name"), [(1500, "git"), (250, "api")])
def test_auto_probes_the_commit_count_with_one_request(rsps, tmp_path, n, name):
    rows = history("smallcloudai_Refact", limit=n)
    endpoint = serve(rsps, rows)
    backend, why = choose_backend(
        "auto", token=TOKEN, repo=REPO, cache_dir=tmp_path, client=client(TOKEN)
    )
    assert backend.name == name and f"{n:,} commits" in why and "counted" in why
    assert endpoint.calls == [(f"/repos/{REPO}/commits", {"per_page": ["1"]})]
    if name == "api":
        assert backend.requests == 1  # the probe counts


def test_auto_probe_errors(rsps, tmp_path):
    failing(rsps, "not_found")
    with pytest.raises(SourceError) as err:
        choose_backend("auto", token=TOKEN, repo=REPO, cache_dir=tmp_path, client=client(TOKEN))
    assert err.value.kind == "not_found"

    failing(
        rsps,
        "primary_rate_limit",
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 3600)},
    )
    backend, why = choose_backend(
        "auto", token=TOKEN, repo=REPO, cache_dir=tmp_path, client=client(TOKEN)
    )
    assert backend.name == "git" and "rate_limit" in why
