"""Issue 11, failure 9 (ids and clones): hostile ids, a target that does not exist, git's words.

Before: `a/-b` and `a/...` were accepted as repositories; `fetch gh:nope/nope` saved an empty
family; a corrupt remote was reported as "network down?" and a missing one as "There is no
repository … (and the repository exists.)". Here fuzzed ids go through every CLI command
(hypothesis) against loopback servers, with every socket connection checked.
"""

from __future__ import annotations

import csv
import os
import socket
from pathlib import Path

import pytest
from gitutil import build_repo, url_template
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loopback import Answer, FakeGitHub, FakeHub, env

from core import store
from core.commands import COMMANDS
from core.errors import InputError, SourceError
from core.ingest.sources.gitrepo import GitBackend
from core.ingest.sources.hf import connect_hub
from core.ingest.targets import check_github_repo, hub_model_id, parse_target

pytestmark = pytest.mark.hardening

# per command (~450 fuzzed ids in all); SYNCLENS_FUZZ_EXAMPLES=500 for a deeper run
EXAMPLES = int(os.environ.get("SYNCLENS_FUZZ_EXAMPLES", "40"))
HOSTILE = [
    "org/[click here](https://evil.example)",
    "org/model)](javascript:alert(1))",
    "a/-b",
    "a/...",
    "gh:a/-b",
    "gh:a/...",
    "gh:a/.",
    "gh:nope/nope",
    "../../etc/passwd",
    "org/model.git",
    "org/--model",
    '=HYPERLINK("https://evil.example")',
    "@SUM(1+1)",
    "hf:org/model\r\n",
    "https://github.com/acme/tool/../../x",
    "https://evil.example/acme/tool",
    "acme/tool-7b",
    "gh:acme/tool",
    "github.com/acme/tool",
    "x" * 400,
    "",
]
_ID_CHARS = "abcAZ09._-/:[]()@#%?=+ \\\t'\"<>`~!$&*|"
IDS = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
    st.builds(
        lambda prefix, owner, name: f"{prefix}{owner}/{name}",
        st.sampled_from(["", "gh:", "hf:", "https://github.com/", "https://huggingface.co/"]),
        st.text(alphabet=_ID_CHARS, min_size=1, max_size=12),
        st.text(alphabet=_ID_CHARS, min_size=1, max_size=20),
    ),
)


@pytest.fixture
def loopback_only(monkeypatch):
    """Point every client at fake servers and refuse any socket that is not loopback."""
    hub, github = FakeHub(), FakeGitHub()
    hub.add_model("acme/tool-7b", 30, github="acme/tool")
    github.add_repo("acme/tool", 40)
    for name, value in env(hub, github).items():
        monkeypatch.setenv(name, value)
    elsewhere: list[object] = []
    connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1", "localhost"):
            elsewhere.append(address)
            raise OSError(f"test refuses a connection to {address}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield elsewhere
    hub.server.close()
    github.server.close()


def argv(command: str, text: str, folder: Path) -> list[str]:
    """The command line that hands `text` to `command` where it takes an id (or a path)."""
    via = ["--via", "api"] if command in ("fetch", "batch") else []
    if command == "batch":
        path = folder / "targets.csv"
        with path.open("w", newline="") as fh:
            csv.writer(fh).writerows([["target"], [text]])
        return ["batch", str(path), *via]
    if command == "corpus":
        return ["corpus", "import", text or "."]
    if command == "corpus-report":
        return ["corpus-report", "--format", "json"]
    if command == "audit":
        return ["audit", text]
    return [command, text, *via]


@pytest.mark.parametrize("command", COMMANDS)
def test_fuzzed_ids_through_every_command(cli, db_file, tmp_path, loopback_only, command):
    seen: list[tuple[str, int]] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(IDS)
    def run(text: str) -> None:
        result = cli("--db", db_file, *argv(command, text, tmp_path))
        seen.append((text, result.code))
        assert result.code in (0, 1, 2), (text, result)
        assert "Traceback" not in result.err and "internal error" not in result.err, result.err

    run()
    assert loopback_only == []  # no request ever left the machine
    assert len(seen) >= EXAMPLES
    db = store.open_db(db_file)
    for family in store.list_families(db):
        stored = store.load_family(db, family["name"])
        assert stored is not None
        if stored.github_repo:
            check_github_repo(stored.github_repo)
        assert all(hub_model_id(v) == v for v in stored.variants), stored
    db.close()


@pytest.mark.parametrize(
    "text",
    ["gh:a/-b", "gh:a/...", "gh:a/..", "gh:a/.", "gh:-a/b", "gh:a--b/c", "gh:a/b/c", "gh:a/b c"],
)
def test_github_naming_rules_reject_before_any_request(text):
    with pytest.raises(InputError):
        parse_target(text)
    with pytest.raises(InputError):
        check_github_repo(text.removeprefix("gh:"))


@pytest.mark.parametrize(
    "text", ["org/-model", "org/model-", "org/.model", "org/model.git", "org/a--b", "org/a..b"]
)
def test_hub_naming_rules_reject_before_any_request(text):
    with pytest.raises(InputError):
        parse_target(text)
    assert hub_model_id(text) is None


@pytest.mark.parametrize("text", ["gh:a/b", "gh:a/.b", "gh:a/b.c_d-e", "gh:0-1/x", "org/Model_1.5"])
def test_valid_ids_still_pass(text):
    assert parse_target(text).id == text.removeprefix("gh:")


def test_search_results_that_break_the_hub_naming_rules_are_dropped(tmp_path):
    hub = FakeHub()
    hub.faults.add(
        ("search",),
        Answer(
            200,
            [
                {"id": "acme/tool-7b", "modelId": "acme/tool-7b"},
                {"id": "acme/[click here](https://evil.example)", "modelId": "x"},
                {"id": "acme/../../etc", "modelId": "y"},
            ],
        ),
    )
    try:
        client = connect_hub(token="", endpoint=hub.server.url, readme_dir=tmp_path)
        assert client.search_models(author="acme") == ["acme/tool-7b"]
    finally:
        hub.server.close()


def test_fetch_of_a_target_that_does_not_exist_saves_no_family(cli, db_file, loopback_only):
    result = cli("--db", db_file, "fetch", "gh:nope/nope", "--via", "api")
    assert result.code == 1
    assert "nothing saved" in result.err and "FAILED" in result.out
    db = store.open_db(db_file)
    assert store.list_families(db) == []
    db.close()


def test_a_corrupt_remote_is_named_as_such(tmp_path):
    remote = tmp_path / "remote"
    day = "2024-01-0{}T10:00:00+00:00"
    commits = [("Dev", "dev@example.com", day.format(i), day.format(i), f"c{i}") for i in (1, 2)]
    repo = build_repo(remote / "acme" / "llm", commits)
    loose = sorted(p for p in (repo / ".git" / "objects").glob("[0-9a-f][0-9a-f]/*"))
    for path in loose:
        path.chmod(0o644)
        path.write_bytes(b"garbage")
    backend = GitBackend(tmp_path / "cache", url_template=url_template(remote))
    with pytest.raises(SourceError) as err:
        list(backend.iter_commits("acme/llm"))
    message = str(err.value)
    assert err.value.kind == "malformed" and "broken copy" in message, message
    assert "network" not in message


def test_a_missing_remote_quotes_gits_reason_not_its_advice(tmp_path):
    (tmp_path / "remote").mkdir()
    backend = GitBackend(tmp_path / "cache", url_template=url_template(tmp_path / "remote"))
    with pytest.raises(SourceError) as err:
        list(backend.iter_commits("acme/nope"))
    message = str(err.value)
    assert err.value.kind == "not_found"
    assert "does not appear to be a git repository" in message, message
    assert "and the repository exists" not in message
