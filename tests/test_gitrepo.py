"""The git backend on real local repositories, cloned over file:// like GitHub over https."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

import pytest
from gitutil import HISTORIES, append_commits, build_repo, git, history, url_template

from core.errors import InputError, SourceError
from core.ingest.sources import gitrepo
from core.ingest.sources.gitrepo import GitBackend, _git_error

REPO = "acme/llm"

TRICKY = [
    (
        "Zoë Ångström",
        "zoe@example.org",
        "2024-01-31T23:30:00+05:30",
        "2024-02-01T10:00:00+05:30",
        "Initial commit",
    ),
    (
        "Bob, Jr.",
        "bob@example.com",
        "2024-02-01T08:00:00-07:00",
        "2024-02-01T09:15:00-07:00",
        "Add tokenizer, vocab, and merges\n\n- uses BPE, like GPT-2\n- 日本語 tokens ✓\n",
    ),
    (
        "Zoë Ångström",
        "zoe@example.org",
        "2024-02-02T00:00:00+00:00",
        "2024-02-03T12:00:00+01:00",
        "Merge pull request #12 from acme/fix\n\nFix \"quotes\", 'apostrophes' and\r\nCRLF",
    ),
    (
        "ci",
        "41898282+github-actions[bot]@users.noreply.github.com",
        "2024-02-04T01:02:03Z",
        "2024-02-04T01:02:03Z",
        "",
    ),
]


@pytest.fixture
def remote(tmp_path):
    """A GitHub stand-in: repositories under tmp/remote/<owner>/<name>."""
    base = tmp_path / "remote"
    build_repo(base / REPO, TRICKY)
    return base


@pytest.fixture
def backend(tmp_path, remote):
    return GitBackend(tmp_path / "cache", url_template=url_template(remote))


def test_clone_reads_every_commit_newest_first_in_utc(backend, tmp_path):
    commits = list(backend.iter_commits(REPO))

    assert [c.message for c in commits] == [t[4] for t in reversed(TRICKY)]
    first = commits[-1]
    assert (first.platform, first.repo, first.author_name) == ("GH", REPO, "Zoë Ångström")
    assert first.authored_at == datetime(2024, 1, 31, 18, 0, tzinfo=UTC)
    assert first.committed_at == datetime(2024, 2, 1, 4, 30, tzinfo=UTC)
    second = commits[-2]
    assert second.authored_at == datetime(2024, 2, 1, 15, 0, tzinfo=UTC)
    assert second.title == "Add tokenizer, vocab, and merges"
    assert second.message.endswith("日本語 tokens ✓\n")
    assert commits[0].title == commits[0].message == ""
    assert all(len(c.sha) == 40 and c.author_login is None for c in commits)
    assert backend.requests == 1


def test_the_clone_is_bare_blobless_and_in_the_cache(backend, tmp_path):
    list(backend.iter_commits(REPO))
    path = tmp_path / "cache" / "git" / "acme__llm.git"
    assert backend.path_for(REPO) == path
    assert git("rev-parse", "--is-bare-repository", cwd=path).strip() == "true"
    assert git("config", "remote.origin.partialclonefilter", cwd=path).strip() == "blob:none"
    assert [p.name for p in (tmp_path / "cache" / "git").iterdir()] == ["acme__llm.git"]


def test_fetch_picks_up_new_commits_only(backend, remote):
    before = {c.sha for c in backend.iter_commits(REPO)}
    append_commits(
        remote / REPO,
        [
            (
                "Bob, Jr.",
                "bob@example.com",
                "2024-03-01T10:00:00+02:00",
                "2024-03-01T10:00:00+02:00",
                "Release v2\n\nWeights, config, card.",
            ),
            (
                "Zoë Ångström",
                "zoe@example.org",
                "2024-03-02T10:00:00-03:00",
                "2024-03-02T10:00:00-03:00",
                "Fix typo",
            ),
        ],
    )

    after = list(backend.iter_commits(REPO))

    assert backend.requests == 2  # one clone, one fetch
    assert [c.title for c in after if c.sha not in before] == ["Fix typo", "Release v2"]
    assert len(after) == len(before) + 2
    assert list(backend.iter_commits(REPO)) == after  # an unchanged refresh


def test_since_keeps_commits_committed_at_or_after_it(backend):
    since = datetime(2024, 2, 3, 11, 0, tzinfo=UTC)  # == the merge's committer date
    titles = [c.title for c in backend.iter_commits(REPO, since=since)]
    assert titles == ["", "Merge pull request #12 from acme/fix"]
    naive = [c.title for c in backend.iter_commits(REPO, since=since.replace(tzinfo=None))]
    assert naive == titles


def test_history_rewritten_upstream_is_followed(backend, remote):
    list(backend.iter_commits(REPO))
    first = git("rev-list", "--max-parents=0", "HEAD", cwd=remote / REPO).strip()
    git("update-ref", "refs/heads/main", first, cwd=remote / REPO)  # a force push
    append_commits(
        remote / REPO,
        [
            (
                "Bob, Jr.",
                "bob@example.com",
                "2024-05-01T00:00:00Z",
                "2024-05-01T00:00:00Z",
                "Start over",
            )
        ],
    )
    assert [c.title for c in backend.iter_commits(REPO)] == ["Start over", "Initial commit"]


def test_an_empty_repository_yields_nothing_until_it_has_commits(tmp_path):
    remote = tmp_path / "remote"
    (remote / REPO).mkdir(parents=True)
    git("init", "--quiet", "--initial-branch", "main", cwd=remote / REPO)
    backend = GitBackend(tmp_path / "cache", url_template=url_template(remote))
    assert list(backend.iter_commits(REPO)) == []
    assert list(backend.iter_commits(REPO)) == []
    append_commits(remote / REPO, TRICKY[:1])
    assert [c.title for c in backend.iter_commits(REPO)] == ["Initial commit"]


def test_an_unknown_repository_fails_cleanly_and_leaves_no_clone(backend, tmp_path):
    with pytest.raises(SourceError) as err:
        list(backend.iter_commits("acme/nope"))
    assert err.value.kind == "not_found" and "acme/nope" in str(err.value)
    assert list((tmp_path / "cache" / "git").iterdir()) == []


def test_a_timed_out_clone_leaves_no_half_clone(backend, tmp_path, monkeypatch):
    monkeypatch.setattr(gitrepo, "CLONE_TIMEOUT", 0.001)
    with pytest.raises(SourceError) as err:
        list(backend.iter_commits(REPO))
    assert err.value.kind == "timeout"
    assert list((tmp_path / "cache" / "git").iterdir()) == []
    monkeypatch.setattr(gitrepo, "CLONE_TIMEOUT", 600)
    assert len(list(backend.iter_commits(REPO))) == len(TRICKY)


def test_a_broken_clone_in_the_cache_is_replaced(backend, tmp_path):
    broken = tmp_path / "cache" / "git" / "acme__llm.git"
    broken.mkdir(parents=True)
    (broken / "HEAD").write_text("garbage\n")
    assert len(list(backend.iter_commits(REPO))) == len(TRICKY)
    assert backend.requests == 1


@pytest.mark.parametrize("name", ["acme", "acme/llm/extra", "acme/..", "-x/y", "a b/c", ""])
def test_bad_names_are_refused_before_git_runs(backend, tmp_path, name):
    with pytest.raises(InputError, match="owner/name"):
        list(backend.iter_commits(name))
    assert not (tmp_path / "cache").exists()


def test_missing_git_is_reported(backend, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(SourceError) as err:
        list(backend.iter_commits(REPO))
    assert err.value.kind == "git_missing" and "--via api" in str(err.value)


@pytest.mark.parametrize(
    ("stderr", "kind"),
    [
        (
            "remote: Repository not found.\nfatal: repository 'https://github.com/acme/llm.git/' not "
            "found\n",
            "not_found",
        ),
        (
            "fatal: could not read Username for 'https://github.com': terminal prompts disabled\n",
            "private",
        ),
        (
            "fatal: unable to access 'https://github.com/acme/llm.git/': Could not resolve host: "
            "github.com\n",
            "network",
        ),
        (
            "fatal: unable to access 'https://github.com/acme/llm.git/': Failed to connect to "
            "github.com port 443 after 2 ms: Couldn't connect to server\n",
            "network",
        ),
        ("error: RPC failed; HTTP 500 curl 22 The requested URL returned error: 500\n", "server"),
    ],
)
def test_git_errors_are_classified(stderr, kind):
    err = _git_error(REPO, "clone", stderr)
    assert err.kind == kind and REPO in str(err)


def test_a_real_history_replays_exactly(tmp_path):
    """A whole default-branch history from ../shared/data/gh_histories (7,243 commits)."""
    family = "smallcloudai_Refact"
    build_repo(tmp_path / "remote" / REPO, history(family))
    backend = GitBackend(tmp_path / "cache", url_template=url_template(tmp_path / "remote"))

    commits = list(backend.iter_commits(REPO))

    with (HISTORIES / f"{family}.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))  # newest first, like git log
    assert len(commits) == len(rows)
    for commit, row in zip(commits, rows, strict=True):
        assert commit.message == row["message"]
        assert commit.author_name == row["author_name"]
        assert commit.author_email == row["author_email"]
        assert commit.authored_at == datetime.fromisoformat(row["author_date"]).astimezone(UTC)
        assert commit.committed_at - datetime.fromisoformat(row["committer_date"]) == timedelta(0)


def test_a_treeless_clone_of_an_earlier_version_is_replaced_by_a_blobless_one(backend, remote):
    path = backend.path_for(REPO)
    path.parent.mkdir(parents=True)
    git("clone", "--bare", "--quiet", "--filter=tree:0", (remote / REPO).as_uri(), str(path))

    assert len(list(backend.iter_commits(REPO))) == len(TRICKY)
    assert git("config", "remote.origin.partialclonefilter", cwd=path).strip() == "blob:none"
    assert git("ls-tree", "-r", "--name-only", "HEAD", cwd=path).split() == ["log.txt"]
