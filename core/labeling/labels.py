"""The change types of a commit frame: stored ones first, a labeler for the rest, all cached.

A commit's label comes from, in order: a user correction (always wins), the label cache
(`labels` table, keyed by text hash + platform + labeler + labeler version), or a labeler run
over the texts nobody has labeled yet. Identical texts on one platform are labeled once; the
platform is part of the key because labelers answer by it (the rules label "add files" as a
layout change on GitHub and as model files on the Hub); a label cached before the platform
was part of the key stands for both platforms, as it did then (`core.store.labels`).
Unlabeled (None) results are not cached, so a later run can try them again.

The key is the hash of the paper's cleaned text (`core.labeling.text`); commits from the
store carry it (saved with the commit), so cached labels are found without cleaning any
text. The labeler is given the raw text (HF title and message joined by a newline, GitHub
the whole message) because its first line and the file names in backticks help it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlite_utils

from core import store
from core.errors import InputError
from core.labeling.frame import platforms, raw_texts, text_keys
from core.labeling.labeler import Labeler, Usage, answers, usage
from core.labeling.names import normalise_label
from core.labeling.text import EMPTY_KEY
from core.vocabulary import CHANGE_TYPES

SOURCE_CORRECTION, SOURCE_CACHE = "correction", "cache"
STORE_KEYS = {"platform", "repo", "sha"}  # how a cached commit is found
SAVE_EVERY = 2_000  # at most this many texts per call of a labeler that sends requests


@dataclass(frozen=True)
class LabelStats:
    """Summary of one labeling run over a commits frame (counts of unique texts but n_rows).

    A text found on both platforms is labeled per platform but counted once: as newly
    labeled if either platform's label is new, as cached if both came from the cache.
    """

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
    n_textless_rows: int = 0  # rows with nothing left to label (empty, or only inline code)


def stored_labels(
    db: sqlite_utils.Database, frame: pd.DataFrame, labeler: Labeler | None = None
) -> pd.DataFrame:
    """The stored change type of each commit, asking no labeler: `label` and `label_source`.

    A user correction wins; then the cache of `labeler` (its name and version), or without
    one the most recent label of any labeler. Commits nobody labeled get None.
    """
    pairs = _pairs(frame)
    labels, sources = _stored(db, pairs, labeler)
    return _per_row(frame.index, pairs.codes, labels, sources)


def label_commits(
    db: sqlite_utils.Database, frame: pd.DataFrame, labeler: Labeler
) -> tuple[pd.DataFrame, LabelStats]:
    """Add `label` and `label_source` columns to a commits frame; cache new labels.

    Args:
        db: the cache (labels and corrections tables).
        frame: rows with `text` (or `title`+`message`), optionally `platform`, and
            `text_hash` when they come from the store.
        labeler: any `Labeler`; only texts without a correction or cached label reach it.
    Returns:
        A copy of `frame` with `label` (a change type or None) and `label_source`
        (`correction`, `cache`, the labeler's name, or None when unlabeled), and the run's
        `LabelStats`.
    """
    pairs = _pairs(frame)
    labels, sources = _stored(db, pairs, labeler)
    todo = np.flatnonzero((pairs.keys != EMPTY_KEY) & pd.isna(labels))
    raw = _texts(db, frame.iloc[_first_rows(pairs.codes, todo)]).tolist() if len(todo) else []

    before = usage(labeler)
    every = _call_size(labeler, len(todo))
    for start in range(0, len(todo), every):
        part = todo[start : start + every]
        given = answers(labeler, raw[start : start + every], pairs.platforms[part].tolist())
        if len(given) != len(part):
            raise ValueError(
                f"labeler {labeler.name} returned {len(given)} labels for {len(part)} texts"
            )
        done = [(normalise_label(lb), c) for lb, c in given]
        # Saved as each call finishes, so an API failure midway keeps the work done.
        store.save_labels(
            db,
            {
                (pairs.keys[i], pairs.platforms[i]): (lb, c)
                for i, (lb, c) in zip(part.tolist(), done, strict=True)
                if lb
            },
            labeler.name,
            labeler.version,
        )
        labels[part] = np.array([lb for lb, _ in done], dtype=object)
        sources[part] = np.array([labeler.name if lb else None for lb, _ in done], dtype=object)
    spent = usage(labeler) - before

    out = frame.copy()
    labeled = _per_row(frame.index, pairs.codes, labels, sources)
    out["label"], out["label_source"] = labeled["label"], labeled["label_source"]
    return out, _stats(labeler, pairs, sources, todo, spent)


def label_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Label counts per platform (rows: change types in the paper's order; `unlabeled`)."""
    labels = frame["label"].fillna("unlabeled")
    table = pd.crosstab(labels, platforms(frame))
    order = [t for t in (*CHANGE_TYPES, "unlabeled") if t in table.index]
    return table.reindex(order)


@dataclass(frozen=True)
class _Pairs:
    """The distinct (text key, platform) pairs of a frame's rows, in order of appearance (the
    pairs are few next to the rows: everything per pair is done once, then taken per row)."""

    codes: np.ndarray  # each row's pair
    keys: np.ndarray  # per pair: the text key (objects)
    platforms: np.ndarray  # per pair: the platform (objects)
    key_codes: np.ndarray  # per pair: its key's number (a text on two platforms: one key)


def _pairs(frame: pd.DataFrame) -> _Pairs:
    keys, key_names = pd.factorize(text_keys(frame).fillna(EMPTY_KEY))
    plats, plat_names = pd.factorize(platforms(frame))
    n = max(len(plat_names), 1)
    codes, combined = pd.factorize(keys.astype(np.int64) * n + plats)
    combined = np.asarray(combined, dtype=np.int64)
    return _Pairs(
        codes,
        np.asarray(key_names, dtype=object)[combined // n],
        np.asarray(plat_names, dtype=object)[combined % n],
        combined // n,
    )


def _stored(
    db: sqlite_utils.Database, pairs: _Pairs, labeler: Labeler | None
) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: its label and where it came from (a correction, else the cache), None where
    neither holds one."""
    wanted = pairs.keys != EMPTY_KEY
    corrected = store.corrections_for(db, pairs.keys[wanted].tolist())
    labels = np.full(len(pairs.keys), None, dtype=object)
    sources = np.full(len(pairs.keys), None, dtype=object)
    if corrected:
        found = pd.Series(pairs.keys).map(corrected).to_numpy(dtype=object)
        hit = wanted & pd.notna(found)
        labels[hit], sources[hit] = found[hit], SOURCE_CORRECTION
        wanted &= ~hit
    if wanted.any():
        keys = pairs.keys[wanted]
        name, version = (labeler.name, labeler.version) if labeler else (None, None)
        rows = store.label_rows(db, keys.tolist(), name, version)
        found = store.labels_for(keys, pairs.platforms[wanted], rows)
        at = np.flatnonzero(wanted)[pd.notna(found)]
        labels[at], sources[at] = found[pd.notna(found)], SOURCE_CACHE
    return labels, sources


def _per_row(
    index: pd.Index, codes: np.ndarray, labels: np.ndarray, sources: np.ndarray
) -> pd.DataFrame:
    """`label` and `label_source` per row (None where nothing was found)."""
    return pd.DataFrame(
        {"label": labels[codes], "label_source": sources[codes]}, index=index, dtype=object
    )


def _texts(db: sqlite_utils.Database, frame: pd.DataFrame) -> pd.Series:
    """The raw texts of these rows; a store frame read without texts has them read back."""
    if {"text", "title", "message"} & set(frame.columns) or not set(frame.columns) >= STORE_KEYS:
        return raw_texts(frame)
    found = store.commit_texts(db, frame)
    if found["text"].isna().any():
        sha = frame["sha"].to_numpy()[found["text"].isna().to_numpy()][0]
        raise InputError(
            f"Commit {sha} has no text here and is not in the cache; give the commits a "
            "`text` (or `title` and `message`) column."
        )
    return raw_texts(frame.assign(**{c: found[c].to_numpy() for c in found.columns}))


def _first_rows(codes: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The position of the first row of each wanted pair, in the order of `wanted`."""
    _, first = np.unique(codes, return_index=True)  # pairs are numbered as they appear
    return first[wanted]


def _stats(
    labeler: Labeler, pairs: _Pairs, sources: np.ndarray, new: np.ndarray, spent: Usage
) -> LabelStats:
    """Counts of distinct texts (a text on two platforms counts once, by its best news:
    corrected, else newly labeled, else unlabeled, else cached); `new`: the pairs the
    labeler was asked about."""
    asked = np.zeros(len(sources), dtype=bool)
    asked[new] = True
    ranks = np.select(
        [sources == SOURCE_CORRECTION, asked & pd.notna(sources), sources == SOURCE_CACHE],
        [3, 2, 0],
        default=1,
    ).astype(np.int8)
    n_keys = int(pairs.key_codes.max()) + 1 if len(pairs.key_codes) else 0
    status = np.zeros(n_keys, dtype=np.int8)
    np.maximum.at(status, pairs.key_codes, ranks)  # a text's best news over its platforms
    is_empty = np.zeros(n_keys, dtype=bool)
    is_empty[pairs.key_codes[pairs.keys == EMPTY_KEY]] = True
    empty = bool(is_empty.any())
    counts = np.bincount(status[~is_empty], minlength=4).tolist()
    return LabelStats(
        labeler=labeler.name,
        version=labeler.version,
        n_rows=len(pairs.codes),
        n_unique=int((~is_empty).sum()),
        n_corrected=counts[3],
        n_cached=counts[0],
        n_new=counts[2],
        n_unlabeled=counts[1] + int(empty),
        requests=spent.requests,
        input_tokens=spent.input_tokens,
        output_tokens=spent.output_tokens,
        n_textless_rows=int((pairs.keys == EMPTY_KEY)[pairs.codes].sum()),
    )


def _call_size(labeler: Labeler, n: int) -> int:
    """Texts per labeler call: a paid labeler's request size (its labels are saved after each
    call), else everything at once."""
    batch = getattr(labeler, "batch_size", None)
    if not batch:
        return max(n, 1)
    return min(SAVE_EVERY, max(1, int(batch)))
