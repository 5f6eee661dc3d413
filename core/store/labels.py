"""Cached change-type labels (per text hash, platform, labeler and version) and the user's
corrections (per text hash).

A label stored without a platform (platform '', from before the platform was part of the key)
stands for both platforms, as it did when it was made; new labels always name theirs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import pandas as pd
import sqlite_utils

from core.store.db import now_iso, transaction

Pair = tuple[str, str]  # (text hash, platform)
#: Read the labels table whole when the wanted hashes are at least 1/SCAN_SHARE of its rows.
SCAN_SHARE = 4


def cached_labels(
    db: sqlite_utils.Database, pairs: Iterable[Pair], labeler: str, version: str
) -> dict[Pair, str]:
    """Labels already stored for these (text hash, platform) pairs by one labeler version."""
    wanted = list(dict.fromkeys(pairs))
    rows = _rows(db, "l.labeler = ? AND l.prompt_version = ?", [labeler, version], wanted)
    return _for_pairs(wanted, {(h, p): lb for h, p, lb in rows})


def latest_labels(db: sqlite_utils.Database, pairs: Iterable[Pair]) -> dict[Pair, str]:
    """The most recent label any labeler stored for each (text hash, platform) pair."""
    wanted = list(dict.fromkeys(pairs))
    # ties (the same second) broken alike by both read plans of `_rows`
    order = "ORDER BY l.created_at, l.labeler, l.prompt_version"
    rows = _rows(db, "1", [], wanted, order=order)
    return _for_pairs(wanted, {(h, p): lb for h, p, lb in rows})  # the latest wins


def save_labels(
    db: sqlite_utils.Database,
    labels: Mapping[Pair, tuple[str, float | None]],
    labeler: str,
    version: str,
) -> None:
    """Store new labels ((text hash, platform) -> (label, confidence)) in one transaction."""
    if not labels:
        return
    stamp = now_iso()
    with transaction(db):
        db.conn.executemany(
            "INSERT OR REPLACE INTO labels (text_hash, platform, labeler, prompt_version, "
            "label, confidence, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(h, p, labeler, version, lb, c, stamp) for (h, p), (lb, c) in labels.items()],
        )


def corrections_for(db: sqlite_utils.Database, hashes: Iterable[str]) -> dict[str, str]:
    """User corrections (text hash -> label) for these text hashes."""
    keys = list(dict.fromkeys(hashes))
    if not keys:
        return {}
    if len(keys) * SCAN_SHARE >= _size(db, "corrections"):  # few corrections: read them all
        keep = set(keys)
        rows = db.execute("SELECT text_hash, label FROM corrections")
        return {h: lb for h, lb in rows if h in keep}
    rows = db.execute(
        "SELECT c.text_hash, c.label FROM json_each(?) j JOIN corrections c "
        "ON c.text_hash = j.value",
        [json.dumps(keys)],
    )
    return dict(rows.fetchall())


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


def _rows(
    db: sqlite_utils.Database, where: str, params: list, wanted: list[Pair], order: str = ""
) -> list[tuple[str, str, str]]:
    """(hash, platform, label) rows matching `where` for the wanted hashes: looked up by
    hash when they are a small part of the table, else read in one pass and filtered (a
    family asking for most of the cache; index look-ups would cost 4-5x more)."""
    if not wanted:
        return []
    hashes = list(dict.fromkeys(h for h, _ in wanted))
    size = _size(db, "labels")
    select = "SELECT l.text_hash, l.platform, l.label FROM"
    if len(hashes) * SCAN_SHARE >= size:
        keep = set(hashes)
        found = db.execute(f"{select} labels l WHERE {where} {order}", params)
        return [row for row in found if row[0] in keep]
    return db.execute(
        f"{select} json_each(?) j JOIN labels l ON l.text_hash = j.value WHERE {where} {order}",
        [json.dumps(hashes), *params],
    ).fetchall()


def _size(db: sqlite_utils.Database, table: str) -> int:
    """About how many rows `table` holds (its largest rowid: no count over the table)."""
    return db.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0


def _for_pairs(wanted: list[Pair], found: dict[Pair, str]) -> dict[Pair, str]:
    """Each wanted pair's label: its platform's own, else one stored without a platform."""
    out = {}
    for h, p in wanted:
        label = found.get((h, p)) or found.get((h, ""))
        if label:
            out[(h, p)] = label
    return out
