"""The rules labeler: every text read first, then the keyword rules asked of all of them at
once, then each text's label from the answers (or the fallback when none matched)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from core.labeling.rules.columns import read_all
from core.labeling.rules.evidence import keywords
from core.labeling.rules.matcher import first_labels
from core.labeling.rules.reading import content_free_all
from core.labeling.rules.terms import MS, PM, SH
from core.labeling.rules.typos import corrected_all

NAME = "rules"
CHUNK = 100_000  # texts read at once: bounds the arrays (each under 2 GB) and the memory
VERSION = "rules-4"


def label_texts(texts: Sequence[str], platforms: Sequence[str]) -> list[str | None]:
    """The change type of every text (None for an empty one); identical texts are read once.

    All texts are read at once (`columns.read_all`), the keyword rules asked about every
    subject and every body in one batch (asking about a body that its subject makes moot
    costs less than asking a second time), then about the few subjects with misspelt key
    words among the texts nothing matched.
    """
    keys = list(zip(texts, platforms, strict=True))
    unique = list(dict.fromkeys(keys))
    labels: list[str | None] = []
    for start in range(0, len(unique), CHUNK):
        labels += _label_unique(unique[start : start + CHUNK])
    if len(unique) == len(keys):  # no text twice (callers that cache labels dedupe first)
        return labels
    by_key = dict(zip(unique, labels, strict=True))
    return [by_key[k] for k in keys]


def _label_unique(unique: list[tuple[str, str]]) -> list[str | None]:
    """`label_texts` of distinct (text, platform) pairs."""
    platform = np.array([p or "GH" for _, p in unique], dtype=object)
    found = read_all([t or "" for t, _ in unique], platform.tolist())
    answers = _ask([*found.subject[1], *found.body[1]])
    labels = np.array(found.settled, dtype=object)
    said = [
        s or b or (SH if brings else None)
        for s, b, brings in zip(
            _answered(found.subject, answers),
            _answered(found.body, answers),
            found.brings_branch.tolist(),
            strict=True,
        )
    ]
    matched = np.array([label is not None for label in said], dtype=bool) & found.is_read
    labels[matched] = np.array(said, dtype=object)[matched]
    unmatched = np.flatnonzero(found.is_read & ~matched)
    subjects = [found.fallback_subject[i] for i in unmatched.tolist()]
    labels[unmatched] = _retried(subjects, platform[unmatched], answers)
    missing = unmatched[[label is None for label in labels[unmatched]]]
    labels[missing] = _fallback(
        [found.fallback_subject[i] for i in missing.tolist()],
        platform[missing],
        found.has_body[missing],
    )
    return labels.tolist()


def _answered(
    side: tuple[list[str | None], list[str | None], list[str | None]],
    answers: dict[str, str | None],
) -> list[str | None]:
    """Each text's label from one side's evidence (see `Evidence.answer`)."""
    return [
        label if question is None else (answers[question] or otherwise)
        for label, question, otherwise in zip(*side, strict=True)
    ]


def _retried(
    subjects: list[str], platforms: np.ndarray, answers: dict[str, str | None]
) -> list[str | None]:
    """The keyword rules' answer for each subject with misspelt key words corrected (None
    where nothing was misspelt or nothing matched even so)."""
    short = [i for i, s in enumerate(subjects) if len(s) < 120]
    fixed = dict(zip(short, corrected_all([subjects[i] for i in short]), strict=True))
    retries = {i: keywords(f, platforms[i]) for i, f in fixed.items() if f}
    answers.update(_ask(e.question for e in retries.values()))
    return [retries[i].answer(answers) if i in retries else None for i in range(len(subjects))]


def _fallback(subjects: list[str], platforms: np.ndarray, has_body: np.ndarray) -> np.ndarray:
    """Nothing matched, not even with typos corrected: Project Metadata for content-free
    short GitHub texts, else Model Structure.

    Model Structure is the paper's most common GitHub type and what texts naming code
    without a more specific topic ("fix bug in forward", "add model") mean on a model
    repository.
    """
    asked = (platforms == "GH") & ~has_body
    free = np.zeros(len(subjects), bool)
    if asked.any():
        free[asked] = content_free_all([s for s, a in zip(subjects, asked, strict=True) if a])
    return np.where(free, PM, MS).astype(object)


def _ask(questions: Iterable[str | None]) -> dict[str, str | None]:
    unique = [q for q in dict.fromkeys(questions) if q is not None]
    return dict(zip(unique, first_labels(unique), strict=True))


@lru_cache(maxsize=20_000)
def label_one(raw: str, platform: str = "GH") -> str | None:
    """The change type of one commit text (None for an empty text)."""
    return label_texts([raw], [platform])[0]


class RulesLabeler:
    """Deterministic offline labeler; see `core.labeling.rules` for how it reads a text."""

    name = NAME
    version = VERSION

    def label(self, texts: list[str], platforms: list[str]) -> list[str | None]:
        return label_texts(texts, platforms)
