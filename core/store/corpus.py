"""The corpus tables: the paper's replication data (`paper`) and the user's families (`mine`),
each replaced whole in one transaction, never touching the commit cache."""

from __future__ import annotations

import json
from collections.abc import Iterable

import pandas as pd
import sqlite_utils

from core.store.db import now_iso, transaction
from core.store.schema import CORPUS_TABLES


def replace_corpus(
    db: sqlite_utils.Database,
    corpus: str,
    tables: dict[str, list[dict]],
    *,
    origin: str,
    n_skipped: int = 0,
    detail: dict | None = None,
) -> None:
    """Replace every row of one corpus (all five tables) in one transaction.

    `tables` maps a table name from CORPUS_TABLES to its rows (without the `corpus` column).
    A table left out is emptied for this corpus, so a re-import is exactly idempotent.
    """
    with transaction(db):
        for name in CORPUS_TABLES:
            db.execute(f"DELETE FROM {name} WHERE corpus = ?", [corpus])
            rows = [{**row, "corpus": corpus} for row in tables.get(name, [])]
            if rows:
                db.table(name).insert_all(rows)
        db.table("corpus_imports").upsert(
            {
                "corpus": corpus,
                "origin": origin,
                "imported_at": now_iso(),
                "n_families": len(tables.get("corpus_families", [])),
                "n_switches": len(tables.get("corpus_switches", [])),
                "n_skipped": n_skipped,
                "detail": json.dumps(detail or {}),
            },
            pk="corpus",
        )


def corpus_import_info(db: sqlite_utils.Database, corpus: str) -> dict | None:
    """When and from where a corpus was last imported (None if never)."""
    rows = list(db.query("SELECT * FROM corpus_imports WHERE corpus = ?", [corpus]))
    return rows[0] if rows else None


def corpus_version(db: sqlite_utils.Database) -> tuple:
    """Changes whenever a corpus is re-imported or a label/correction is added (a cache key)."""
    imports = tuple(
        tuple(r)
        for r in db.execute(
            "SELECT corpus, imported_at, n_families FROM corpus_imports ORDER BY corpus"
        )
    )
    labels = db.execute("SELECT count(*) FROM labels").fetchone()[0]
    fixes = db.execute("SELECT count(*), max(corrected_at) FROM corrections").fetchone()
    return (imports, labels, *fixes)


def load_corpus_table(db: sqlite_utils.Database, name: str, corpora: Iterable[str]) -> pd.DataFrame:
    """All rows of one corpus table for the given corpora, as a DataFrame."""
    if name not in CORPUS_TABLES:
        raise ValueError(f"unknown corpus table {name!r}")
    wanted = list(corpora)
    marks = ", ".join("?" * len(wanted)) or "NULL"
    return pd.read_sql_query(
        f"SELECT * FROM {name} WHERE corpus IN ({marks})", db.conn, params=wanted
    )
