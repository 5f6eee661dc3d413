"""GitHub histories through git itself: a bare partial clone in the cache, read with `git log`.

No API quota, one network operation per fetch, and a 20,000-commit history reads in about a
second. The clone is blobless (`--filter=blob:none`): commits and trees, no file content, so
`git log` reads the commits and `git log --raw` every commit's changed paths and blob ids
(`core.propagation`). The same class clones Hugging Face model repositories (their own
folder, their own URL template and name check) for file histories.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from core import settings
from core.errors import InputError, SourceError
from core.records import GH, CommitRecord

CLONE_TIMEOUT = 600  # seconds; a blobless clone of a large history is commits and trees
FETCH_TIMEOUT = 300
LOCAL_TIMEOUT = 120
# One record per commit: fields split by NUL (which a commit message cannot hold), records by
# NUL too (`-z`), so messages with newlines, commas or any unicode need no escaping.
# Times as Unix seconds: a UTC datetime from an integer is 3x cheaper than parsing ISO text.
_FIELDS = ("%H", "%an", "%ae", "%at", "%ct", "%B")
_FORMAT = "%x00".join(_FIELDS)
_REPO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
_MODEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
BLOBLESS = "blob:none"  # trees kept: `git log --raw` and `git ls-tree` work offline
_ENV = {
    "GIT_TERMINAL_PROMPT": "0",  # a private repository fails instead of asking for a password
    "GCM_INTERACTIVE": "never",
    "LC_ALL": "C",  # error messages in English, so they can be classified
}


class GitBackend:
    """Default-branch commits from a bare, blobless clone kept at `cache_dir/git/owner__name.git`.

    The first call clones (into a temporary folder renamed into place only on success, so a
    failed clone never looks valid); later calls `git fetch` the default branch. A clone made
    with another filter (the treeless clones of earlier versions) is replaced once. `requests`
    counts git network operations. `url_template` lets tests clone a local repository;
    `folder` and `check` let the same class keep Hugging Face clones apart (`hub_git`).
    """

    name = "git"

    def __init__(
        self,
        cache_dir: Path,
        url_template: str | None = None,
        *,
        folder: str = "git",
        check: Callable[[str], None] | None = None,
    ) -> None:
        self.root = Path(cache_dir) / folder
        self.url_template = url_template or settings.git_url_template()
        self.check = check or check_repo_name
        self.requests = 0

    def url_for(self, repo: str) -> str:
        """Where `repo` is cloned from (`{repo}` is owner/name; `{owner}`, `{name}` its parts)."""
        owner, _, name = repo.partition("/")
        return self.url_template.format(repo=repo, owner=owner, name=name)

    def path_for(self, repo: str) -> Path:
        """Where the clone of `repo` lives."""
        return self.root / (repo.replace("/", "__") + ".git")

    def iter_commits(self, repo: str, since: datetime | None = None) -> Iterator[CommitRecord]:
        """Clone or fetch `repo`, then yield its default-branch commits newest first.

        `since` keeps commits whose committer date is at or after it, as the API does. The
        whole log is read locally either way, so passing no `since` costs nothing extra and
        also catches commits merged late with old dates.
        """
        self.check(repo)
        path = self.update(repo)
        cut = _utc(since) if since is not None else None
        for rec in read_log(path, repo):
            if cut is None or (rec.committed_at or rec.authored_at) >= cut:
                yield rec

    def update(self, repo: str) -> Path:
        """Make the local clone current (one network operation) and return its path."""
        self.check(repo)
        path = self.path_for(repo)
        # a full clone (a server that ignores filters) is fine too; a treeless one is not
        if path.exists() and not (_is_valid(path) and _filter_of(path) in (BLOBLESS, "")):
            shutil.rmtree(path, ignore_errors=True)
        if path.exists():
            self._fetch(repo, path)
        else:
            self._clone(repo, path)
        return path

    def _clone(self, repo: str, path: Path) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=self.root))
        try:
            self.requests += 1
            _git(
                [
                    "clone",
                    "--bare",
                    "--single-branch",
                    "--no-tags",
                    f"--filter={BLOBLESS}",
                    "--quiet",
                    self.url_for(repo),
                    str(tmp / "repo.git"),
                ],
                repo=repo,
                timeout=CLONE_TIMEOUT,
                action="clone",
            )
            try:
                os.replace(tmp / "repo.git", path)
            except OSError:
                if not _is_valid(path):  # someone else finished the same clone first: fine
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _fetch(self, repo: str, path: Path) -> None:
        branch = _head_ref(path)
        self.requests += 1
        # Fetch whatever the remote's HEAD is now into our branch (forced: history may be
        # rewritten upstream); bare clones have no fetch refspec of their own.
        done = _run(
            ["fetch", "--quiet", "--no-tags", "origin", f"+HEAD:{branch}"],
            repo=repo,
            git_dir=path,
            timeout=FETCH_TIMEOUT,
            action="fetch",
        )
        stderr = done.stderr.decode("utf-8", errors="replace")
        if done.returncode != 0 and "couldn't find remote ref" not in stderr.lower():
            raise _git_error(repo, "fetch", stderr)  # an empty remote has no HEAD yet: fine


def hub_git(cache_dir: Path, url_template: str | None = None) -> GitBackend:
    """A `GitBackend` for Hugging Face model repositories (git repositories on the Hub), kept
    under `cache_dir/hf-git`; LFS files arrive as their pointer blobs' ids, never as content."""
    template = url_template or settings.hub_url() + "/{repo}"
    return GitBackend(cache_dir, template, folder="hf-git", check=check_model_id)


def check_model_id(model_id: str) -> None:
    """Refuse anything but a Hub `owner/name` model id before it reaches a URL or a path."""
    if not _MODEL_ID.match(model_id) or ".." in model_id:
        raise InputError(f"{model_id!r} is not a Hugging Face model id (owner/name).")


def check_repo_name(repo: str) -> None:
    """Refuse anything but `owner/name` before it reaches a URL, a path or a request."""
    if not _REPO_NAME.match(repo) or repo.split("/")[1] in (".", ".."):
        raise InputError(
            f"{repo!r} is not a GitHub repository name; give it as owner/name, for example "
            "01-ai/Yi."
        )


def read_log(path: Path, repo: str) -> Iterator[CommitRecord]:
    """Every commit reachable from HEAD of the clone at `path`, newest first, in one `git log`."""
    if not _has_commits(path):
        return
    out = _git(
        ["log", "-z", f"--format={_FORMAT}", "--no-color", "--encoding=UTF-8", "HEAD"],
        repo=repo,
        git_dir=path,
        timeout=LOCAL_TIMEOUT,
        action="log",
    )
    yield from parse_log(out.decode("utf-8", errors="replace"), repo)


def parse_log(output: str, repo: str) -> Iterator[CommitRecord]:
    """Turn `git log -z --format=<_FORMAT>` output into records (times in UTC)."""
    parts = output.split("\0")
    if parts and parts[-1] in ("", "\n"):
        parts.pop()
    if len(parts) % len(_FIELDS):
        raise SourceError(
            f"git log gave unreadable output for {repo}; delete "
            f"its clone under cache/git and fetch again.",
            kind="malformed",
            repo=repo,
        )
    for i in range(0, len(parts), len(_FIELDS)):
        sha, name, email, authored, committed, body = parts[i : i + len(_FIELDS)]
        # git ends a message with one newline; GitHub's API shows it without, and so do we
        message = body[:-1] if body.endswith("\n") else body
        yield CommitRecord(
            platform=GH,
            repo=repo,
            sha=sha.strip("\n"),
            authored_at=datetime.fromtimestamp(int(authored), UTC),
            committed_at=datetime.fromtimestamp(int(committed), UTC),
            author_name=name,
            author_email=email,
            author_login=None,
            title=message.split("\n", 1)[0].rstrip("\r"),
            message=message,
        )


# --- running git -----------------------------------------------------------------------------


def read_local(path: Path, repo: str, args: list[str], stdin: bytes | None = None) -> bytes:
    """The output of a git command on the clone at `path` that must stay offline: an object
    the clone lacks is an error, never a lazy fetch from the remote one object at a time."""
    return _git(
        ["-c", "protocol.allow=never", *args],
        repo=repo,
        timeout=LOCAL_TIMEOUT,
        action="read",
        git_dir=path,
        stdin=stdin,
    )


def reachable_shas(path: Path, repo: str) -> list[str]:
    """Every commit reachable from HEAD of the clone at `path`, newest first (none if empty)."""
    if not _has_commits(path):
        return []
    return read_local(path, repo, ["rev-list", "HEAD"]).decode().split()


def _run(
    args: list[str],
    *,
    repo: str,
    timeout: float,
    action: str,
    git_dir: Path | None = None,
    stdin: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run git (never through a shell) with prompts off; missing git and timeouts raise."""
    prefix = ["git", f"--git-dir={git_dir}"] if git_dir else ["git"]
    try:
        return subprocess.run(
            [*prefix, *args],
            env={**os.environ, **_ENV},
            capture_output=True,
            timeout=timeout,
            check=False,
            input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
        )
    except FileNotFoundError as exc:
        raise SourceError(
            "git is not installed (or not on PATH), so the git backend cannot "
            "run. Install git, or use --via api.",
            kind="git_missing",
            repo=repo,
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise SourceError(
            f"git {action} of {repo} took longer than {timeout:.0f} s and was "
            "stopped; the cache is unchanged. Try again, or use --via api.",
            kind="timeout",
            repo=repo,
        ) from exc


def _git(
    args: list[str],
    *,
    repo: str,
    timeout: float,
    action: str,
    git_dir: Path | None = None,
    stdin: bytes | None = None,
) -> bytes:
    done = _run(args, repo=repo, timeout=timeout, action=action, git_dir=git_dir, stdin=stdin)
    if done.returncode != 0:
        raise _git_error(repo, action, done.stderr.decode("utf-8", errors="replace"))
    return done.stdout


def _git_error(repo: str, action: str, stderr: str) -> SourceError:
    low = stderr.lower()
    # git's own words: the first fatal/error line (its last lines are advice such as
    # "and the repository exists."), the one naming the corruption when there is one.
    said = [ln.strip().removeprefix("remote:").strip() for ln in stderr.splitlines()]
    facts = [ln for ln in said if ln.lower().startswith(("fatal:", "error:"))] or [
        ln for ln in said if ln
    ]
    corrupt = [ln for ln in said if "corrupt" in ln.lower()]
    detail = (corrupt or facts or ["no message"])[0].removeprefix("fatal: ")
    if corrupt or any(
        s in low
        for s in (
            "index-pack",
            "bad object",
            "did not send all necessary objects",
            "unpack-objects failed",
            "bad pack header",
        )
    ):
        return SourceError(
            f"The server sent a broken copy of {repo} to {action} ({detail}); the cache is "
            "unchanged. Try again later, or use --via api.",
            kind="malformed",
            repo=repo,
        )
    if (
        "could not read username" in low
        or "authentication failed" in low
        or "terminal prompts disabled" in low
    ):
        return SourceError(
            f"GitHub asked for credentials to {action} {repo}: it does not exist "
            "or is private. Check the name; private repositories need --via api "
            "with a GITHUB_TOKEN that can read them.",
            kind="private",
            repo=repo,
        )
    if (
        "not found" in low
        or "does not exist" in low
        or "does not appear to be a git" in low
        or "no such file" in low
    ):
        return SourceError(
            f"There is no repository {repo} to {action} ({detail}). Check the name.",
            kind="not_found",
            repo=repo,
        )
    if any(
        s in low
        for s in (
            "could not resolve host",
            "unable to access",
            "failed to connect",
            "connection refused",
            "network is unreachable",
            "connection timed out",
            "early eof",
            "the remote end hung up",
        )
    ):
        return SourceError(
            f"Could not reach GitHub to {action} {repo} (network down?); the "
            "cache is unchanged and still usable offline.",
            kind="network",
            repo=repo,
        )
    return SourceError(
        f"git {action} of {repo} failed: {detail}. The cache is unchanged.",
        kind="server",
        repo=repo,
    )


def _check(path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """A quick local question to the clone at `path` (its answer, never an exception)."""
    return _run(list(args), repo=path.name, timeout=LOCAL_TIMEOUT, action="check", git_dir=path)


def _is_valid(path: Path) -> bool:
    done = _check(path, "rev-parse", "--is-bare-repository")
    return done.returncode == 0 and done.stdout.strip() == b"true"


def _has_commits(path: Path) -> bool:
    return _check(path, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").returncode == 0


def _filter_of(path: Path) -> str:
    return (
        _check(path, "config", "--get", "remote.origin.partialclonefilter").stdout.decode().strip()
    )


def _head_ref(path: Path) -> str:
    return _check(path, "symbolic-ref", "HEAD").stdout.decode().strip() or "refs/heads/main"


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
