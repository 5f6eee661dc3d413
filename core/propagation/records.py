"""File histories as they arrive from a clone or the Hub's tree listings: commits and changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

ADDED, MODIFIED, DELETED, TYPE_CHANGED = "A", "M", "D", "T"


class FileChange(NamedTuple):
    """One path a commit added, modified, deleted or changed the type of.

    `blob_id` is the git blob id of the new content (None when deleted); for an LFS file it is
    the pointer's id, and `lfs_sha256`/`lfs_size` the real content's, when the source said.
    """

    sha: str
    path: str
    change: str
    blob_id: str | None
    lfs_sha256: str | None = None
    lfs_size: int | None = None


class FileCommit(NamedTuple):
    """A commit whose file changes were read (author time in UTC, parent shas)."""

    sha: str
    authored_at: datetime
    parents: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileHistory:
    """What one read of a repository's file history found: new commits and their changes.

    `source` is "git" (a blobless clone, no content downloaded) or "api" (the Hub's tree
    listings, one per revision); `gone` lists shas read before that the history no longer
    holds (a force push); `requests` counts network operations; `detail` says why a source
    was used when it was a fallback.
    """

    platform: str
    repo: str
    source: str
    commits: tuple[FileCommit, ...]
    changes: tuple[FileChange, ...]
    gone: tuple[str, ...] = ()
    requests: int = 0
    detail: str = ""
