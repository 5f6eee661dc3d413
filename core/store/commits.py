"""Cached commits: saving fetched records and reading a family's commits back as the engine's frame."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime

import pandas as pd
import sqlite_utils

from core.commits import commit_frame, empty_commits
from core.labeling.text import commit_text, text_hash
from core.records import CommitRecord, Family
from core.redaction import redactor
from core.store.bulk import upsert_rows
from core.store.db import from_iso, to_iso, transaction


def commit_row(
    rec: CommitRecord, run_id: int | None = None, scrub: Callable[[str], str] | None = None
) -> dict:
    """A commit as its cache row; free text is redacted (a server may echo a token in it).
    `scrub`: a `core.redaction.redactor()` shared by many rows."""
    scrub = scrub or redactor()
    title, message = scrub(rec.title), scrub(rec.message)
    text = commit_text(rec.platform, title, message)
    return {
        "platform": rec.platform,
        "repo": rec.repo,
        "sha": rec.sha,
        "authored_at": to_iso(rec.authored_at),
        "committed_at": to_iso(rec.committed_at),
        "author_name": _scrub_value(scrub, rec.author_name),
        "author_email": _scrub_value(scrub, rec.author_email),
        "author_login": _scrub_value(scrub, rec.author_login),
        "authors": scrub(json.dumps(list(rec.authors))) if rec.authors else "[]",
        "title": title,
        "message": message,
        "text": text,
        "run_id": run_id,
        "text_hash": text_hash(text),  # the label cache's key, so labels need no cleaning
    }


def _scrub_value(scrub: Callable[[str], str], value: str | None) -> str | None:
    return scrub(value) if isinstance(value, str) else value


def save_commits(
    db: sqlite_utils.Database, records: Iterable[CommitRecord], run_id: int | None = None
) -> int:
    """Upsert commits (unique per platform+repo+sha) in one transaction; returns how many new."""
    scrub = redactor()
    rows = [commit_row(r, run_id, scrub) for r in records]
    if not rows:
        return 0
    with transaction(db):
        before = db.execute("SELECT count(*) FROM commits").fetchone()[0]
        upsert_rows(db, "commits", rows, ("platform", "repo", "sha"))
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
    """All cached commits of a family as the commit frame (`core.commits`), oldest first,
    with `text_hash` (the label cache's key)."""
    repos: list[tuple[str, str]] = [("HF", v) for v in family.variants]
    if family.github_repo:
        repos.append(("GH", family.github_repo))
    if not repos:
        return empty_commits()
    where = " OR ".join(["(platform = ? AND repo = ?)"] * len(repos))
    params = [x for pair in repos for x in pair]
    frame = pd.read_sql_query(f"SELECT * FROM commits WHERE {where}", db.conn, params=params)
    if frame.empty:
        return empty_commits()
    frame = frame.drop(columns=["run_id"]).rename(columns={"authored_at": "timestamp"})
    frame = commit_frame(frame, family=family.name, full=True)
    return frame.sort_values(["timestamp", "platform", "repo"], kind="stable").reset_index(
        drop=True
    )
