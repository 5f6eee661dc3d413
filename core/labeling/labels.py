"""The labeling service: change types for commits, cached per text, with user corrections.

A commit's label comes from, in order: a user correction (always wins), the label cache
(`labels` table, keyed by text hash + labeler + labeler version), or a labeler run over the
texts nobody has labeled yet. Identical texts are labeled once. Unlabeled (None) results are
not cached, so a later run can try them again.

The cache key is the paper's cleaned text (`core.labeling.text.clean_text`); the labeler is given the
raw text (HF title and message joined by a newline, GitHub the whole message) because its
first line and the file names in backticks help it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import pandas as pd
import sqlite_utils

from core import store
from core.errors import InputError
from core.labeling.text import clean_text, text_hash
from core.vocabulary import CHANGE_TYPES

SOURCE_CORRECTION, SOURCE_CACHE = "correction", "cache"
SAVE_EVERY = 2_000  # unique texts per labeler call; each call's labels are saved at once


@dataclass(frozen=True)
class Usage:
    """What a labeler has spent so far (API labelers; zero for offline ones)."""

    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.requests + other.requests,
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
        )

    def __sub__(self, other: Usage) -> Usage:
        return Usage(
            self.requests - other.requests,
            self.input_tokens - other.input_tokens,
            self.output_tokens - other.output_tokens,
        )


@runtime_checkable
class Labeler(Protocol):
    """Anything that maps commit texts to change types (None = could not label)."""

    @property
    def name(self) -> str:
        """Short labeler name (`rules`, `claude`); part of the cache key."""
        ...

    @property
    def version(self) -> str:
        """Rules or prompt version; labels of another version are not reused."""
        ...

    def label(self, texts: list[str], platforms: list[str]) -> list[str | None]:
        """One change type (or None) per text, in order; `platforms` are GH/HF hints."""
        ...


@dataclass(frozen=True)
class LabelStats:
    """Summary of one labeling run over a commits frame (counts of unique texts but n_rows)."""

    labeler: str
    version: str
    n_rows: int  # rows of the frame
    n_unique: int  # distinct non-empty cleaned texts
    n_corrected: int  # ... labeled by a user correction
    n_cached: int  # ... found in the label cache
    n_new: int  # ... labeled by the labeler in this run (and cached)
    n_unlabeled: int  # distinct texts without a label (empty, or the labeler gave none)
    requests: int = 0  # API requests, SDK retries included
    input_tokens: int = 0
    output_tokens: int = 0


# --- label names ---------------------------------------------------------------------------

_CANONICAL = {re.sub(r"[^a-z]", "", t.lower()): t for t in CHANGE_TYPES}
# Out-of-taxonomy answers the paper repaired by hand (Section 4.1.1.2), plus near spellings.
REPAIRS = {
    "bugfix": "Model Structure",
    "fix": "Model Structure",
    "addmodel": "Model Structure",
    "modelstructures": "Model Structure",
    "documentation": "External Documentation",
    "externaldocs": "External Documentation",
    "internaldocs": "Internal Documentation",
    "metadata": "Project Metadata",
    "dependencyupdate": "Update Dependency",
    "adddependencies": "Add Dependency",
    "removedependencies": "Remove Dependency",
    "updatedependencies": "Update Dependency",
}


def normalise_label(raw: object) -> str | None:
    """One of the 15 change types for a label-like string, or None.

    Case, spacing, punctuation and underscores are ignored ("model_structure",
    " MODEL STRUCTURE ") and the paper's repairs apply ("bug fix", "add model" ->
    Model Structure).
    """
    if not isinstance(raw, str):
        return None
    key = re.sub(r"[^a-z]", "", raw.lower())
    return _CANONICAL.get(key) or REPAIRS.get(key)


# --- frames --------------------------------------------------------------------------------


def raw_texts(frame: pd.DataFrame) -> pd.Series:
    """The text to label per row: `title`+`message` (HF joined, GH message) else `text`.

    Without a `platform` column, a `title`+`message` file is joined HF-style (the paper's
    HF texts); the GitHub message already starts with its title.
    """
    platform = _platforms(frame)
    if "title" in frame.columns or "message" in frame.columns:
        title = frame.get("title", pd.Series("", index=frame.index)).fillna("").astype(str)
        message = frame.get("message", pd.Series("", index=frame.index)).fillna("").astype(str)
        hf = (title + "\n" + message).str.strip()
        gh = message.where(message.str.strip() != "", title)
        joined = hf.where(platform == "HF", gh)
        if "text" in frame.columns:  # rows without title/message keep their text
            text = frame["text"].fillna("").astype(str)
            joined = joined.where(joined.str.strip() != "", text)
        return joined
    if "text" in frame.columns:
        return frame["text"].fillna("").astype(str)
    raise InputError(
        "The commits have no `text` column (nor `title` and `message`); "
        "add one so there is something to label."
    )


def _platforms(frame: pd.DataFrame) -> pd.Series:
    """GH/HF per row; without a `platform` column, `title`+`message` rows are HF-style."""
    if "platform" not in frame.columns:
        hf_style = "title" in frame.columns and "message" in frame.columns
        return pd.Series("HF" if hf_style else "GH", index=frame.index)
    return frame["platform"].fillna("GH").astype(str).str.upper().str.strip()


def label_commits(
    db: sqlite_utils.Database, frame: pd.DataFrame, labeler: Labeler
) -> tuple[pd.DataFrame, LabelStats]:
    """Add `label` and `label_source` columns to a commits frame; cache new labels.

    Args:
        db: the cache (labels and corrections tables).
        frame: rows with `text` (or `title`+`message`) and optionally `platform`.
        labeler: any `Labeler`; only texts without a correction or cached label reach it.
    Returns:
        A copy of `frame` with `label` (a change type or None) and `label_source`
        (`correction`, `cache`, the labeler's name, or None when unlabeled), and the run's
        `LabelStats`.
    """
    raw = raw_texts(frame)
    platforms = _platforms(frame)
    cleaned = raw.map(clean_text)
    hashes = cleaned.map(text_hash)
    first = ~hashes.duplicated()
    unique = pd.DataFrame({"hash": hashes[first], "raw": raw[first], "platform": platforms[first]})
    # An empty text (after cleaning) has nothing to label: it stays unlabeled, unasked.
    unique = unique[cleaned[first] != ""]

    corrected = store.corrections_for(db, unique["hash"])
    todo = unique[~unique["hash"].isin(corrected)]
    cached = store.cached_labels(db, todo["hash"], labeler.name, labeler.version)
    todo = todo[~todo["hash"].isin(cached)]

    new: dict[str, str | None] = {}
    before = _usage(labeler)
    # Chunks are saved as they finish, so an API failure midway keeps the work done; a
    # labeler that sends requests of `batch_size` texts is given one request's worth at a time.
    every = min(SAVE_EVERY, max(1, int(getattr(labeler, "batch_size", SAVE_EVERY) or SAVE_EVERY)))
    for start in range(0, len(todo), every):
        part = todo.iloc[start : start + every]
        answers = labeler.label(part["raw"].tolist(), part["platform"].tolist())
        if len(answers) != len(part):
            raise ValueError(
                f"labeler {labeler.name} returned {len(answers)} labels for {len(part)} texts"
            )
        done = {h: normalise_label(a) for h, a in zip(part["hash"], answers, strict=True)}
        store.save_labels(
            db, {h: lb for h, lb in done.items() if lb}, labeler.name, labeler.version
        )
        new.update(done)
    spent = _usage(labeler) - before

    labels: dict[str, str | None] = {**new, **cached, **corrected}
    sources = {
        **{h: (labeler.name if lb else None) for h, lb in new.items()},
        **dict.fromkeys(cached, SOURCE_CACHE),
        **dict.fromkeys(corrected, SOURCE_CORRECTION),
    }
    out = frame.copy()
    out["label"] = hashes.map(labels).astype(object).where(hashes.map(labels).notna(), None)
    out["label_source"] = hashes.map(sources).astype(object)
    out["label_source"] = out["label_source"].where(out["label_source"].notna(), None)
    stats = LabelStats(
        labeler=labeler.name,
        version=labeler.version,
        n_rows=len(frame),
        n_unique=len(unique),
        n_corrected=len(corrected),
        n_cached=len(cached),
        n_new=sum(1 for lb in new.values() if lb),
        n_unlabeled=sum(1 for lb in new.values() if not lb) + int(first.sum()) - len(unique),
        requests=spent.requests,
        input_tokens=spent.input_tokens,
        output_tokens=spent.output_tokens,
    )
    return out, stats


def _usage(labeler: Labeler) -> Usage:
    usage = getattr(labeler, "usage", None)
    return usage if isinstance(usage, Usage) else Usage()


# --- corrections ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    """Result of importing corrections: how many were stored and which rows were refused."""

    n_imported: int
    bad_rows: list[tuple[int, str]] = field(default_factory=list)  # (CSV line, reason)


def correct_label(db: sqlite_utils.Database, text: str, label: str, note: str = "") -> str:
    """Store a user's label for a commit text; it wins over every labeler from now on.

    Returns the canonical label. Raises InputError for a label outside the 15 change types.
    """
    canonical = normalise_label(label)
    if canonical is None:
        raise InputError(
            f"'{label}' is not one of the 15 change types; use one of: "
            + ", ".join(CHANGE_TYPES)
            + "."
        )
    cleaned = clean_text(text)
    if not cleaned:
        raise InputError("The commit text is empty, so there is nothing to correct.")
    store.save_corrections(
        db,
        [
            {
                "text_hash": text_hash(cleaned),
                "text": cleaned,
                "label": canonical,
                "note": note or "",
            }
        ],
    )
    return canonical


def correct_commits(db: sqlite_utils.Database, commits: pd.DataFrame, labels: list[str]) -> int:
    """Store the user's labels for these commits (rows of a commits frame), keyed exactly as
    `label_commits` keys them: by the cleaned raw title/message, not by a re-cleaned text."""
    for raw, label in zip(raw_texts(commits), labels, strict=True):
        correct_label(db, raw, label)
    return len(labels)


def export_corrections(db: sqlite_utils.Database) -> pd.DataFrame:
    """All corrections as a frame (`text_hash, text, label, note, corrected_at`)."""
    return store.load_corrections(db)


def import_corrections(
    db: sqlite_utils.Database, source: pd.DataFrame | str | Path
) -> ImportReport:
    """Import corrections from a frame or CSV with `label` and `text` (or `text_hash`).

    Bad rows (unknown label, no text) are skipped and reported with their CSV line number;
    good rows are stored together in one transaction. A file that cannot be read as such a
    CSV raises InputError.
    """
    frame = _read_csv(source) if isinstance(source, str | Path) else source
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
    return ImportReport(n_imported=len(rows), bad_rows=bad)


_HASH = re.compile(r"[0-9a-f]{32}")  # core.labeling.text.text_hash


def _read_csv(path: str | Path) -> pd.DataFrame:
    try:  # opened here: pandas would fetch a path that looks like a URL
        with open(path, "rb") as fh:
            return pd.read_csv(fh, dtype=str, keep_default_na=False)
    except FileNotFoundError as err:
        raise InputError(f"{path} does not exist; give the path of a CSV file.") from err
    except (
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        UnicodeDecodeError,
        IsADirectoryError,
    ) as err:
        raise InputError(
            f"{path} could not be read as a CSV file ({err}); check that it "
            "is comma-separated text with a header row."
        ) from err


def read_commits_csv(path: str | Path) -> pd.DataFrame:
    """A user CSV of commits for labeling or evaluation (every column read as text)."""
    return _read_csv(path)


def label_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Label counts per platform (rows: change types in the paper's order; `unlabeled`)."""
    labels = frame["label"].fillna("unlabeled")
    table = pd.crosstab(labels, _platforms(frame))
    order = [t for t in (*CHANGE_TYPES, "unlabeled") if t in table.index]
    return table.reindex(order)
