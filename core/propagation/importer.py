"""Both sides' file histories into the cache, incrementally: a refresh reads only new commits.

GitHub: the blobless clone that the git backend keeps (one `git fetch`), read with
`git log --raw`. Hugging Face: a blobless clone of `https://huggingface.co/<id>` the same way;
when the Hub will not serve it (gated, private, or git unreachable) the Hub API's tree
listings, one per new revision. `FileImport.source` says which was used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import sqlite_utils

from core import store
from core.errors import SourceError
from core.propagation.gitlog import read_history
from core.propagation.hubtrees import Tree, TreeLister, read_hub_history
from core.propagation.records import DELETED, FileHistory
from core.records import GH, HF, Family

Say = Callable[[str, str], None]


class Cloner(Protocol):
    """What `core.ingest.sources.gitrepo.GitBackend` offers: a local clone, kept current."""

    requests: int

    def path_for(self, repo: str) -> Path: ...
    def update(self, repo: str) -> Path: ...


@dataclass(frozen=True)
class FileImport:
    """How one repository's file history was read this time.

    `status`: "read" (new commits stored), "unchanged", "skipped" (offline with no clone,
    or nothing to read from) or "failed" (`note` says why; what was cached stays).
    """

    platform: str
    repo: str
    source: str  # "git" | "api" | "none"
    status: str
    n_new: int = 0
    requests: int = 0
    note: str = ""
    kind: str | None = None  # the SourceError kind when failed (private, not_found, ...)


def import_file_histories(
    db: sqlite_utils.Database,
    family: Family,
    *,
    github: Cloner | None,
    hub_git: Cloner | None,
    hub: TreeLister | None = None,
    offline: bool = False,
    progress: Say | None = None,
) -> tuple[FileImport, ...]:
    """Read the new file changes of the family's GitHub repository and every variant.

    `offline` reads only clones already in the cache (no `git fetch`, no listing).
    One repository's failure never stops the others.
    """
    say = progress or (lambda *_: None)
    done: list[FileImport] = []
    if family.github_repo:
        say(family.github_repo, "reading the file history")
        done.append(_from_clone(db, GH, family.github_repo, github, offline))
    for model_id in family.variants:
        say(model_id, "reading the file history")
        result = _from_clone(db, HF, model_id, hub_git, offline)
        if result.status == "failed" and hub is not None and not offline:
            result = _from_trees(db, model_id, hub, because=f"no git clone: {result.kind}")
        done.append(result)
        say(model_id, result.note or result.status)
    return tuple(done)


def import_with_clients(
    db: sqlite_utils.Database,
    family: Family,
    clients: Any,
    *,
    offline: bool = False,
    progress: Say | None = None,
) -> tuple[FileImport, ...]:
    """`import_file_histories` with the clones kept beside the cache (`clients.cache_dir`)
    and the Hub client of `core.ingest.clients.Clients` for the tree-API fallback: the one
    call the CLI, the page (and a fetch, if it should) make."""
    from core.ingest.sources.gitrepo import GitBackend, hub_git

    return import_file_histories(
        db,
        family,
        github=GitBackend(clients.cache_dir),
        hub_git=hub_git(clients.cache_dir),
        hub=None if offline else clients.hub(),
        offline=offline,
        progress=progress,
    )


def _from_clone(
    db: sqlite_utils.Database, platform: str, repo: str, cloner: Cloner | None, offline: bool
) -> FileImport:
    if cloner is None:
        return FileImport(platform, repo, "none", "skipped", note="no git access given")
    before = cloner.requests
    try:
        if offline:
            path = cloner.path_for(repo)
            if not path.exists():
                return FileImport(
                    platform, repo, "none", "skipped", note="offline, and no clone in the cache"
                )
        else:
            path = cloner.update(repo)
        history = read_history(path, platform, repo, store.scanned_shas(db, platform, repo))
    except SourceError as err:
        return FileImport(platform, repo, "git", "failed", note=f"git: {err}", kind=err.kind)
    requests = cloner.requests - before
    return _save(db, replace(history, requests=requests, detail="blobless git clone"))


def _from_trees(
    db: sqlite_utils.Database, model_id: str, hub: TreeLister, because: str
) -> FileImport:
    commits = [
        (sha, when)
        for sha, text in store.commit_times(db, HF, model_id)
        if (when := store.from_iso(text)) is not None
    ]
    if not commits:
        return FileImport(HF, model_id, "api", "skipped", note="no cached commits: fetch first")
    scanned = store.scanned_shas(db, HF, model_id)
    listed = {sha for sha, _ in commits}
    gone = scanned - listed
    new = [(sha, when) for sha, when in commits if sha not in scanned]
    kept = scanned - gone
    times = dict(commits)
    rewritten = bool(new and kept and min(w for _, w in new) < max(times[s] for s in kept))
    if rewritten:  # a commit older than what was read: read the whole history again
        gone, new = scanned, commits
    before = {} if rewritten else _tree_now(db, model_id, gone)
    try:
        history = read_hub_history(hub, model_id, new, before)
    except SourceError as err:
        return FileImport(HF, model_id, "api", "failed", note=f"{because}; tree API: {err}")
    detail = f"Hub tree API ({because})"
    return _save(db, replace(history, gone=tuple(sorted(gone)), detail=detail))


def _tree_now(db: sqlite_utils.Database, model_id: str, gone: set[str]) -> Tree:
    """The variant's files after its last stored commit (commits in `gone` left out)."""
    tree: Tree = {}
    changes = store.file_changes(db, [(HF, model_id)])
    for row in changes[~changes["sha"].isin(gone)].itertuples(index=False):
        if row.change == DELETED:
            tree.pop(row.path, None)
        else:
            tree[row.path] = (row.blob_id, row.lfs_sha256, _int(row.lfs_size))
    return tree


def _save(db: sqlite_utils.Database, history: FileHistory) -> FileImport:
    n_new = store.save_file_history(db, history)
    status = "read" if n_new or history.gone else "unchanged"
    return FileImport(
        history.platform,
        history.repo,
        history.source,
        status,
        n_new,
        history.requests,
        history.detail if history.source == "api" else "",
    )


def _int(value: object) -> int | None:
    return None if value is None or value != value else int(value)  # type: ignore[call-overload]
