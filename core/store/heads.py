"""What `watch` last saw of each repository: its head sha, the GitHub ETag, and when."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from core.store.db import transaction


@dataclass(frozen=True)
class SeenHead:
    """One repository's head as a look saw it (`status`: present, deleted)."""

    platform: str
    repo: str
    sha: str | None
    etag: str | None = None
    status: str = "present"
    looked_at: str | None = None


def seen_heads(
    db: sqlite_utils.Database, repos: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], SeenHead]:
    """The last head seen of each (platform, repo) that a look has seen."""
    found: dict[tuple[str, str], SeenHead] = {}
    for platform, repo in repos:
        row = db.execute(
            "SELECT sha, etag, status, looked_at FROM watched_heads "
            "WHERE platform = ? AND repo = ?",
            [platform, repo],
        ).fetchone()
        if row:
            found[(platform, repo)] = SeenHead(platform, repo, *row)
    return found


def save_heads(db: sqlite_utils.Database, heads: Iterable[SeenHead]) -> None:
    """Remember what one look saw, in one transaction."""
    rows = [
        {
            "platform": h.platform,
            "repo": h.repo,
            "sha": h.sha,
            "etag": h.etag,
            "status": h.status,
            "looked_at": h.looked_at,
        }
        for h in heads
    ]
    if rows:
        with transaction(db):
            db.table("watched_heads").upsert_all(rows, pk=("platform", "repo"))
