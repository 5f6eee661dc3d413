"""Any host: a GitHub Enterprise server (`--github-url`), a git mirror ($SYNCLENS_GIT_MIRROR)
and a Hub mirror ($HF_ENDPOINT) — parsed as targets, read by every client and used in every
link. End to end against fake servers on 127.0.0.1 (tests/loopback.py)."""

from __future__ import annotations

import pytest
from gitutil import build_repo, git
from loopback import FakeGitHub, FakeHub

from core import settings
from core.audit.links import commit_url, repo_url
from core.errors import InputError
from core.ingest.targets import parse_target

DEC = [("Dev", "dev@example.org", f"2022-12-0{i + 1}T10:00:00Z", f"2022-12-0{i + 1}T10:00:00Z",
        f"change {i}") for i in range(4)]  # fmt: skip


@pytest.fixture(autouse=True)
def _no_telemetry():
    from huggingface_hub.utils import _detect_agent

    _detect_agent._registry = _detect_agent._EMPTY_REGISTRY


@pytest.fixture
def servers():
    ghe = FakeGitHub()
    hub = FakeHub(github_url=ghe.server.url)
    yield hub, ghe
    hub.server.close()
    ghe.server.close()


def test_targets_on_configured_servers_parse_and_others_do_not(monkeypatch):
    with pytest.raises(InputError):
        parse_target("https://ghe.example.com/org/repo")
    monkeypatch.setenv("SYNCLENS_GITHUB_URL", "https://ghe.example.com")
    monkeypatch.setenv("HF_ENDPOINT", "https://hf-mirror.example")

    assert parse_target("https://ghe.example.com/org/repo/tree/main").id == "org/repo"
    assert parse_target("ghe.example.com/org/repo.git").kind == "gh"
    mirrored = parse_target("https://hf-mirror.example/org/model")
    assert (mirrored.kind, mirrored.id) == ("hf", "org/model")
    assert parse_target("https://github.com/a/b").kind == "gh"  # the public hosts still parse
    with pytest.raises(InputError, match="scheme"):
        parse_target("ftp://ghe.example.com/org/repo")


def test_api_and_clone_urls_derive_from_the_server(monkeypatch):
    monkeypatch.setenv("SYNCLENS_GITHUB_URL", "https://ghe.example.com/")
    assert settings.github_api() == "https://ghe.example.com/api/v3"
    assert settings.git_url_template() == "https://ghe.example.com/{repo}.git"
    monkeypatch.setenv("SYNCLENS_GIT_MIRROR", "https://mirror.example/{owner}/{repo}.git")
    assert settings.git_url_template() == "https://mirror.example/{owner}/{name}.git"
    monkeypatch.delenv("SYNCLENS_GITHUB_URL")
    monkeypatch.setenv("GITHUB_API_URL", "https://ghe.example.com/api/v3")  # as Actions sets it
    assert settings.github_url() == "https://ghe.example.com"
    assert settings.github_api() == "https://ghe.example.com/api/v3"
    monkeypatch.setenv("GITHUB_API_URL", "https://api.github.com")
    assert (settings.github_url(), settings.github_api()) == ("https://github.com", None)


def test_links_point_at_the_configured_servers(monkeypatch):
    monkeypatch.setenv("SYNCLENS_GITHUB_URL", "https://ghe.example.com")
    monkeypatch.setenv("HF_ENDPOINT", "https://hf-mirror.example")
    assert repo_url("GH", "org/code") == "https://ghe.example.com/org/code"
    assert (
        commit_url("HF", "org/m", "a" * 40) == f"https://hf-mirror.example/org/m/commit/{'a' * 40}"
    )


def test_fetch_and_audit_through_an_enterprise_server_and_a_hub_mirror(
    cli, db_file, servers, monkeypatch
):
    hub, ghe = servers
    hub.add_model("org/model-a", 60, github="org/code")
    ghe.add_repo("org/code", 120)
    monkeypatch.setenv("HF_ENDPOINT", hub.server.url)

    fetched = cli(
        "--db", str(db_file), "--github-url", ghe.server.url,
        "fetch", f"{hub.server.url}/org/model-a", "--via", "api",
    )  # fmt: skip

    assert fetched.code == 0, fetched.err
    assert "org/code: 180 commits cached, 0 failed" in fetched.out
    assert {r.path for r in ghe.server.requests} == {"/api/v3/repos/org/code/commits"}
    audit = cli(
        "--db", str(db_file), "--github-url", ghe.server.url, "audit", "org/code", "--offline"
    )  # fmt: skip
    assert f"]({ghe.server.url}/org/code)" in audit.out
    assert f"]({hub.server.url}/org/model-a" in audit.out
    assert "github.com" not in audit.out and "huggingface.co" not in audit.out


def test_clones_and_watch_go_through_a_git_mirror(cli, db_file, servers, tmp_path, monkeypatch):
    hub, ghe = servers
    hub.add_model("org/model-a", 3, github="org/code")
    mirror = build_repo(tmp_path / "mirror" / "org" / "code.git", DEC)
    monkeypatch.setenv("HF_ENDPOINT", hub.server.url)
    monkeypatch.setenv(
        "SYNCLENS_GIT_MIRROR", (tmp_path / "mirror").as_uri() + "/{owner}/{repo}.git"
    )
    monkeypatch.setenv("SYNCLENS_GITHUB_URL", ghe.server.url)  # cards link to the enterprise

    fetched = cli("--db", str(db_file), "fetch", "org/model-a", "--via", "git")
    assert fetched.code == 0, fetched.err
    hub.server.requests.clear()

    watched = cli("--db", str(db_file), "watch", "org/code", "--format", "json")

    assert watched.code == 0, watched.err
    assert '"requests": 2' in watched.out  # one model info + one ls-remote of the mirror
    assert [r.path for r in hub.server.requests] == ["/api/models/org/model-a"]
    assert ghe.server.requests == []  # clones and ls-remote went to the mirror
    head = git("rev-parse", "HEAD", cwd=mirror).strip()
    assert f'"now": "{head}"' in watched.out
