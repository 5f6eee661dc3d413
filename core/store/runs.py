"""Fetch runs: a repository's fetch is recorded `running`, then `complete` (with its commits and
info, in one transaction) or `failed`, so a half-finished fetch never counts as done."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from core.records import CommitRecord, ModelInfo
from core.redaction import redact
from core.store.bulk import upsert_rows
from core.store.commits import commit_rows, count_commits, known_shas
from core.store.db import now_iso, to_iso, transaction


@dataclass(frozen=True)
class SavedFetch:
    """What `complete_fetch` changed: commits new to the cache, commits rewritten away."""

    n_new: int
    n_removed: int = 0


def start_run(db: sqlite_utils.Database, platform: str, repo: str, backend: str) -> int:
    with transaction(db):
        table = db.table("fetch_runs").insert(
            {
                "platform": platform,
                "repo": repo,
                "backend": backend,
                "started_at": now_iso(),
                "status": "running",
                "n_pages": 0,
                "n_commits": 0,
                "n_new": 0,
            }
        )
    return int(table.last_pk)  # type: ignore[arg-type]


def finish_run(
    db: sqlite_utils.Database,
    run_id: int,
    *,
    status: str,
    n_pages: int = 0,
    n_commits: int = 0,
    n_new: int = 0,
    error: str | None = None,
) -> None:
    """Close a run: `complete` only when every page arrived, else `failed` with the error
    (secrets redacted: the text may quote a server's answer)."""
    with transaction(db):
        db.table("fetch_runs").update(
            run_id,
            {
                "status": status,
                "ended_at": now_iso(),
                "n_pages": n_pages,
                "n_commits": n_commits,
                "n_new": n_new,
                "error": redact(error) if error else error,
            },
        )


def last_complete_run(db: sqlite_utils.Database, platform: str, repo: str) -> dict | None:
    rows = list(
        db.query(
            "SELECT * FROM fetch_runs WHERE platform = ? AND repo = ? AND status = 'complete' "
            "ORDER BY ended_at DESC LIMIT 1",
            [platform, repo],
        )
    )
    return rows[0] if rows else None


def last_run(db: sqlite_utils.Database, platform: str, repo: str) -> dict | None:
    """The most recent fetch run of a repo, whatever its status."""
    rows = list(
        db.query(
            "SELECT * FROM fetch_runs WHERE platform = ? AND repo = ? ORDER BY id DESC LIMIT 1",
            [platform, repo],
        )
    )
    return rows[0] if rows else None


def complete_fetch(
    db: sqlite_utils.Database,
    run_id: int,
    platform: str,
    repo: str,
    records: Iterable[CommitRecord],
    *,
    info: ModelInfo | None = None,
    n_pages: int = 0,
    present: frozenset[str] | set[str] | None = None,
) -> SavedFetch:
    """Save one repo's fetched commits, its info and the run's completion in ONE transaction.

    Commits upsert by (platform, repo, sha), so a retried run never duplicates. `present` is
    given only when the source proved its listing whole (every page chained to the end, the
    stated total matched): it holds every sha listed, and the cached commits outside it were
    rewritten away (a force push, a squashed Hub history) and are dropped in the same
    transaction — never more than that. For HF the repo's `first_commit_at` is recomputed
    from the cache (the Hub's createdAt stops at 2022-03-02).
    """
    rows = commit_rows(records, run_id)
    with transaction(db):
        gone: set[str] = set()
        if present is not None:
            gone = known_shas(db, platform, repo) - set(present) - {r["sha"] for r in rows}
            db.conn.executemany(
                "DELETE FROM commits WHERE platform = ? AND repo = ? AND sha = ?",
                [(platform, repo, sha) for sha in gone],
            )
        before = count_commits(db, platform, repo)
        if rows:
            upsert_rows(db, "commits", rows, ("platform", "repo", "sha"))
        n_new = count_commits(db, platform, repo) - before
        if info is not None:
            db.table("repos").upsert(
                {
                    "platform": platform,
                    "repo": repo,
                    "created_at": to_iso(info.created_at),
                    "last_modified": to_iso(info.last_modified),
                    "downloads": info.downloads,
                    "likes": info.likes,
                    "pipeline_tag": info.pipeline_tag,
                    "gated": int(info.gated),
                    "private": int(info.private),
                    "head_sha": info.sha,
                    "card_links": json.dumps(list(info.card_links)),
                    "info_updated_at": now_iso(),
                },
                pk=("platform", "repo"),
            )
        else:
            db.table("repos").upsert(
                {"platform": platform, "repo": repo, "info_updated_at": now_iso()},
                pk=("platform", "repo"),
            )
        db.execute(
            "UPDATE repos SET first_commit_at = (SELECT min(authored_at) FROM commits "
            "WHERE platform = ? AND repo = ?) WHERE platform = ? AND repo = ?",
            [platform, repo, platform, repo],
        )
        db.table("fetch_runs").update(
            run_id,
            {
                "status": "complete",
                "ended_at": now_iso(),
                "n_pages": n_pages,
                "n_commits": len(rows),
                "n_new": n_new,
                "error": None,
            },
        )
    return SavedFetch(n_new, len(gone))
