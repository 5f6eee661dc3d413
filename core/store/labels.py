"""Cached change-type labels (per text hash, platform, labeler and version) and the user's
corrections (per text hash).

A label stored without a platform (platform '', from before the platform was part of the key)
stands for both platforms, as it did when it was made; new labels always name theirs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import sqlite_utils

from core.redaction import redactor
from core.store.db import now_iso, transaction

Pair = tuple[str, str]  # (text hash, platform)
#: Read the labels table whole when the wanted hashes are at least 1/SCAN_SHARE of its rows.
SCAN_SHARE = 4


def label_rows(
    db: sqlite_utils.Database,
    hashes: Sequence[str],
    labeler: str | None = None,
    version: str | None = None,
) -> pd.DataFrame:
    """Stored labels of these text hashes (`text_hash`, `platform`, `label`; rows of other
    hashes may come too when the table is read whole): one labeler version's, or without one
    every labeler's, oldest first (so the last row of a pair is its latest label; ties in the
    same second broken alike by both read plans of `_rows`)."""
    if labeler is None:
        order = "ORDER BY l.created_at, l.labeler, l.prompt_version"
        rows = _rows(db, "1", [], hashes, order=order)
    else:
        rows = _rows(db, "l.labeler = ? AND l.prompt_version = ?", [labeler, version], hashes)
    return rows


def labels_for(
    hashes: Sequence[str] | np.ndarray, platforms: Sequence[str] | np.ndarray, rows: pd.DataFrame
) -> np.ndarray:
    """Each (hash, platform) pair's label in `rows` (`label_rows`; the last row of a pair
    wins): its platform's own, else one stored without a platform; None where neither."""
    out = np.full(len(hashes), None, dtype=object)
    if rows.empty or not len(hashes):
        return out
    keys = pd.Index(pd.unique(np.asarray(hashes, dtype=object)))
    asked = dict.fromkeys(np.asarray(platforms, dtype=object).tolist())
    sides = pd.Index([*(p for p in asked if p != ""), ""])  # "": stored for both platforms
    width = len(sides)
    # Each stored row's (hash, platform) as one number; the table holds its last row.
    row_key, row_side = keys.get_indexer(rows["text_hash"]), sides.get_indexer(rows["platform"])
    kept = np.flatnonzero((row_key >= 0) & (row_side >= 0))
    last = np.full(len(keys) * width, -1)
    np.maximum.at(last, row_key[kept] * width + row_side[kept], kept)
    labels = np.empty(len(rows) + 1, dtype=object)  # [-1]: no row
    labels[:-1] = rows["label"].to_numpy(dtype=object)
    at = keys.get_indexer(np.asarray(hashes, dtype=object)) * width
    own = labels[last[at + sides.get_indexer(np.asarray(platforms, dtype=object))]]
    shared = labels[last[at + width - 1]]
    for found in (own, shared):  # an empty label is none
        fill = pd.isna(out) & pd.notna(found) & (found != "")
        out[fill] = found[fill]
    return out


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
    """Upsert corrections (`text_hash, text, label, note`) in one transaction. The text and
    note are redacted: a text cleaned from a redacted commit can hold a token again (an HTML
    entity, full-width letters), and a note is whatever the user typed."""
    if not rows:
        return
    stamp = now_iso()
    scrub = redactor()

    def redacted(row: dict) -> dict:
        free = {k: scrub(v) for k, v in row.items() if k in ("text", "note") and isinstance(v, str)}
        return {**row, **free, "corrected_at": row.get("corrected_at") or stamp}

    with transaction(db):
        db.table("corrections").upsert_all([redacted(r) for r in rows], pk="text_hash")


def load_corrections(db: sqlite_utils.Database) -> pd.DataFrame:
    """Every stored correction, oldest first."""
    return pd.read_sql_query(
        "SELECT text_hash, text, label, note, corrected_at FROM corrections "
        "ORDER BY corrected_at, text_hash",
        db.conn,
    )


def _rows(
    db: sqlite_utils.Database, where: str, params: list, hashes: Sequence[str], order: str = ""
) -> pd.DataFrame:
    """(text_hash, platform, label) rows matching `where` for these hashes: looked up by
    hash when they are a small part of the table, else read in one pass and filtered (a
    family asking for most of the cache; index look-ups would cost 4-5x more)."""
    columns = ["text_hash", "platform", "label"]
    if not len(hashes):
        return pd.DataFrame(columns=columns, dtype=object)
    hashes = list(dict.fromkeys(hashes))
    select = "SELECT l.text_hash, l.platform, l.label FROM"
    if len(hashes) * SCAN_SHARE >= _size(db, "labels"):  # other hashes' rows are left in
        found = db.execute(f"{select} labels l WHERE {where} {order}", params).fetchall()
    else:
        found = db.execute(
            f"{select} json_each(?) j JOIN labels l ON l.text_hash = j.value WHERE {where} {order}",
            [json.dumps(hashes), *params],
        ).fetchall()
    table = np.empty((len(found), len(columns)), dtype=object)
    table[:] = found if found else table  # one pass over the rows, no per-column lists
    return pd.DataFrame(table, columns=columns, dtype=object)


def _size(db: sqlite_utils.Database, table: str) -> int:
    """About how many rows `table` holds (its largest rowid: no count over the table)."""
    return db.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
