"""The rules labeler: every text read first, then the keyword rules asked of all of them at
once, then each text's label from the answers (or the fallback when none matched)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from core.labeling.rules.matcher import first_labels
from core.labeling.rules.reading import Reading, content_free, read
from core.labeling.rules.terms import MS, PM, SH

NAME = "rules"
VERSION = "rules-4"


def label_texts(texts: Sequence[str], platforms: Sequence[str]) -> list[str | None]:
    """The change type of every text (None for an empty one); identical texts are read once.

    Every question a text may need (its subject, its body, its subject with typos corrected)
    is asked of the keyword rules in one batch with all the others: one batch costs less than
    asking again for the few texts that need the next one.
    """
    keys = list(zip(texts, platforms, strict=True))
    labels: dict[tuple[str, str], str | None] = {}
    readings: dict[tuple[str, str], Reading] = {}
    for key in dict.fromkeys(keys):
        reading = read(key[0] or "", key[1] or "GH")
        if isinstance(reading, Reading):
            readings[key] = reading
        else:
            labels[key] = reading
    asked = dict.fromkeys(
        q
        for r in readings.values()
        for q in (r.subject.question, r.body.question, r.retry.question)
        if q is not None
    )
    answers = dict(zip(asked, first_labels(list(asked)), strict=True))
    for key, r in readings.items():
        labels[key] = (
            r.subject.answer(answers)
            or r.body.answer(answers)
            or (SH if r.brings_branch else None)
            or _fallback(r, answers)
        )
    return [labels[k] for k in keys]


def _fallback(reading: Reading, answers: dict[str, str | None]) -> str:
    """No rule matched: the rules again on the subject with typos corrected, then Project
    Metadata for content-free short GitHub texts, else Model Structure.

    Model Structure is the paper's most common GitHub type and what texts naming code
    without a more specific topic ("fix bug in forward", "add model") mean on a model
    repository.
    """
    found = reading.retry.answer(answers)
    if found:
        return found
    if reading.platform == "GH" and not reading.has_body and content_free(reading.fallback_subject):
        return PM
    return MS


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
