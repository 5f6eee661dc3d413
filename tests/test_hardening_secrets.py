"""Issue 11, failure 6: credentials echoed back by a server never leave the process.

Before: a GitHub 401 whose message contained the token was printed and stored in
`fetch_runs.error`; Anthropic 400/404/413 errors printed the key. Here every configured
secret is sent to fake servers that echo it back (in error messages, headers and commit
text); then stdout, stderr, the log, the cache file (and its WAL) and every export are
searched for each secret as written, percent-encoded and JSON-escaped.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest
from conftest import REPO
from hypothesis import given
from hypothesis import strategies as st
from loopback import Answer, FakeAnthropic, FakeGitHub, FakeHub, Request, env

from core import store
from core.labeling.corrections import correct_commits, correct_label, export_corrections
from core.labeling.text import commit_text, text_hash
from core.records import CommitRecord
from core.redaction import _SHAPES, _without_tokens, redact, redactor
from core.store.commits import commit_row, commit_rows

pytestmark = pytest.mark.hardening

# Shaped like real tokens (so shape-based redaction would catch them too) but built here,
# so no token-like literal is tracked.
SECRETS = {
    "HF_TOKEN": "hf_" + "Qx" * 17,
    "GITHUB_TOKEN": "ghp_" + "0123456789abcdefghijklmnopqrstuvwxyzAB",
    "ANTHROPIC_API_KEY": "sk-ant-api03-" + "Zy9" * 12,
}
MODEL, REPO_ID = "acme/tool-7b", "acme/tool"


def forms(secret: str) -> set[str]:
    """How a secret can appear in text: as written, percent-encoded, JSON-escaped, and its
    distinctive tail (a server may echo only part of it)."""
    return {secret, quote(secret, safe=""), json.dumps(secret)[1:-1], secret[-20:]}


def leaks(text: str | bytes) -> list[str]:
    data = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return [name for name, value in SECRETS.items() for form in forms(value) if form in data]


def echo_hub(hub: FakeHub):
    """Every Hub answer becomes a 401 that quotes the Authorization header back."""

    def answer(req: Request) -> Answer:
        auth = req.headers.get("authorization", "")
        message = f"Invalid credentials in Authorization header ({auth})"
        return Answer(401, {"error": message}, {"X-Error-Message": message})

    hub.server.route = answer


def echo_github(github: FakeGitHub):
    def answer(req: Request) -> Answer:
        return Answer(401, {"message": f"Bad credentials: {req.headers.get('authorization')}"})

    github.server.route = answer


def echo_anthropic(status: int):
    def answer(req: Request) -> Answer:
        key = req.headers.get("x-api-key", "")
        body = {
            "type": "error",
            "error": {"type": "invalid_request_error", "message": f"key {key} cannot do that"},
        }
        return Answer(status, body, {"X-Echo": key})

    return FakeAnthropic(answer)


@pytest.fixture
def servers():
    hub, github = FakeHub(), FakeGitHub()
    hub.add_model(MODEL, 60, github=REPO_ID)
    # A commit whose title quotes the token (a hostile or careless upstream).
    hub.models[MODEL].commits[0]["title"] = f"add token {SECRETS['HF_TOKEN']} to config"
    github.add_repo(REPO_ID, 120)
    yield hub, github
    hub.server.close()
    github.server.close()


def run_cli(db_file: Path, extra_env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, **extra_env, **SECRETS, "SYNCLENS_DB": str(db_file)}
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        timeout=240,
    )


def cache_bytes(db_file: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db_file.parent.glob(db_file.name + "*"))


def test_no_secret_in_any_output_or_the_cache_when_servers_echo_them(db_file, servers, tmp_path):
    hub, github = servers
    outputs: dict[str, str] = {}

    first = run_cli(db_file, env(hub, github), "fetch", MODEL, "--via", "api")
    assert first.returncode == 0, first.stderr
    outputs["fetch"] = first.stdout + first.stderr

    echo_hub(hub)
    echo_github(github)
    again = run_cli(db_file, env(hub, github), "fetch", MODEL, "--via", "api", "--full")
    assert again.returncode == 1  # both sources refused, and said so
    assert "FAILED" in again.stdout and "<GITHUB_TOKEN>" in again.stdout + again.stderr
    outputs["fetch --full (401 echoing the token)"] = again.stdout + again.stderr

    fresh = run_cli(tmp_path / "other.db", env(hub, github), "fetch", "acme/other", "--via", "api")
    outputs["fetch of a new target (401 echoing the token)"] = fresh.stdout + fresh.stderr

    exported = tmp_path / "out.csv"
    for fmt in ("csv", "json"):
        done = run_cli(db_file, {}, "export", MODEL, "--format", fmt, "--output", str(exported))
        assert done.returncode == 0, done.stderr
        outputs[f"export {fmt}"] = exported.read_text() + done.stdout + done.stderr
    done = run_cli(db_file, {}, "export", MODEL)
    outputs["export to stdout"] = done.stdout + done.stderr
    assert "add token <HF_TOKEN> to config" in done.stdout  # the commit kept, its secret not

    found = {where: leaks(text) for where, text in outputs.items()}
    found["cache"] = leaks(cache_bytes(db_file))
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize("status", [400, 404, 413])
def test_anthropic_errors_that_echo_the_key_are_redacted(db_file, tmp_path, status):
    api = echo_anthropic(status)
    csv_in = tmp_path / "commits.csv"
    csv_in.write_text("platform,title,message\nGH,Fix the tokenizer,\nHF,Update README.md,\n")
    try:
        done = run_cli(db_file, env(anthropic=api), "label", str(csv_in), "--labeler", "claude")
    finally:
        api.server.close()
    assert done.returncode == 1, done.stderr
    assert f"HTTP {status}" in done.stderr
    assert leaks(done.stdout + done.stderr) == [] and leaks(cache_bytes(db_file)) == []


def test_logs_are_redacted_whatever_logger_writes_them(
    cli, db_file, servers, monkeypatch, tmp_path
):
    """In-process, with every logger at DEBUG and one secret from secrets.toml, not the env."""
    hub, github = servers
    for name, value in {**env(hub, github), **SECRETS}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GITHUB_TOKEN")
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        f'GITHUB_TOKEN = "{SECRETS["GITHUB_TOKEN"]}"\n'
    )
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        echo_github(github)
        result = cli("--db", db_file, "fetch", MODEL, "--via", "api")
        logging.getLogger("synclens.test").warning("a server said %s", SECRETS["ANTHROPIC_API_KEY"])
        try:
            raise RuntimeError(f"boom {SECRETS['HF_TOKEN']}")
        except RuntimeError:
            logging.getLogger("synclens.test").exception("failed")
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    assert "GITHUB_TOKEN" in result.out + result.err  # GitHub's echo, redacted
    assert log.getvalue().count("<ANTHROPIC_API_KEY>") >= 1 and "boom <HF_TOKEN>" in log.getvalue()
    assert leaks(log.getvalue()) == [] and leaks(result.out + result.err) == []


def test_redact_catches_every_form_and_token_shapes_it_was_not_told_about(monkeypatch):
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    text = " | ".join(f for v in SECRETS.values() for f in sorted(forms(v)) if f != v[-20:])
    assert leaks(redact(text)) == []
    monkeypatch.delenv("GITHUB_TOKEN")
    stray = "ghp_" + "Z" * 36
    assert redact(f"token {stray} leaked") == "token <redacted> leaked"
    assert redact("hf_hub_download and gh_pages stay") == "hf_hub_download and gh_pages stay"


@pytest.mark.parametrize(
    "token",
    [
        "ghp_" + "A" * 36,
        "gho_" + "b" * 36,
        "github_pat_" + "Q" * 30,
        "hf_" + "c" * 34,
        "sk-ant-" + "d" * 30,
    ],
)
def test_every_token_shape_is_caught_anywhere_in_a_long_output(token):
    lines = [f'{{"n_hf_commits": {i}, "family": "gh/high"}}' for i in range(2000)]
    lines.insert(1234, f"echoed: ({token}).")
    out = redact("\n".join(lines))
    assert token not in out and "echoed: (<redacted>)." in out
    assert out.count("n_hf_commits") == 2000  # look-alikes stay as written


def test_the_hub_token_never_goes_to_another_host(tmp_path):
    """huggingface_hub follows a listing's next link, headers and all, wherever it points."""
    import httpx
    import respx
    from hf_replay import RespxTransport

    from core.ingest.sources.hf import connect_hub

    router = respx.Router(assert_all_mocked=True)
    tree = "https://huggingface.co/api/models/acme/tool-7b/tree/main"
    item = {"type": "file", "oid": "a" * 40, "size": 3, "path": "a.txt"}
    router.get(url__startswith=tree).mock(
        return_value=httpx.Response(
            200, json=[item], headers={"Link": '<https://evil.example/next>; rel="next"'}
        )
    )
    evil = router.get("https://evil.example/next").mock(return_value=httpx.Response(200, json=[]))
    hub = connect_hub(
        token=SECRETS["HF_TOKEN"], transport=RespxTransport(router), readme_dir=tmp_path
    )
    hub.list_files("acme/tool-7b")
    assert evil.called and "authorization" not in evil.calls[0].request.headers
    assert router.calls[0].request.headers["authorization"].endswith(SECRETS["HF_TOKEN"])


TOKEN_PIECES = [
    "ghp_",
    "gho_",
    "github_pat_",
    "hf_",
    "sk-ant-",
    "gh",
    "x",
    "é",
    "_",
    "-",
    " ",
    "\n",
]


@given(st.lists(st.sampled_from([*TOKEN_PIECES, "A" * 12, "b9" * 8]), max_size=30))
def test_token_shapes_are_replaced_exactly_where_the_regex_would(pieces):
    text = "".join(pieces)
    assert _without_tokens(text) == _SHAPES.sub("<redacted>", text)


VALUE_PIECES = [*TOKEN_PIECES, "A" * 12, "b9" * 8, "\x00", *SECRETS.values()]


@given(
    st.lists(
        st.one_of(st.none(), st.lists(st.sampled_from(VALUE_PIECES), max_size=12).map("".join)),
        max_size=12,
    ),
    st.booleans(),
)
def test_many_values_are_redacted_as_each_would_be_alone(values, configured):
    """`Redactor.all` searches the values joined; nothing it returns may differ from
    redacting each value by itself, with or without secrets configured, whatever the
    values hold (tokens, secrets, the joining character itself)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SECRETS.items():
            if configured:
                patch.setenv(name, value)
            else:
                patch.delenv(name, raising=False)
        scrub = redactor()
        alone = [scrub(v) if v else v for v in values]
        assert scrub.all(values) == alone
        assert scrub.all(iter(values)) == alone  # an iterator is searched too, not spent


def test_values_that_are_not_text_pass_through_as_redact_value_leaves_them():
    stray = "ghp_" + "Z" * 36
    assert redactor().all([7, None, b"raw", f"x {stray}", ""]) == [
        7,
        None,
        b"raw",
        "x <redacted>",
        "",
    ]


def test_a_commit_row_redacts_every_free_text_field(monkeypatch):
    monkeypatch.setenv("HF_TOKEN", SECRETS["HF_TOKEN"])
    stray = "ghp_" + "Z" * 36
    echoed = CommitRecord(
        platform="GH",
        repo="acme/tool",
        sha="a" * 40,
        authored_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        committed_at=datetime(2024, 1, 2, 4, 4, 5, tzinfo=timezone(timedelta(hours=1))),
        title=f"Use {SECRETS['HF_TOKEN']}",
        message=f"Use {SECRETS['HF_TOKEN']}\n\nold {stray}",
        author_name=stray,
        author_email=None,
        author_login="",
        authors=(f"x <{stray}>",),
    )
    plain = dataclasses.replace(echoed, sha="b" * 40, title="Fix", message="Fix", authors=())
    rows = commit_rows([echoed, plain])
    assert rows[0]["title"] == "Use <HF_TOKEN>"
    assert rows[0]["message"] == "Use <HF_TOKEN>\n\nold <redacted>"
    assert rows[0]["text"] == commit_text("GH", rows[0]["title"], rows[0]["message"])
    assert rows[0]["text_hash"] == text_hash(rows[0]["text"])
    assert (rows[0]["author_name"], rows[0]["author_email"], rows[0]["author_login"]) == (
        "<redacted>",
        None,
        "",
    )
    assert rows[0]["authors"] == '["x <<redacted>>"]' and rows[1]["authors"] == "[]"
    assert rows[0]["authored_at"] == rows[0]["committed_at"] == "2024-01-02T03:04:05.000000Z"
    assert rows[1]["title"] == "Fix" and rows[1]["author_name"] == "<redacted>"
    assert commit_row(echoed) == rows[0]


def test_a_token_that_only_cleaning_reveals_never_reaches_the_cached_text(monkeypatch):
    """The stored `text` is the cleaned message: an HTML entity or full-width letters can
    turn into a token or a secret there, so it is redacted after cleaning too."""
    monkeypatch.setenv("HF_TOKEN", SECRETS["HF_TOKEN"])
    secret_as_entity = SECRETS["HF_TOKEN"].replace("_", "&#95;")
    full_width = "ｇｈｐ＿" + "Z" * 36  # NFKC: ghp_ZZZ...
    record = CommitRecord(
        platform="GH",
        repo="acme/tool",
        sha="c" * 40,
        authored_at=datetime(2024, 1, 2, tzinfo=UTC),
        title="Fix",
        message=f"Fix\n\nused {secret_as_entity} and {full_width}",
    )
    row = commit_rows([record])[0]
    assert row["text"] == "Fix used <HF_TOKEN> and <redacted>"
    assert row["text_hash"] == text_hash(row["text"])
    assert leaks(row["text"]) == [] and "ghp_" not in row["text"]


def test_corrections_keep_no_token_that_cleaning_reveals_nor_one_typed_in_a_note(monkeypatch):
    monkeypatch.setenv("HF_TOKEN", SECRETS["HF_TOKEN"])
    db = store.open_db(memory=True)
    secret_as_entity = SECRETS["HF_TOKEN"].replace("_", "&#95;")
    commits = pd.DataFrame(
        {"platform": ["GH"], "title": ["Fix"], "message": [f"Fix\n\nused {secret_as_entity}"]}
    )
    correct_commits(db, commits, ["Model Structure"])
    stray = "ghp_" + "Z" * 36
    correct_label(db, f"Bump {stray}", "Update Dependency", note=f"was {SECRETS['HF_TOKEN']}")
    saved = export_corrections(db)
    assert sorted(zip(saved["text"], saved["note"], strict=True)) == [
        ("Bump <redacted>", "was <HF_TOKEN>"),
        ("Fix used <HF_TOKEN>", ""),
    ]
