"""GitHub file listings: the git trees API (one request) and a cached clone (no request)."""

import json
import re
from datetime import UTC, datetime

import pytest
import responses
from conftest import FIXTURES
from gitutil import git

from core.errors import SourceError
from core.ingest.sources.github_client import make_github_client
from core.ingest.sources.github_files import git_last_changes, git_tree, github_tree

API = "https://api.github.com"


def url(path: str) -> re.Pattern:
    """PyGithub spells the host with its port (`api.github.com:443`)."""
    return re.compile(rf"^{re.escape(API)}(:443)?{re.escape(path)}(\?.*)?$")


TREE_URL = url("/repos/acme/widget/git/trees/HEAD")
TREE = json.loads((FIXTURES / "audit" / "gh_tree_acme_widget.json").read_text())
ERRORS = json.loads((FIXTURES / "github" / "errors.json").read_text())


def client():
    return make_github_client(None, max_wait=0, seconds_between_requests=None)


@pytest.fixture
def rsps():
    with responses.RequestsMock() as mock:
        yield mock


def test_one_request_lists_every_blob_with_its_sha_and_size(rsps):
    rsps.get(
        TREE_URL, json=TREE, match=[responses.matchers.query_param_matcher({"recursive": "1"})]
    )

    listing = github_tree(client(), "acme/widget")

    assert len(rsps.calls) == 1
    files = {f.path: f for f in listing.files}
    assert "hf" not in files and "third_party/flash" not in files  # folders and submodules
    assert files["hf/config.json"].blob_id == "bba4454ef2d76e005159770466a7164527d11199"
    assert files["tokenizer.model"].size == 131  # an LFS pointer: the tree API cannot tell
    assert listing.revision == "HEAD" and listing.source == "api" and not listing.truncated


def test_a_truncated_tree_is_reported_as_such(rsps):
    rsps.get(TREE_URL, json={**TREE, "truncated": True})

    assert github_tree(client(), "acme/widget").truncated


def test_a_ref_is_passed_through(rsps):
    rsps.get(url("/repos/acme/widget/git/trees/v1.0"), json=TREE)

    assert github_tree(client(), "acme/widget", ref="v1.0").revision == "v1.0"


@pytest.mark.parametrize(
    ("error", "kind"),
    [("not_found", "not_found"), ("forbidden", "private"), ("empty", "empty")],
)
def test_errors_become_source_errors(rsps, error, kind):
    rsps.get(TREE_URL, status=ERRORS[error]["status"], json=ERRORS[error]["body"])

    with pytest.raises(SourceError) as err:
        github_tree(client(), "acme/widget")

    assert err.value.kind == kind and "acme/widget" in str(err.value)


def test_a_rate_limit_names_the_reset_time_instead_of_waiting(rsps):
    rsps.get(
        TREE_URL,
        status=403,
        json=ERRORS["primary_rate_limit"]["body"],
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1893456000"},
    )

    with pytest.raises(SourceError) as err:
        github_tree(client(), "acme/widget")

    assert err.value.kind == "rate_limit" and "2030-01-01 00:00 UTC" in str(err.value)


# --- a cached clone ---------------------------------------------------------------------------


def _commit(work, when: str, message: str) -> None:
    env = {
        "GIT_AUTHOR_NAME": "dev",
        "GIT_AUTHOR_EMAIL": "dev@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": "dev",
        "GIT_COMMITTER_EMAIL": "dev@example.org",
        "GIT_COMMITTER_DATE": when,
    }
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", message, cwd=work, env=env)


@pytest.fixture
def upstream(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    git("init", "-q", "-b", "main", cwd=work)
    git("config", "uploadpack.allowFilter", "true", cwd=work)
    (work / "hf").mkdir()
    (work / "README.md").write_text("# Widget\n")
    (work / "hf" / "config.json").write_text('{"rope_theta": 10000}\n')
    _commit(work, "2024-01-02T10:00:00+02:00", "initial")
    (work / "hf" / "config.json").write_text('{"rope_theta": 500000}\n')
    _commit(work, "2024-03-05T12:00:00+00:00", "longer context")
    return work


def clone(upstream, tmp_path, flt: str):
    path = tmp_path / f"{flt.replace(':', '_')}.git"
    git("clone", "-q", "--bare", f"--filter={flt}", f"file://{upstream}", str(path))
    return path


def test_a_blobless_clone_lists_files_and_dates_offline(upstream, tmp_path):
    path = clone(upstream, tmp_path, "blob:none")
    expected = git("rev-parse", "HEAD:hf/config.json", cwd=upstream).strip()

    listing = git_tree(path, "acme/widget")
    dates = git_last_changes(path, "acme/widget", ["hf/config.json", "README.md", "nope.txt"])

    files = {f.path: f for f in listing.files}
    assert set(files) == {"README.md", "hf/config.json"}
    assert files["hf/config.json"].blob_id == expected
    assert listing.source == "git" and listing.requests == 0
    assert dates == {
        "README.md": datetime(2024, 1, 2, 8, 0, tzinfo=UTC),
        "hf/config.json": datetime(2024, 3, 5, 12, 0, tzinfo=UTC),
    }


def test_a_treeless_clone_says_it_cannot_list_offline(upstream, tmp_path):
    path = clone(upstream, tmp_path, "tree:0")

    with pytest.raises(SourceError) as err:
        git_tree(path, "acme/widget")

    assert err.value.kind == "no_trees"
