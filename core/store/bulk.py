"""Bulk writes: many rows in one `executemany`, inside the caller's transaction.

`sqlite_utils`' `upsert_all` checks and converts every cell and runs an INSERT and an UPDATE
per row; for 20,000 commits that was most of a git import. Rows here are plain values
already (text, numbers, None), so one prepared `INSERT ... ON CONFLICT DO UPDATE` does it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils


def upsert_rows(
    db: sqlite_utils.Database, table: str, rows: Sequence[dict], pk: tuple[str, ...]
) -> None:
    """Insert `rows` (dicts with the same keys) into `table`, updating rows whose `pk` exists."""
    if not rows:
        return
    columns = list(rows[0])
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c not in pk)
    sql = (
        f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT ({', '.join(f'[{c}]' for c in pk)}) "
        + (f"DO UPDATE SET {updates}" if updates else "DO NOTHING")
    )
    db.conn.executemany(sql, [tuple(row[c] for c in columns) for row in rows])
