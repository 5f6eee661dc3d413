"""Cached commits: saving fetched records and reading a family's commits back as the engine's frame."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

import numpy as np
import pandas as pd
import sqlite_utils

from core.commits import categorical, commit_frame, empty_commits
from core.labeling.frame import is_key
from core.labeling.text import commit_text, text_hash
from core.records import CommitRecord, Family
from core.redaction import redactor
from core.store.bulk import upsert_rows
from core.store.db import from_iso, to_iso, transaction
from core.store.frames import frame_stamp, save_frame, saved_frame


def commit_row(rec: CommitRecord, run_id: int | None = None) -> dict:
    """A commit as its cache row (see `commit_rows`)."""
    return commit_rows([rec], run_id)[0]


def commit_rows(records: Iterable[CommitRecord], run_id: int | None = None) -> list[dict]:
    """Commits as their cache rows. Free text is redacted (a server may echo a token in
    it), all values at once, and so is the cleaned `text`; `text_hash`, its hash, is the
    label cache's key, so labels need no cleaning."""
    records = list(records)
    scrub = redactor()
    values = scrub.all(
        [
            value
            for r in records
            for value in (
                r.title,
                r.message,
                r.author_name,
                r.author_email,
                r.author_login,
                json.dumps(list(r.authors)) if r.authors else "[]",
            )
        ]
    )
    free = [values[k : k + 6] for k in range(0, len(values), 6)]  # each record's six, in order
    # Cleaning may make a token or a secret out of what was none (an HTML entity, a
    # full-width letter): the cleaned text is redacted too.
    texts = scrub.all(
        [commit_text(r.platform, f[0], f[1]) for r, f in zip(records, free, strict=True)]
    )
    return [
        {
            "platform": rec.platform,
            "repo": rec.repo,
            "sha": rec.sha,
            "authored_at": to_iso(rec.authored_at),
            "committed_at": to_iso(rec.committed_at),
            "author_name": name,
            "author_email": email,
            "author_login": login,
            "authors": authors,
            "title": title,
            "message": message,
            "text": text,
            "run_id": run_id,
            "text_hash": text_hash(text),
        }
        for rec, (title, message, name, email, login, authors), text in zip(
            records, free, texts, strict=True
        )
    ]


def save_commits(
    db: sqlite_utils.Database, records: Iterable[CommitRecord], run_id: int | None = None
) -> int:
    """Upsert commits (unique per platform+repo+sha) in one transaction; returns how many new."""
    rows = commit_rows(records, run_id)
    if not rows:
        return 0
    repos = sorted({(r["platform"], r["repo"]) for r in rows})
    with transaction(db):
        before = _count_in(db, repos)
        upsert_rows(db, "commits", rows, ("platform", "repo", "sha"))
        return _count_in(db, repos) - before


def _count_in(db: sqlite_utils.Database, repos: list[tuple[str, str]]) -> int:
    """Cached commits of these repositories (an index range each, not the whole table)."""
    return sum(count_commits(db, platform, repo) for platform, repo in repos)


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


#: What a commit's text is stored as (most of the bytes).
TEXT_FIELDS = ("title", "message", "text")
#: What a report that only counts labels and contributors leaves out: the texts, the
#: author's e-mail and the commit (as opposed to authoring) time.
DETAIL_FIELDS = ("committed_at", "author_email", *TEXT_FIELDS)
_FIELDS = (
    "platform", "repo", "sha", "authored_at", "committed_at", "author_name", "author_email",
    "author_login", "authors", *TEXT_FIELDS, "text_hash",
)  # fmt: skip


def family_commits(
    db: sqlite_utils.Database, family: Family, *, details: bool = True, keep_copy: bool = False
) -> pd.DataFrame:
    """All cached commits of a family as the commit frame (`core.commits`), oldest first,
    with `text_hash` (the label cache's key).

    `details=False` leaves out the texts, e-mails and commit times (`DETAIL_FIELDS`, most
    of the bytes): for reports that only count labels, which `core.labeling.labels` reads
    by `text_hash` and, for the few texts it must label, from the store (`commit_texts`).
    Either frame is read from its columnar copy when no commit was written since it was
    made (`core.store.frames`), else from the rows; `keep_copy` then keeps one, for readers
    that come back (the report, the app) rather than those reading once after a fetch.
    """
    repos = list(dict.fromkeys(_family_repos(family)))
    # A columnar copy made since the last write to the commits, if any (`core.store.frames`).
    copy_name = f"{'full' if details else 'lean'}:{family.name}"
    stamp = frame_stamp(db, repos)  # before reading: a write after it makes a new one
    copy = saved_frame(db, copy_name, stamp)
    if copy is not None:
        return copy
    fields = [f for f in _FIELDS[2:] if details or f not in DETAIL_FIELDS]
    select = f"SELECT {', '.join(fields)} FROM commits WHERE platform = ? AND repo = ?"
    parts = [(pair, db.execute(select, list(pair)).fetchall()) for pair in repos]
    parts = [(pair, rows) for pair, rows in parts if rows]
    if not parts:
        empty = empty_commits()
        return empty if details else empty.drop(columns=list(DETAIL_FIELDS))
    # One query per repository (its platform and name need not be read back per row); the
    # columns stay Python objects: converting 80k strings to arrow costs more than using them.
    sizes = [len(rows) for _, rows in parts]
    values = zip(*(row for _, rows in parts for row in rows), strict=True)
    data = {
        f: pd.Series(np.array(v, dtype=object), dtype=object)
        for f, v in zip(fields, values, strict=True)
    }
    data["platform"] = categorical(
        np.repeat(_codes([p for (p, _), _ in parts]), sizes), ["GH", "HF"]
    )
    data["repo"] = pd.Series(
        np.repeat(np.array([r for (_, r), _ in parts], dtype=object), sizes), dtype=object
    )
    frame = pd.DataFrame(data).rename(columns={"authored_at": "timestamp"})
    frame = commit_frame(frame, family=family.name, full=True)
    if not details:
        if not is_key(frame["text_hash"]).all():  # a cache from before text_hash: the
            # labels need the texts
            return family_commits(db, family, details=True, keep_copy=keep_copy)
        frame = frame.drop(columns=list(DETAIL_FIELDS))
    frame = frame.sort_values(["timestamp", "platform", "repo"], kind="stable")
    frame = frame.reset_index(drop=True)
    if keep_copy and len(frame):  # an empty table's copy would lose the platform categories
        save_frame(db, copy_name, stamp, frame)
    return frame


def _codes(platforms: list[str]) -> np.ndarray:
    return np.array([0 if p == "GH" else 1 for p in platforms], dtype=np.int8)


def commit_texts(db: sqlite_utils.Database, frame: pd.DataFrame) -> pd.DataFrame:
    """`title`, `message` and `text` of the cached commits in `frame` (by platform, repo and
    sha), in its order and index; None in every column for a commit the cache does not hold."""
    keys = list(zip(frame["platform"], frame["repo"], frame["sha"], strict=True))
    rows = db.execute(
        "SELECT j.key, c.title, c.message, c.text FROM json_each(?) j JOIN commits c "
        "ON c.platform = json_extract(j.value, '$[0]') AND c.repo = json_extract(j.value, '$[1]') "
        "AND c.sha = json_extract(j.value, '$[2]')",
        [json.dumps([list(k) for k in keys])],
    ).fetchall()
    found = {int(i): tuple(v or "" for v in row) for i, *row in rows}
    missing = (None, None, None)
    values = [found.get(i, missing) for i in range(len(keys))]
    return pd.DataFrame(values, columns=list(TEXT_FIELDS), index=frame.index, dtype=object)


def _family_repos(family: Family) -> list[tuple[str, str]]:
    repos: list[tuple[str, str]] = [("HF", v) for v in family.variants]
    if family.github_repo:
        repos.append(("GH", family.github_repo))
    return repos
