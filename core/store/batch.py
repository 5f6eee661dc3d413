"""Batch items: each line of a `batch` run and its outcome, so an interrupted run resumes."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from core.redaction import redact_value
from core.store.db import now_iso, transaction


def add_batch_items(db: sqlite_utils.Database, batch: str, targets: Iterable[str]) -> None:
    """Register a batch's targets as pending; targets already known keep their status."""
    stamp = now_iso()
    with transaction(db):
        for position, target in enumerate(targets):
            db.execute(
                "INSERT OR IGNORE INTO batch_items (batch, position, target, status, attempts,"
                " updated_at) VALUES (?, ?, ?, 'pending', 0, ?)",
                [batch, position, target, stamp],
            )


def set_batch_status(
    db: sqlite_utils.Database,
    batch: str,
    target: str,
    status: str,
    *,
    family: str | None = None,
    kind: str | None = None,
    error: str | None = None,
) -> None:
    """Record one item's outcome: done, failed, or pending (rate limited, to retry)."""
    with transaction(db):
        db.execute(
            "UPDATE batch_items SET status = ?, family = coalesce(?, family), kind = ?, "
            "error = ?, attempts = attempts + 1, updated_at = ? WHERE batch = ? AND target = ?",
            [status, family, kind, redact_value(error), now_iso(), batch, target],
        )


def batch_items(db: sqlite_utils.Database, batch: str) -> list[dict]:
    """Every item of a batch in input order."""
    return list(db.query("SELECT * FROM batch_items WHERE batch = ? ORDER BY position", [batch]))
