"""The cache file: opening it (WAL, busy timeout, schema), one-transaction writes, and the
fixed-width UTC text every stored time uses (`2024-01-02T03:04:05.000000Z`, sorts as text).

Several processes share the file (app sessions, CLI runs, batch). A write transaction takes
the write lock up front (`BEGIN IMMEDIATE`) and waits up to the busy timeout for it: a
deferred transaction that reads first and then writes gets SQLITE_BUSY at once when another
writer committed in between, which is what "database is locked" under load was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from core.settings import db_path
from core.store.schema import ensure_schema

BUSY_TIMEOUT_MS = 10_000


def to_iso(dt: datetime | None) -> str | None:
    """Fixed-width UTC text for a datetime (naive means UTC)."""
    if dt is None:
        return None
    if dt.tzinfo is UTC:  # most times: isoformat's "+00:00" becomes "Z"
        return dt.isoformat(timespec="microseconds")[:-6] + "Z"
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    # isoformat is 4x faster than strftime and gives the same text for a naive UTC time
    return dt.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def from_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def now_iso() -> str:
    return to_iso(datetime.now(UTC))  # type: ignore[return-value]


def open_db(path: str | Path | None = None, *, memory: bool = False) -> sqlite_utils.Database:
    """Open (and create if needed) the cache with WAL, a busy timeout and the schema."""
    if memory:
        db = sqlite_utils.Database(memory=True)
    else:
        file = db_path(path)
        file.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(sqlite3.connect(file, timeout=BUSY_TIMEOUT_MS / 1000))
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys=ON")
    with transaction(db):  # several processes may open a new file at once
        ensure_schema(db)
    return db


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One atomic write holding the write lock from its first statement: everything inside
    commits together or not at all. Nested inside another, it is a savepoint of it."""
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.rollback()
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise
