"""Cached change-type labels (per text hash, labeler and version) and the user's corrections."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import sqlite_utils

from core.store.db import now_iso, transaction

_SQL_CHUNK = 500  # stay well under SQLite's bound-parameter limit


def cached_labels(
    db: sqlite_utils.Database, hashes: Iterable[str], labeler: str, version: str
) -> dict[str, str]:
    """Labels already stored for these text hashes by one labeler version."""
    keys, found = list(dict.fromkeys(hashes)), {}
    for i in range(0, len(keys), _SQL_CHUNK):
        chunk = keys[i : i + _SQL_CHUNK]
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
            f"SELECT text_hash, label FROM labels WHERE labeler = ? AND prompt_version = ? "
            f"AND text_hash IN ({marks})",
            [labeler, version, *chunk],
        ):
            found[row[0]] = row[1]
    return found


def save_labels(
    db: sqlite_utils.Database, labels: dict[str, str], labeler: str, version: str
) -> None:
    """Store new labels (text hash -> label) for one labeler version in one transaction."""
    if not labels:
        return
    stamp = now_iso()
    rows = [
        {
            "text_hash": h,
            "labeler": labeler,
            "prompt_version": version,
            "label": lb,
            "created_at": stamp,
        }
        for h, lb in labels.items()
    ]
    with transaction(db):
        db.table("labels").insert_all(
            rows, pk=("text_hash", "labeler", "prompt_version"), replace=True, batch_size=1000
        )


def corrections_for(db: sqlite_utils.Database, hashes: Iterable[str]) -> dict[str, str]:
    """User corrections (text hash -> label) for these text hashes."""
    keys, found = list(dict.fromkeys(hashes)), {}
    for i in range(0, len(keys), _SQL_CHUNK):
        chunk = keys[i : i + _SQL_CHUNK]
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
            f"SELECT text_hash, label FROM corrections WHERE text_hash IN ({marks})", chunk
        ):
            found[row[0]] = row[1]
    return found


def save_corrections(db: sqlite_utils.Database, rows: list[dict]) -> None:
    """Upsert corrections (`text_hash, text, label, note`) in one transaction."""
    if not rows:
        return
    stamp = now_iso()
    with transaction(db):
        db.table("corrections").upsert_all(
            [{**r, "corrected_at": r.get("corrected_at") or stamp} for r in rows], pk="text_hash"
        )


def load_corrections(db: sqlite_utils.Database) -> pd.DataFrame:
    """Every stored correction, oldest first."""
    return pd.read_sql_query(
        "SELECT text_hash, text, label, note, corrected_at FROM corrections "
        "ORDER BY corrected_at, text_hash",
        db.conn,
    )
