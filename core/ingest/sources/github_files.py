"""A GitHub repository's file listing (blob shas, no downloads): the git trees API or a local clone.

`github_tree` costs one request (`GET /repos/{o}/{r}/git/trees/{ref}?recursive=1`);
`git_tree` reads a cached clone with `git ls-tree` and never touches the network (a treeless
clone has no trees: it fails with kind "no_trees" and the caller falls back to the API).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import github
import requests
from github.GithubException import (
    GithubException,
)
from urllib3.exceptions import MaxRetryError

from core.errors import SourceError
from core.ingest.sources.github_errors import source_error
from core.ingest.sources.gitrepo import check_repo_name
from core.records import GH, FileListing, RepoFile

LOCAL_TIMEOUT = 60
# `protocol.allow=never`: a partial clone would otherwise fetch missing trees from GitHub one
# by one; here a missing object is an error, so reading a clone stays offline.
_OFFLINE = ["-c", "protocol.allow=never"]
_ENV = {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


def github_tree(client: github.Github, repo: str, ref: str | None = None) -> FileListing:
    """Every file of `repo` at `ref` (default: HEAD, the default branch), in one request.

    Regular files, symlinks and LFS pointers are all blobs; submodules are skipped.
    `truncated` is passed on: GitHub stops recursive listings above 100,000 entries.

    Raises:
        SourceError: not found, private, rate limited, server or network failure.
    """
    check_repo_name(repo)
    revision = ref or "HEAD"
    try:
        tree = client.get_repo(repo).get_git_tree(revision, recursive=True)
        data = tree.raw_data
        files = tuple(
            RepoFile(path=str(e["path"]), blob_id=str(e["sha"]), size=_size(e.get("size")))
            for e in data["tree"]
            if e.get("type") == "blob"
        )
        truncated = bool(data.get("truncated", False))
    except GithubException as exc:
        raise _tree_error(repo, exc, client) from exc
    except (requests.RequestException, MaxRetryError) as exc:
        raise SourceError(
            f"Could not reach GitHub to list the files of {repo} (network down or GitHub "
            "kept failing); the file comparison was skipped.",
            kind="network",
            repo=repo,
        ) from exc
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SourceError(
            f"GitHub sent an unreadable file listing for {repo} ({type(exc).__name__}).",
            kind="malformed",
            repo=repo,
        ) from exc
    return FileListing(GH, repo, revision, files, source="api", truncated=truncated)


def git_tree(path: Path, repo: str, ref: str = "HEAD") -> FileListing:
    """Every file of the local clone at `path` (`git ls-tree -r`), offline.

    Blob shas only: `ls-tree -l` would need the blobs themselves, which a blobless clone
    does not have. Raises SourceError(kind="no_trees") for a treeless clone.
    """
    out = _git(path, repo, ["ls-tree", "-r", "-z", "--full-tree", ref])
    files = []
    for record in out.split("\0"):
        if not record:
            continue
        meta, _, name = record.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob":
            files.append(RepoFile(path=name, blob_id=parts[2]))
    return FileListing(GH, repo, ref, tuple(files), source="git", requests=0)


def git_last_changes(path: Path, repo: str, paths: Iterable[str]) -> dict[str, datetime]:
    """When each path last changed on HEAD (author date, UTC), from one offline `git log`.

    Paths never changed in the reachable history (or unknown) are left out.
    """
    wanted = sorted(set(paths))
    if not wanted:
        return {}
    out = _git(
        path,
        repo,
        ["log", "--format=%x01%aI", "--name-only", "-z", "--no-renames", "HEAD", "--", *wanted],
    )
    found: dict[str, datetime] = {}
    when: datetime | None = None
    for token in out.replace("\n", "\0").split("\0"):
        if token.startswith("\x01"):
            when = datetime.fromisoformat(token[1:]).astimezone(UTC)
        elif token and when is not None and token not in found:
            found[token] = when
    return {p: found[p] for p in wanted if p in found}


def _git(path: Path, repo: str, args: list[str]) -> str:
    try:
        done = subprocess.run(
            ["git", *_OFFLINE, f"--git-dir={path}", *args],
            env={**os.environ, **_ENV},
            capture_output=True,
            timeout=LOCAL_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError as exc:
        raise SourceError(
            "git is not installed, so the cached clone cannot be read.",
            kind="git_missing",
            repo=repo,
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise SourceError(
            f"Reading the clone of {repo} took over {LOCAL_TIMEOUT} s.", kind="timeout", repo=repo
        ) from exc
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", errors="replace")
        if "promisor remote" in err or "not allowed" in err or "missing" in err:
            raise SourceError(
                f"The cached clone of {repo} holds commits only (a treeless clone), so its "
                "files cannot be listed offline.",
                kind="no_trees",
                repo=repo,
            )
        last = err.strip().splitlines()[-1] if err.strip() else "no message"
        raise SourceError(
            f"Reading the cached clone of {repo} failed: {last}.", kind="server", repo=repo
        )
    return done.stdout.decode("utf-8", errors="replace")


def _size(value: object) -> int | None:
    return int(value) if isinstance(value, int) else None


def _tree_error(repo: str, exc: GithubException, client: github.Github) -> SourceError:
    if exc.status == 409:
        return SourceError(f"The GitHub repository {repo} is empty.", kind="empty", repo=repo)
    return source_error(repo, exc, client, doing="the files of")
