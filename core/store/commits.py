"""Cached commits: saving fetched records and reading a family's commits back as the engine's frame."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

import pandas as pd
import sqlite_utils

from core.labeling.text import commit_text, text_hash
from core.records import CommitRecord, Family
from core.store.db import from_iso, to_iso, transaction


def commit_row(rec: CommitRecord, run_id: int | None = None) -> dict:
    text = commit_text(rec.platform, rec.title, rec.message)
    return {
        "platform": rec.platform,
        "repo": rec.repo,
        "sha": rec.sha,
        "authored_at": to_iso(rec.authored_at),
        "committed_at": to_iso(rec.committed_at),
        "author_name": rec.author_name,
        "author_email": rec.author_email,
        "author_login": rec.author_login,
        "authors": json.dumps(list(rec.authors)),
        "title": rec.title,
        "message": rec.message,
        "text": text,
        "run_id": run_id,
        "text_hash": text_hash(text),  # the label cache's key, so labels need no cleaning
    }


def save_commits(
    db: sqlite_utils.Database, records: Iterable[CommitRecord], run_id: int | None = None
) -> int:
    """Upsert commits (unique per platform+repo+sha) in one transaction; returns how many new."""
    rows = [commit_row(r, run_id) for r in records]
    if not rows:
        return 0
    with transaction(db):
        before = db.execute("SELECT count(*) FROM commits").fetchone()[0]
        db.table("commits").upsert_all(rows, pk=("platform", "repo", "sha"))
        after = db.execute("SELECT count(*) FROM commits").fetchone()[0]
    return after - before


def known_shas(db: sqlite_utils.Database, platform: str, repo: str) -> set[str]:
    return {
        r[0]
        for r in db.execute(
            "SELECT sha FROM commits WHERE platform = ? AND repo = ?", [platform, repo]
        )
    }


def latest_committed_time(db: sqlite_utils.Database, platform: str, repo: str) -> datetime | None:
    """Newest committer date cached for a repo (author date when none), for `since`."""
    row = db.execute(
        "SELECT max(coalesce(committed_at, authored_at)) FROM commits "
        "WHERE platform = ? AND repo = ?",
        [platform, repo],
    ).fetchone()
    return from_iso(row[0]) if row else None


def count_commits(db: sqlite_utils.Database, platform: str, repo: str) -> int:
    return int(
        db.execute(
            "SELECT count(*) FROM commits WHERE platform = ? AND repo = ?", [platform, repo]
        ).fetchone()[0]
    )


def family_commits(db: sqlite_utils.Database, family: Family) -> pd.DataFrame:
    """All cached commits of a family as the engine's frame (one row per commit).

    Columns: family, platform, model (HF id; empty for GH), repo, sha, timestamp (UTC),
    committed_at, author_name, author_email, author_login, authors, title, message, text,
    text_hash (the label cache's key).
    """
    repos: list[tuple[str, str]] = [("HF", v) for v in family.variants]
    if family.github_repo:
        repos.append(("GH", family.github_repo))
    if not repos:
        return _empty_commits()
    where = " OR ".join(["(platform = ? AND repo = ?)"] * len(repos))
    params = [x for pair in repos for x in pair]
    frame = pd.read_sql_query(f"SELECT * FROM commits WHERE {where}", db.conn, params=params)
    if frame.empty:
        return _empty_commits()
    frame["family"] = family.name
    frame["model"] = frame["repo"].where(frame["platform"] == "HF", "")
    frame["timestamp"] = pd.to_datetime(frame["authored_at"], utc=True, format="ISO8601")
    frame["committed_at"] = pd.to_datetime(frame["committed_at"], utc=True, format="ISO8601")
    frame = frame.drop(columns=["authored_at", "run_id"])
    return frame.sort_values(["timestamp", "platform", "repo"], kind="stable").reset_index(
        drop=True
    )


def _empty_commits() -> pd.DataFrame:
    cols = [
        "family",
        "platform",
        "model",
        "repo",
        "sha",
        "timestamp",
        "committed_at",
        "author_name",
        "author_email",
        "author_login",
        "authors",
        "title",
        "message",
        "text",
        "text_hash",
    ]
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    return frame
