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

import pandas as pd
import sqlite_utils

from core import store
from core.labeling.frame import platforms, raw_texts, text_keys
from core.labeling.labeler import Labeler, Usage, answers, usage
from core.labeling.names import normalise_label
from core.labeling.text import EMPTY_KEY
from core.vocabulary import CHANGE_TYPES

SOURCE_CORRECTION, SOURCE_CACHE = "correction", "cache"
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


def stored_labels(
    db: sqlite_utils.Database, frame: pd.DataFrame, labeler: Labeler | None = None
) -> pd.DataFrame:
    """The stored change type of each commit, asking no labeler: `label` and `label_source`.

    A user correction wins; then the cache of `labeler` (its name and version), or without
    one the most recent label of any labeler. Commits nobody labeled get None.
    """
    rows = _pairs(frame)
    found = _stored(db, [p for p in dict.fromkeys(rows) if p[0] != EMPTY_KEY], labeler)
    return _per_row(frame.index, rows, found)


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
    rows = _pairs(frame)
    unique = [p for p in dict.fromkeys(rows) if p[0] != EMPTY_KEY]
    found = _stored(db, unique, labeler)
    todo = [p for p in unique if p not in found]
    raw = raw_texts(frame.iloc[_first_rows(rows, todo)]).tolist() if todo else []

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
    labeled = _per_row(frame.index, rows, {**found, **new})
    out["label"], out["label_source"] = labeled["label"], labeled["label_source"]
    return out, _stats(labeler, len(frame), list(dict.fromkeys(rows)), found, new, spent)


def label_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Label counts per platform (rows: change types in the paper's order; `unlabeled`)."""
    labels = frame["label"].fillna("unlabeled")
    table = pd.crosstab(labels, platforms(frame))
    order = [t for t in (*CHANGE_TYPES, "unlabeled") if t in table.index]
    return table.reindex(order)


Pair = tuple[str, str]  # (text key, platform)
Found = dict[Pair, tuple[str | None, str | None]]  # -> (label, source)


def _pairs(frame: pd.DataFrame) -> list[Pair]:
    return list(zip(text_keys(frame).tolist(), platforms(frame).tolist(), strict=True))


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


def _per_row(index: pd.Index, rows: list[Pair], found: Found) -> pd.DataFrame:
    """`label` and `label_source` per row (None where nothing was found)."""
    got = [found.get(pair) for pair in rows]
    return pd.DataFrame(
        {
            "label": pd.Series([g[0] if g else None for g in got], index=index, dtype=object),
            "label_source": pd.Series(
                [g[1] if g else None for g in got], index=index, dtype=object
            ),
        },
        index=index,
    )


def _first_rows(rows: list[Pair], wanted: list[Pair]) -> list[int]:
    """The position of the first row of each wanted pair, in the order of `wanted`."""
    first: dict[Pair, int] = {}
    want = set(wanted)
    for i, pair in enumerate(rows):
        if pair in want and pair not in first:
            first[pair] = i
    return [first[p] for p in wanted]


def _stats(
    labeler: Labeler, n_rows: int, pairs: list[Pair], found: Found, new: Found, spent: Usage
) -> LabelStats:
    """Counts of distinct texts (a text on two platforms counts once, by its best news:
    corrected, else newly labeled, else unlabeled, else cached)."""
    rank = {SOURCE_CORRECTION: 3, labeler.name: 2, None: 1, SOURCE_CACHE: 0}
    status: dict[str, int] = {}
    for pair in pairs:
        source = (new.get(pair) or found.get(pair) or (None, None))[1]
        status[pair[0]] = max(status.get(pair[0], 0), rank[source])
    empty = status.pop(EMPTY_KEY, None) is not None
    counts = [sum(1 for r in status.values() if r == k) for k in range(4)]
    return LabelStats(
        labeler=labeler.name,
        version=labeler.version,
        n_rows=n_rows,
        n_unique=len(status),
        n_corrected=counts[3],
        n_cached=counts[0],
        n_new=counts[2],
        n_unlabeled=counts[1] + int(empty),
        requests=spent.requests,
        input_tokens=spent.input_tokens,
        output_tokens=spent.output_tokens,
    )


def _call_size(labeler: Labeler, n: int) -> int:
    """Texts per labeler call: a paid labeler's request size (its labels are saved after each
    call), else everything at once."""
    batch = getattr(labeler, "batch_size", None)
    if not batch:
        return max(n, 1)
    return min(SAVE_EVERY, max(1, int(batch)))
