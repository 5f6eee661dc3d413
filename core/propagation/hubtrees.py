"""File changes from the Hub's tree listings, one listing per revision: the fallback for model
repositories that cannot be cloned (gated, private to the token, or git unreachable).

`GET /api/models/{id}/tree/{sha}?recursive=true` costs one request per 1,000 files and gives
blob ids and LFS sha256; consecutive listings differ by exactly the commit's changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from core.propagation.records import (
    ADDED,
    DELETED,
    MODIFIED,
    FileChange,
    FileCommit,
    FileHistory,
)
from core.records import HF, FileListing

# What a path holds at one revision: (blob id, LFS sha256, LFS size).
Tree = dict[str, tuple[str | None, str | None, int | None]]


class TreeLister(Protocol):
    """What `core.ingest.sources.hf.HubClient` offers for this: one listing per revision."""

    def list_files(
        self, model_id: str, revision: str | None = None, *, expand: bool = False
    ) -> FileListing: ...


def read_hub_history(
    hub: TreeLister,
    model_id: str,
    commits: Sequence[tuple[str, datetime]],
    before: Mapping[str, tuple[str | None, str | None, int | None]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> FileHistory:
    """The changes of `commits` ((sha, time), oldest first), each listing diffed with the one
    before it; `before` is the tree just before the first (empty for a whole history).

    Raises:
        SourceError: a listing failed (the caller keeps what was stored before).
    """
    tree: Tree = dict(before or {})
    read: list[FileCommit] = []
    changes: list[FileChange] = []
    requests = 0
    for i, (sha, when) in enumerate(commits):
        listing = hub.list_files(model_id, sha)
        requests += listing.requests
        now: Tree = {f.path: (f.blob_id, f.lfs_sha256, f.lfs_size) for f in listing.files}
        changes += tree_changes(sha, tree, now)
        read.append(FileCommit(sha, when))
        tree = now
        if progress is not None:
            progress(i + 1, len(commits))
    return FileHistory(HF, model_id, "api", tuple(read), tuple(changes), requests=requests)


def tree_changes(sha: str, old: Tree, new: Tree) -> list[FileChange]:
    """What changed from `old` to `new`, as the changes of commit `sha`, by path (blob ids
    decide: the same pointer blob is the same LFS object)."""
    out = [
        FileChange(sha, path, ADDED if path not in old else MODIFIED, *held)
        for path, held in new.items()
        if path not in old or old[path][0] != held[0]
    ]
    out += [FileChange(sha, path, DELETED, None) for path in old if path not in new]
    return sorted(out, key=lambda c: c.path)
