"""Cached file histories (core.propagation): commits read, their file changes, and the source."""

from __future__ import annotations

import pandas as pd
import sqlite_utils

from core.propagation.records import FileHistory
from core.store.db import now_iso, to_iso, transaction

CHANGE_COLUMNS = (
    "platform",
    "repo",
    "sha",
    "time",
    "path",
    "change",
    "blob_id",
    "lfs_sha256",
    "lfs_size",
)
_SIDES = "(platform = ? AND repo = ?)"


def save_file_history(db: sqlite_utils.Database, history: FileHistory) -> int:
    """Store one read of a repository's file history in one transaction; returns new commits.

    Commits in `history.gone` (rewritten away) lose their rows first; commits are keyed by
    (platform, repo, sha), so reading a commit twice never duplicates its changes.
    """
    key = (history.platform, history.repo)
    with transaction(db):
        for sha in history.gone:
            for table in ("file_changes", "file_commits"):
                db.execute(
                    f"DELETE FROM {table} WHERE platform = ? AND repo = ? AND sha = ?", [*key, sha]
                )
        before = _count(db, *key)
        db.conn.executemany(
            "INSERT OR REPLACE INTO file_commits (platform, repo, sha, authored_at, parents) "
            "VALUES (?, ?, ?, ?, ?)",
            [(*key, c.sha, to_iso(c.authored_at), " ".join(c.parents)) for c in history.commits],
        )
        db.conn.executemany(
            "INSERT OR REPLACE INTO file_changes (platform, repo, sha, path, change, blob_id, "
            "lfs_sha256, lfs_size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(*key, *change) for change in history.changes],
        )
        n_commits = _count(db, *key)
        db.execute(
            "INSERT OR REPLACE INTO file_sources (platform, repo, source, detail, requests, "
            "n_commits, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [*key, history.source, history.detail, history.requests, n_commits, now_iso()],
        )
    return n_commits - before


def scanned_shas(db: sqlite_utils.Database, platform: str, repo: str) -> set[str]:
    """The commits of `repo` whose file changes are cached."""
    rows = db.execute(
        "SELECT sha FROM file_commits WHERE platform = ? AND repo = ?", [platform, repo]
    )
    return {r[0] for r in rows}


def file_changes(db: sqlite_utils.Database, repos: list[tuple[str, str]]) -> pd.DataFrame:
    """Every cached file change of `repos` ((platform, repo) pairs), oldest first, with the
    commit's author time as `time` (UTC)."""
    if not repos:
        return empty_changes()
    where = " OR ".join(["(c.platform = ? AND c.repo = ?)"] * len(repos))
    frame = pd.read_sql_query(
        "SELECT c.platform, c.repo, c.sha, k.authored_at AS time, c.path, c.change, c.blob_id, "
        "c.lfs_sha256, c.lfs_size FROM file_changes c JOIN file_commits k "
        "ON k.platform = c.platform AND k.repo = c.repo AND k.sha = c.sha "
        f"WHERE {where} ORDER BY k.authored_at, c.path",
        db.conn,
        params=[x for pair in repos for x in pair],
    )
    frame["time"] = pd.to_datetime(frame["time"], utc=True, format="ISO8601")
    return frame


def empty_changes() -> pd.DataFrame:
    """A file-changes frame with every column and no row."""
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in CHANGE_COLUMNS})
    frame["time"] = pd.Series(dtype="datetime64[ns, UTC]")
    return frame


def file_sources(db: sqlite_utils.Database, repos: list[tuple[str, str]]) -> list[dict]:
    """How each of `repos` had its file history read (source, detail, requests), when it was."""
    if not repos:
        return []
    where = " OR ".join([_SIDES] * len(repos))
    return list(
        db.query(f"SELECT * FROM file_sources WHERE {where}", [x for pair in repos for x in pair])
    )


def _count(db: sqlite_utils.Database, platform: str, repo: str) -> int:
    return int(
        db.execute(
            "SELECT count(*) FROM file_commits WHERE platform = ? AND repo = ?", [platform, repo]
        ).fetchone()[0]
    )


def commit_times(db: sqlite_utils.Database, platform: str, repo: str) -> list[tuple[str, str]]:
    """(sha, author time as stored) of the cached commits of `repo`, oldest first."""
    rows = db.execute(
        "SELECT sha, authored_at FROM commits WHERE platform = ? AND repo = ? "
        "ORDER BY authored_at, rowid DESC",
        [platform, repo],
    )
    return [(r[0], r[1]) for r in rows]


def files_version(db: sqlite_utils.Database, repos: list[tuple[str, str]]) -> tuple:
    """Changes whenever a file history of `repos` is read again (a cache key)."""
    if not repos:
        return ()
    where = " OR ".join([_SIDES] * len(repos))
    row = db.execute(
        f"SELECT count(*), max(updated_at), sum(n_commits) FROM file_sources WHERE {where}",
        [x for pair in repos for x in pair],
    ).fetchone()
    return tuple(row)
