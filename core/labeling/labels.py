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
    codes, unique = _pairs(frame)
    found = _stored(db, [p for p in unique if p[0] != EMPTY_KEY], labeler)
    return _per_row(frame.index, codes, unique, found)


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
    codes, pairs = _pairs(frame)
    unique = [p for p in pairs if p[0] != EMPTY_KEY]
    found = _stored(db, unique, labeler)
    todo = [p for p in unique if p not in found]
    raw = _texts(db, frame.iloc[_first_rows(codes, pairs, todo)]).tolist() if todo else []

    before = usage(labeler)
    new: Found = {}
    every = _call_size(labeler, len(todo))
    for start in range(0, len(todo), every):
        part = todo[start : start + every]
        given = answers(labeler, raw[start : start + every], [p for _, p in part])
        if len(given) != len(part):
            raise ValueError(
                f"labeler {labeler.name} returned {len(given)} labels for {len(part)} texts"
            )
        done = {pair: (normalise_label(lb), c) for pair, (lb, c) in zip(part, given, strict=True)}
        # Saved as each call finishes, so an API failure midway keeps the work done.
        store.save_labels(
            db, {pair: (lb, c) for pair, (lb, c) in done.items() if lb}, labeler.name,
            labeler.version,
        )  # fmt: skip
        new.update({pair: (lb, labeler.name if lb else None) for pair, (lb, _) in done.items()})
    spent = usage(labeler) - before

    out = frame.copy()
    labeled = _per_row(frame.index, codes, pairs, {**found, **new})
    out["label"], out["label_source"] = labeled["label"], labeled["label_source"]
    return out, _stats(labeler, codes, pairs, found, new, spent)


def label_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Label counts per platform (rows: change types in the paper's order; `unlabeled`)."""
    labels = frame["label"].fillna("unlabeled")
    table = pd.crosstab(labels, platforms(frame))
    order = [t for t in (*CHANGE_TYPES, "unlabeled") if t in table.index]
    return table.reindex(order)


Pair = tuple[str, str]  # (text key, platform)
Found = dict[Pair, tuple[str | None, str | None]]  # -> (label, source)


def _pairs(frame: pd.DataFrame) -> tuple[np.ndarray, list[Pair]]:
    """Each row's code into the distinct (text key, platform) pairs, in order of appearance
    (the pairs are few next to the rows: everything per pair is done once, then taken)."""
    keys, key_names = pd.factorize(text_keys(frame).fillna(EMPTY_KEY))
    plats, plat_names = pd.factorize(platforms(frame))
    n = max(len(plat_names), 1)
    codes, combined = pd.factorize(keys.astype(np.int64) * n + plats)
    pairs = list(
        zip(
            np.asarray(key_names, dtype=object)[combined // n].tolist(),
            np.asarray(plat_names, dtype=object)[combined % n].tolist(),
            strict=True,
        )
    )
    return codes, pairs


def _stored(db: sqlite_utils.Database, pairs: list[Pair], labeler: Labeler | None) -> Found:
    """Corrections, then the cache, for these (key, platform) pairs."""
    corrected = store.corrections_for(db, (k for k, _ in pairs))
    rest = [pair for pair in pairs if pair[0] not in corrected]
    cached = (
        store.cached_labels(db, rest, labeler.name, labeler.version)
        if labeler is not None
        else store.latest_labels(db, rest)
    )
    found: Found = {pair: (lb, SOURCE_CACHE) for pair, lb in cached.items()}
    found.update({(k, p): (corrected[k], SOURCE_CORRECTION) for k, p in pairs if k in corrected})
    return found


def _per_row(index: pd.Index, codes: np.ndarray, pairs: list[Pair], found: Found) -> pd.DataFrame:
    """`label` and `label_source` per row (None where nothing was found)."""
    got = [found.get(pair) or (None, None) for pair in pairs]
    labels = np.array([g[0] for g in got] + [None], dtype=object)
    sources = np.array([g[1] for g in got] + [None], dtype=object)
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


def _first_rows(codes: np.ndarray, pairs: list[Pair], wanted: list[Pair]) -> list[int]:
    """The position of the first row of each wanted pair, in the order of `wanted`."""
    _, first = np.unique(codes, return_index=True)
    position = {pair: i for i, pair in enumerate(pairs)}
    return [int(first[position[p]]) for p in wanted]


def _stats(
    labeler: Labeler, codes: np.ndarray, pairs: list[Pair], found: Found, new: Found, spent: Usage
) -> LabelStats:
    """Counts of distinct texts (a text on two platforms counts once, by its best news:
    corrected, else newly labeled, else unlabeled, else cached); `codes` are the rows'."""
    rank = {SOURCE_CORRECTION: 3, labeler.name: 2, None: 1, SOURCE_CACHE: 0}
    nothing = (None, None)
    ranks = np.fromiter(
        (rank[(new.get(p) or found.get(p) or nothing)[1]] for p in pairs), np.int8, len(pairs)
    )
    keys, names = pd.factorize(np.array([k for k, _ in pairs], dtype=object))
    status = np.zeros(len(names), dtype=np.int8)
    np.maximum.at(status, keys, ranks)  # a text's best news over its platforms
    is_empty = np.asarray(names == EMPTY_KEY)
    empty = bool(is_empty.any())
    counts = np.bincount(status[~is_empty], minlength=4).tolist()
    textless = [i for i, (key, _) in enumerate(pairs) if key == EMPTY_KEY]
    return LabelStats(
        labeler=labeler.name,
        version=labeler.version,
        n_rows=len(codes),
        n_unique=int((~is_empty).sum()),
        n_corrected=counts[3],
        n_cached=counts[0],
        n_new=counts[2],
        n_unlabeled=counts[1] + int(empty),
        requests=spent.requests,
        input_tokens=spent.input_tokens,
        output_tokens=spent.output_tokens,
        n_textless_rows=int(np.isin(codes, textless).sum()),
    )


def _call_size(labeler: Labeler, n: int) -> int:
    """Texts per labeler call: a paid labeler's request size (its labels are saved after each
    call), else everything at once."""
    batch = getattr(labeler, "batch_size", None)
    if not batch:
        return max(n, 1)
    return min(SAVE_EVERY, max(1, int(batch)))
