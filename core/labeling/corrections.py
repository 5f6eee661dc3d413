"""The user's corrections: a label given by hand for a commit text, which wins over every
labeler on both platforms; exported and imported as CSV."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlite_utils

from core import store
from core.errors import InputError
from core.labeling.frame import raw_texts, text_keys
from core.labeling.names import normalise_label
from core.labeling.text import KEY_PATTERN, clean_text, text_hash
from core.labeling.texts_csv import read_texts_csv
from core.vocabulary import CHANGE_TYPES

_HASH = re.compile(KEY_PATTERN)


@dataclass(frozen=True)
class CorrectionsImport:
    """Result of importing corrections: how many were stored and which rows were refused."""

    n_imported: int
    bad_rows: list[tuple[int, str]] = field(default_factory=list)  # (CSV line, reason)


def correct_label(db: sqlite_utils.Database, text: str, label: str, note: str = "") -> str:
    """Store a user's label for a commit text; it wins over every labeler from now on.

    Returns the canonical label. Raises InputError for a label outside the 15 change types.
    """
    cleaned = clean_text(text)
    return _correct(db, text_hash(cleaned), cleaned, label, note)


def correct_commits(db: sqlite_utils.Database, commits: pd.DataFrame, labels: list[str]) -> int:
    """Store the user's labels for these commits (rows of a commits frame), keyed exactly as
    `label_commits` keys them (the stored key of a cached commit, not a re-cleaned text)."""
    keys, texts = text_keys(commits), raw_texts(commits)
    for key, raw, label in zip(keys, texts, labels, strict=True):
        _correct(db, key, clean_text(raw), label, "")
    return len(labels)


def export_corrections(db: sqlite_utils.Database) -> pd.DataFrame:
    """All corrections as a frame (`text_hash, text, label, note, corrected_at`)."""
    return store.load_corrections(db)


def import_corrections(
    db: sqlite_utils.Database, source: pd.DataFrame | str | Path
) -> CorrectionsImport:
    """Import corrections from a frame or CSV with `label` and `text` (or `text_hash`).

    Bad rows (unknown label, no text) are skipped and reported with their CSV line number;
    good rows are stored together in one transaction. A file that cannot be read as such a
    CSV raises InputError.
    """
    frame = read_texts_csv(source) if isinstance(source, str | Path) else source
    if "label" not in frame.columns or not ({"text", "text_hash"} & set(frame.columns)):
        raise InputError(
            "A corrections file needs a `label` column and a `text` (or "
            "`text_hash`) column, like the file `export_corrections` writes."
        )
    rows, bad = [], []
    for i, rec in enumerate(frame.to_dict("records")):
        line = i + 2  # header is line 1
        label = normalise_label(rec.get("label"))
        text = clean_text(rec["text"]) if isinstance(rec.get("text"), str) else ""
        key = rec.get("text_hash") if isinstance(rec.get("text_hash"), str) else ""
        if label is None:
            bad.append((line, f"'{rec.get('label')}' is not one of the 15 change types"))
            continue
        # An exported hash is the key the correction was made under; cleaning its (already
        # cleaned) text again can differ (`&lt;s&gt;` -> `<s>` -> ""), so it wins.
        key = key.strip() if _HASH.fullmatch(key.strip()) else ""
        if not text and not key:
            bad.append((line, "no commit text"))
            continue
        note = rec.get("note")
        rows.append(
            {
                "text_hash": key or text_hash(text),
                "text": str(rec["text"]).strip()
                if key and isinstance(rec.get("text"), str)
                else text,
                "label": label,
                "note": note if isinstance(note, str) else "",
            }
        )
    store.save_corrections(db, rows)
    return CorrectionsImport(n_imported=len(rows), bad_rows=bad)


def _correct(db: sqlite_utils.Database, key: str, cleaned: str, label: str, note: str) -> str:
    canonical = normalise_label(label)
    if canonical is None:
        raise InputError(
            f"'{label}' is not one of the 15 change types; use one of: "
            + ", ".join(CHANGE_TYPES)
            + "."
        )
    if not cleaned:
        raise InputError("The commit text is empty, so there is nothing to correct.")
    store.save_corrections(
        db, [{"text_hash": key, "text": cleaned, "label": canonical, "note": note or ""}]
    )
    return canonical
