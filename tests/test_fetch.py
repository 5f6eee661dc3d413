"""Fetching a family into the cache: complete runs, cheap refreshes, failures that keep data."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
import respx
from hf_replay import (
    HUB,
    error_response,
    hub_for,
    mock_commits,
    mock_model_info,
    synthetic_commits,
)
from seed import seed

from core import store
from core.errors import SourceError
from core.ingest.fetch import fetch_family
from core.ingest.status import cache_age, family_status
from core.records import GH, CommitRecord, Family, FamilyMember

VARIANTS = ("org/model-small", "org/model-large")
FAMILY = Family("org/code", "org/code", tuple(FamilyMember(v, "card") for v in VARIANTS))


class FakeGitHub:
    """The GitHub backend protocol: newest first, `since` on the committer date, 100 per page."""

    name = "api"

    def __init__(self, commits: list[CommitRecord], fail_at: int | None = None) -> None:
        self.commits = sorted(commits, key=lambda c: c.authored_at, reverse=True)
        self.fail_at = fail_at
        self.requests = 0
        self.calls: list[datetime | None] = []

    def iter_commits(self, repo, since=None):
        self.calls.append(since)
        wanted = [
            c for c in self.commits if since is None or (c.committed_at or c.authored_at) >= since
        ]
        self.requests += 1
        for i, commit in enumerate(wanted):
            if i and i % 100 == 0:
                self.requests += 1
            if self.fail_at is not None and i == self.fail_at:
                raise SourceError(f"GitHub failed while reading {repo}.", kind="server", repo=repo)
            yield commit


def gh_commits(n: int, start=datetime(2022, 6, 1, tzinfo=UTC)) -> list[CommitRecord]:
    return [
        CommitRecord(
            GH,
            "org/code",
            f"{i:040x}",
            start + timedelta(hours=i),
            f"change {i}",
            f"change {i}\n\nbody",
            "Dev",
            "dev@example.org",
            "dev",
            committed_at=start + timedelta(hours=i),
        )
        for i in range(n)
    ]


@pytest.fixture
def router():
    return respx.Router(assert_all_mocked=True)


@pytest.fixture
def hub(router, tmp_path):
    return hub_for(router, tmp_path)


def serve(router, model_id: str, n: int, sha: str, **kw):
    mock_model_info(router, model_id, sha)
    return mock_commits(router, model_id, synthetic_commits(model_id, n), **kw)


def test_first_fetch_saves_every_repo_with_a_complete_run(fresh_db, router, hub):
    serve(router, VARIANTS[0], 120, "a" * 40)
    serve(router, VARIANTS[1], 7, "b" * 40)
    github = FakeGitHub(gh_commits(250))
    seen = []

    report = fetch_family(
        fresh_db, FAMILY, hub=hub, github=github, progress=lambda *a: seen.append(a)
    )

    assert report.ok
    assert [(r.repo, r.n_commits, r.n_new, r.status) for r in report.repos] == [
        ("org/model-small", 120, 120, "complete"),
        ("org/model-large", 7, 7, "complete"),
        ("org/code", 250, 250, "complete"),
    ]
    assert [r.requests for r in report.repos] == [4, 2, 3]  # info + 3 pages; info + 1; 3 pages
    assert store.last_complete_run(fresh_db, "HF", "org/model-small")["n_commits"] == 120
    info = fresh_db.execute(
        "SELECT head_sha, first_commit_at FROM repos WHERE repo = ?", ["org/model-small"]
    ).fetchone()
    assert info == ("a" * 40, "2023-01-01T09:30:00.000000Z")
    assert any(m == "120 commits, 120 new" for *_, m in seen)
    assert cache_age(fresh_db, FAMILY) is not None


def test_refreshing_an_unchanged_family_costs_one_request_per_repo(fresh_db, router, hub):
    serve(router, VARIANTS[0], 120, "a" * 40)
    serve(router, VARIANTS[1], 7, "b" * 40)
    github = FakeGitHub(gh_commits(250))
    fetch_family(fresh_db, FAMILY, hub=hub, github=github)
    before_hf, before_gh = len(router.calls), github.requests

    report = fetch_family(fresh_db, FAMILY, hub=hub, github=github, refresh=True)

    assert len(router.calls) - before_hf == len(VARIANTS)  # one model-info call each
    assert github.requests - before_gh == 1
    assert [r.status for r in report.repos] == ["unchanged"] * 3
    assert report.requests == 3
    assert github.calls[-1] == datetime(2022, 6, 1, tzinfo=UTC) + timedelta(hours=249)
    assert store.count_commits(fresh_db, "HF", VARIANTS[0]) == 120


def test_without_refresh_a_fetched_family_is_served_from_the_cache(fresh_db, router, hub):
    serve(router, VARIANTS[0], 3, "a" * 40)
    serve(router, VARIANTS[1], 3, "b" * 40)
    fetch_family(fresh_db, FAMILY, hub=hub, github=FakeGitHub(gh_commits(5)))
    calls = len(router.calls)

    report = fetch_family(fresh_db, FAMILY, hub=None, github=None)

    assert len(router.calls) == calls
    assert [r.status for r in report.repos] == ["cached"] * 3 and report.ok


def test_page_3_of_5_failing_keeps_the_previous_data_and_a_retry_completes(fresh_db, router, hub):
    model = VARIANTS[0]
    family = Family("org/code", None, (FamilyMember(model, "card"),))
    old = synthetic_commits(model, 200)  # 4 pages, fetched completely first
    mock_model_info(router, model, "a" * 40)
    mock_commits(router, model, old)
    fetch_family(fresh_db, family, hub=hub, github=None)
    assert store.count_commits(fresh_db, "HF", model) == 200

    router.routes.clear()  # the model got 40 new commits: now 240 = 5 pages
    new = synthetic_commits(model, 240)
    mock_model_info(router, model, "c" * 40)
    mock_commits(router, model, new, fail_page=2)

    report = fetch_family(fresh_db, family, hub=hub, github=None, refresh=True)

    failed = report.repos[0]
    assert failed.status == "failed" and "HTTP 500" in failed.error
    assert failed.from_cache and failed.cached_at is not None
    assert store.count_commits(fresh_db, "HF", model) == 200
    assert store.head_sha(fresh_db, "HF", model) == "a" * 40  # not moved by the failed run
    assert store.last_run(fresh_db, "HF", model)["status"] == "failed"

    router.routes.clear()
    mock_model_info(router, model, "c" * 40)
    mock_commits(router, model, new)
    retry = fetch_family(fresh_db, family, hub=hub, github=None, refresh=True)

    assert retry.ok and retry.repos[0].n_new == 40
    assert store.count_commits(fresh_db, "HF", model) == 240
    assert fresh_db.execute("SELECT count(DISTINCT sha) FROM commits").fetchone()[0] == 240
    assert store.head_sha(fresh_db, "HF", model) == "c" * 40


def test_one_failing_repo_does_not_stop_the_others(fresh_db, router, hub):
    router.get(f"{HUB}/api/models/{VARIANTS[0]}").mock(return_value=error_response("not_found"))
    serve(router, VARIANTS[1], 7, "b" * 40)

    report = fetch_family(fresh_db, FAMILY, hub=hub, github=FakeGitHub(gh_commits(30)))

    assert [r.status for r in report.repos] == ["failed", "complete", "complete"]
    assert report.failed[0].repo == VARIANTS[0] and "has no model" in report.failed[0].error
    assert report.failed[0].cached_at is None and report.failed[0].kind == "not_found"
    rows = {r["repo"]: r for r in family_status(fresh_db, FAMILY)}
    assert rows[VARIANTS[0]]["last_status"] == "failed" and rows[VARIANTS[0]]["commits"] == 0
    assert rows["org/code"]["commits"] == 30 and rows["org/code"]["backend"] == "api"
    assert cache_age(fresh_db, FAMILY) is None  # one repo was never fetched completely


def test_github_refresh_without_since_adds_only_the_new_commits(fresh_db):
    family = Family("org/code", "org/code", ())
    first = gh_commits(150)
    fetch_family(fresh_db, family, hub=None, github=FakeGitHub(first))

    later = gh_commits(160)  # 10 new commits on top

    class NoSince(FakeGitHub):  # like the git backend: ignores `since`, newest first
        def iter_commits(self, repo, since=None):
            yield from super().iter_commits(repo, None)

    backend = NoSince(later)
    report = fetch_family(fresh_db, family, hub=None, github=backend, refresh=True)

    assert report.repos[0].n_new == 10 and report.repos[0].status == "complete"
    assert store.count_commits(fresh_db, "GH", "org/code") == 160


def test_a_github_failure_mid_history_saves_nothing_of_that_run(fresh_db):
    family = Family("org/code", "org/code", ())
    report = fetch_family(
        fresh_db, family, hub=None, github=FakeGitHub(gh_commits(300), fail_at=250)
    )
    assert report.repos[0].status == "failed"
    assert store.count_commits(fresh_db, "GH", "org/code") == 0
    assert store.last_run(fresh_db, "GH", "org/code")["status"] == "failed"


# --- command line ----------------------------------------------------------------------------


def test_family_and_fetch_commands_over_replayed_answers(
    cli, db_file, router, tmp_path, monkeypatch
):
    from hf_replay import FIXTURES, mock_readme, mock_search

    readme = (FIXTURES / "README_yi.md").read_text()
    for model, n in (("01-ai/Yi-34B-Chat", 60), ("01-ai/Yi-6B", 5)):
        mock_model_info(router, model, "f" * 40)
        mock_readme(router, model, readme, "f" * 40)
        mock_commits(router, model, synthetic_commits(model, n))
    mock_search(router, ["01-ai/Yi-34B-Chat", "01-ai/Yi-6B"], author="01-ai")
    mock_search(router, [], search="Yi")
    hub = hub_for(router, tmp_path)
    monkeypatch.setattr("core.ingest.sources.hf.connect_hub", lambda **_: hub)
    github = FakeGitHub(
        [
            CommitRecord(
                GH,
                "01-ai/Yi",
                f"{i:040x}",
                datetime(2023, 11, 2, tzinfo=UTC) + timedelta(days=i),
                f"docs {i}",
                f"docs {i}",
                "Dev",
            )
            for i in range(12)
        ]
    )
    monkeypatch.setattr(
        "core.ingest.sources.github.choose_backend",
        lambda via, **_: (github, f"Using the fake ({via})."),
    )

    family = cli("--db", db_file, "family", "https://huggingface.co/01-ai/Yi-34B-Chat/tree/main")
    assert family.code == 0, family.err
    assert "github  01-ai/Yi" in family.out
    assert "01-ai/Yi-6B" in family.out and "search" in family.out and "card" in family.out

    fetched = cli("--db", db_file, "fetch", "01-ai/Yi-34B-Chat", "--via", "api")
    assert fetched.code == 0, fetched.err
    assert "Using the fake (api)." in fetched.err and "[" in fetched.err
    assert "60 commits" in fetched.out and "+12 new" in fetched.out

    calls = len(router.calls)
    again = cli("--db", db_file, "fetch", "gh:01-ai/Yi", "--refresh")
    assert again.code == 0 and again.out.count("unchanged") == 3
    assert len(router.calls) - calls == 2


def test_export_of_a_seeded_real_family_feeds_classify(cli, db_file, shared, tmp_path):
    db = store.open_db(db_file)
    family = seed(
        db, "EleutherAI_neox", shared, paper_window=False, switch_times=False
    )  # messages hold bare "\r"
    db.close()

    listed = cli("--db", db_file, "family", "EleutherAI/gpt-neox-20b")
    assert listed.code == 0 and "from the cache" in listed.err
    assert "github  EleutherAI/gpt-neox" in listed.out and "corpus" in listed.out

    out = tmp_path / "family.csv"
    exported = cli("--db", db_file, "export", "hf:EleutherAI/gpt-neo-125m", "--output", out)
    assert exported.code == 0, exported.err
    rows = list(csv.DictReader(out.open(newline="")))
    assert list(rows[0]) == [
        "family",
        "platform",
        "model",
        "date",
        "sha",
        "author",
        "title",
        "message",
    ]
    assert len(rows) == 2337 and {r["platform"] for r in rows} == {"GH", "HF"}
    assert any("\r" in r["message"] for r in rows)
    assert all(r["date"].endswith("Z") for r in rows)
    assert all(r["model"] == "" for r in rows if r["platform"] == "GH")

    classified = cli("classify", out, "--format", "jsonl")
    assert classified.code == 0, classified.err
    result = json.loads(classified.out.splitlines()[0])
    assert result["family"] == family.name == "EleutherAI/gpt-neox"
    assert (result["n_gh_commits"], result["n_hf_commits"]) == (2331, 6)


def test_export_and_family_edits_work_offline_and_bad_targets_exit_2(cli, db_file, shared):
    db = store.open_db(db_file)
    seed(db, "rinna_japanese-clip", shared, paper_window=False, switch_times=False)
    db.close()

    added = cli(
        "--db",
        db_file,
        "family",
        "gh:rinnakk/japanese-clip",
        "--add-variant",
        "rinna/japanese-cloob-vit-b-16",
    )
    assert added.code == 0 and "rinna/japanese-cloob-vit-b-16  user" in added.out
    removed = cli(
        "--db",
        db_file,
        "family",
        "rinnakk/japanese-clip",
        "--remove-variant",
        "rinna/japanese-cloob-vit-b-16",
    )
    assert removed.code == 0 and "cloob" not in removed.out

    missing = cli("--db", db_file, "export", "org/not-cached")
    assert missing.code == 2 and "not a cached family" in missing.err and missing.out == ""
    bad = cli("--db", db_file, "fetch", "https://gitlab.com/a/b")
    assert bad.code == 2 and "accepted forms" in bad.err

    stdout = cli("--db", db_file, "export", "rinnakk/japanese-clip")
    assert next(csv.reader(io.StringIO(stdout.out)))[0] == "family"


def test_with_the_real_github_api_backend_over_replayed_pages(fresh_db):
    responses = pytest.importorskip("responses")
    from ghreplay import CommitsEndpoint, items_from_history
    from gitutil import history

    from core.ingest.sources.github import ApiBackend
    from core.ingest.sources.github_client import make_github_client

    repo = "smallcloudai/refact"
    family = Family(repo, repo, ())
    with responses.RequestsMock() as rsps:
        endpoint = CommitsEndpoint(
            repo, items_from_history(repo, history("smallcloudai_Refact", limit=230))
        ).register(rsps)
        backend = ApiBackend(make_github_client("ghp_test", seconds_between_requests=None))
        first = fetch_family(fresh_db, family, hub=None, github=backend)
        calls = len(endpoint.calls)
        again = fetch_family(fresh_db, family, hub=None, github=backend, refresh=True)

    assert first.repos[0].n_new == 230 and calls == 3
    assert len(endpoint.calls) - calls == 1 and again.repos[0].status == "unchanged"
    assert "since" in endpoint.calls[-1][1]


# --- review: incremental refreshes must not miss commits -------------------------------------


def _commit_tree(repo, parents: list[str], message: str, when: str) -> str:
    """A commit object with explicit parents and dates (author = committer date), via plumbing."""
    from gitutil import git

    tree = git("rev-parse", f"{parents[0]}^{{tree}}", cwd=repo).strip()
    env = {
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.org",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    args = ["commit-tree", tree, "-m", message]
    for parent in parents:
        args += ["-p", parent]
    return git(*args, cwd=repo, env=env).strip()


def test_git_refresh_keeps_branch_commits_merged_after_the_last_fetch(fresh_db, tmp_path):
    """A pull request branch committed before the cached head but merged later is fetched.

    Its commits are older than the newest cached committer date (so a `since` filter drops
    them) and come after the cached head in `git log` order (so stopping there misses them).
    """
    from gitutil import build_repo, git, url_template

    from core.ingest.sources.gitrepo import GitBackend

    remote = tmp_path / "remote" / "org" / "code"
    build_repo(
        remote,
        [
            (
                "Dev",
                "dev@example.org",
                "2024-01-01T00:00:00+00:00",
                "2024-01-01T00:00:00+00:00",
                "init",
            ),
            (
                "Dev",
                "dev@example.org",
                "2024-01-05T00:00:00+00:00",
                "2024-01-05T00:00:00+00:00",
                "main work",
            ),
        ],
    )
    head = git("rev-parse", "main", cwd=remote).strip()
    base = git("rev-parse", "main~1", cwd=remote).strip()
    branch = _commit_tree(remote, [base], "feature work", "2024-01-03T00:00:00+00:00")
    family = Family("org/code", "org/code", ())
    backend = GitBackend(tmp_path / "cache", url_template=url_template(tmp_path / "remote"))
    fetch_family(fresh_db, family, hub=None, github=backend)
    assert store.count_commits(fresh_db, GH, "org/code") == 2

    merge = _commit_tree(remote, [head, branch], "Merge feature", "2024-01-06T00:00:00+00:00")
    git("update-ref", "refs/heads/main", merge, cwd=remote)
    report = fetch_family(fresh_db, family, hub=None, github=backend, refresh=True)

    assert report.repos[0].n_new == 2  # the merge and the branch commit
    assert branch in store.known_shas(fresh_db, GH, "org/code")


def test_export_to_a_path_that_cannot_be_written_is_a_clear_input_error(cli, db_file, tmp_path):
    db = store.open_db(db_file)
    store.save_family(db, Family("org/code", "org/code", ()))
    db.close()

    into_folder = cli("--db", db_file, "export", "gh:org/code", "--output", tmp_path)
    assert into_folder.code == 2 and into_folder.out == ""
    assert "Cannot write" in into_folder.err and "Traceback" not in into_folder.err


def test_a_commit_dated_in_the_future_does_not_hide_later_commits_from_refreshes(fresh_db):
    """A cached commit with a bogus committer date (clock skew) must not become `since`."""
    family = Family("org/code", "org/code", ())
    now = datetime.now(UTC).replace(microsecond=0)
    skewed = gh_commits(1, start=now.replace(year=now.year + 50))
    fetch_family(fresh_db, family, hub=None, github=FakeGitHub(skewed))

    pushed_later = gh_commits(2, start=now + timedelta(seconds=5))[1:]
    backend = FakeGitHub(skewed + pushed_later)
    report = fetch_family(fresh_db, family, hub=None, github=backend, refresh=True)

    assert report.repos[0].n_new == 1
    assert backend.calls[0] is not None and backend.calls[0] <= now + timedelta(seconds=5)


def test_api_refresh_fetches_a_merged_branch_older_than_since(fresh_db):
    """`since` filters on committer dates, so a branch committed before the last fetch and
    merged after it is not listed; its missing parent shows it, and the history is re-listed."""
    responses = pytest.importorskip("responses")
    from ghreplay import CommitsEndpoint, api_item

    from core.ingest.sources.github import ApiBackend
    from core.ingest.sources.github_client import make_github_client

    repo = "org/code"
    sha = {name: name * 40 for name in "ahbm"}
    dev = ("Dev", "dev@example.org")
    a = api_item(repo, sha["a"], *dev, "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", "init")
    h = api_item(
        repo,
        sha["h"],
        *dev,
        "2024-01-05T00:00:00Z",
        "2024-01-05T00:00:00Z",
        "main",
        parent=sha["a"],
    )
    b = api_item(
        repo,
        sha["b"],
        *dev,
        "2024-01-03T00:00:00Z",
        "2024-01-03T00:00:00Z",
        "branch",
        parent=sha["a"],
    )
    m = api_item(
        repo,
        sha["m"],
        *dev,
        "2024-01-06T00:00:00Z",
        "2024-01-06T00:00:00Z",
        "Merge",
        parent=sha["h"],
    )
    m["parents"].append({**m["parents"][0], "sha": sha["b"]})
    family = Family(repo, repo, ())
    with responses.RequestsMock() as rsps:
        endpoint = CommitsEndpoint(repo, [h, a]).register(rsps)
        backend = ApiBackend(make_github_client("ghp_test", seconds_between_requests=None))
        fetch_family(fresh_db, family, hub=None, github=backend)
        endpoint.items = [m, h, b, a]
        calls = len(endpoint.calls)
        report = fetch_family(fresh_db, family, hub=None, github=backend, refresh=True)

    assert report.repos[0].n_new == 2
    assert sha["b"] in store.known_shas(fresh_db, GH, repo)
    assert len(endpoint.calls) - calls == 2  # the `since` page, then one full listing


def test_an_unchanged_api_refresh_still_costs_one_request(fresh_db):
    responses = pytest.importorskip("responses")
    from ghreplay import CommitsEndpoint, items_from_history

    from core.ingest.sources.github import ApiBackend
    from core.ingest.sources.github_client import make_github_client

    rows = [
        ("Dev", "dev@example.org", f"2024-01-0{d}T00:00:00Z", f"2024-01-0{d}T00:00:00Z", f"c{d}")
        for d in range(1, 6)
    ]
    family = Family("org/code", "org/code", ())
    with responses.RequestsMock() as rsps:
        endpoint = CommitsEndpoint("org/code", items_from_history("org/code", rows)).register(rsps)
        backend = ApiBackend(make_github_client("ghp_test", seconds_between_requests=None))
        fetch_family(fresh_db, family, hub=None, github=backend)
        calls = len(endpoint.calls)
        again = fetch_family(fresh_db, family, hub=None, github=backend, refresh=True)
    assert len(endpoint.calls) - calls == 1 and again.repos[0].status == "unchanged"


def test_a_force_push_drops_the_rewritten_commits_on_the_next_refresh(fresh_db, tmp_path):
    """A refresh that reads the whole history (the git backend) also learns what a force
    push removed: those commits leave the cache, in the same transaction as the new ones."""
    from gitutil import build_repo, git, url_template

    from core.ingest.sources.gitrepo import GitBackend

    day = "2024-01-0{}T00:00:00+00:00"
    remote = tmp_path / "remote" / "org" / "code"
    build_repo(
        remote,
        [("Dev", "dev@example.org", day.format(d), day.format(d), f"work {d}") for d in (1, 2, 3)],
    )
    family = Family("org/code", "org/code", ())
    backend = GitBackend(tmp_path / "cache", url_template=url_template(tmp_path / "remote"))
    fetch_family(fresh_db, family, hub=None, github=backend)
    rewritten = set(git("rev-list", "main~2..main", cwd=remote).split())
    assert rewritten <= store.known_shas(fresh_db, GH, "org/code")

    amended = _commit_tree(
        remote,
        [git("rev-parse", "main~2", cwd=remote).strip()],
        "squashed work",
        "2024-01-04T00:00:00+00:00",
    )
    git("update-ref", "refs/heads/main", amended, cwd=remote)
    report = fetch_family(fresh_db, family, hub=None, github=backend, refresh=True)

    cached = store.known_shas(fresh_db, GH, "org/code")
    assert report.repos[0].status == "complete" and amended in cached
    assert not rewritten & cached and len(cached) == 2


def test_a_failed_listing_never_drops_anything(fresh_db, tmp_path):
    """Only a complete listing may remove commits: a failure keeps the cache as it was."""
    from gitutil import build_repo, url_template

    from core.ingest.sources.gitrepo import GitBackend

    remote = tmp_path / "remote" / "org" / "code"
    build_repo(
        remote,
        [
            (
                "Dev",
                "dev@example.org",
                "2024-01-01T00:00:00+00:00",
                "2024-01-01T00:00:00+00:00",
                "init",
            )
        ],
    )
    family = Family("org/code", "org/code", ())
    fetch_family(
        fresh_db,
        family,
        hub=None,
        github=GitBackend(tmp_path / "cache", url_template=url_template(tmp_path / "remote")),
    )
    broken = GitBackend(tmp_path / "cache2", url_template=url_template(tmp_path / "missing"))
    report = fetch_family(fresh_db, family, hub=None, github=broken, refresh=True)
    assert report.repos[0].status == "failed"
    assert store.count_commits(fresh_db, GH, "org/code") == 1
