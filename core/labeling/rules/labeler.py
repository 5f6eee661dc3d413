"""The rules labeler: every text read first, then the keyword rules asked of all of them at
once, then each text's label from the answers (or the fallback when none matched)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from core.labeling.rules.evidence import NOTHING, Evidence, keywords
from core.labeling.rules.matcher import first_labels
from core.labeling.rules.reading import Reading, content_free, read
from core.labeling.rules.terms import MS, PM, SH
from core.labeling.rules.typos import corrected

NAME = "rules"
VERSION = "rules-4"


def label_texts(texts: Sequence[str], platforms: Sequence[str]) -> list[str | None]:
    """The change type of every text (None for an empty one); identical texts are read once.

    The keyword rules are asked about every subject and every body in one batch (asking
    about a body that its subject makes moot costs less than asking a second time), then
    about the few subjects with misspelt key words among the texts nothing matched.
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
    answers = _ask(q for r in readings.values() for q in (r.subject.question, r.body.question))
    unmatched = {}
    for key, r in readings.items():
        found = (
            r.subject.answer(answers) or r.body.answer(answers) or (SH if r.brings_branch else None)
        )
        if found:
            labels[key] = found
        else:
            unmatched[key] = r
    retries = {key: _retry(r) for key, r in unmatched.items()}
    answers.update(_ask(e.question for e in retries.values()))
    for key, r in unmatched.items():
        labels[key] = retries[key].answer(answers) or _fallback(r)
    return [labels[k] for k in keys]


def _retry(reading: Reading) -> Evidence:
    """The keyword rules' question for the subject with misspelt key words corrected."""
    subject = reading.fallback_subject
    fixed = corrected(subject) if len(subject) < 120 else None
    return keywords(fixed, reading.platform) if fixed else NOTHING


def _fallback(reading: Reading) -> str:
    """Nothing matched, not even with typos corrected: Project Metadata for content-free
    short GitHub texts, else Model Structure.

    Model Structure is the paper's most common GitHub type and what texts naming code
    without a more specific topic ("fix bug in forward", "add model") mean on a model
    repository.
    """
    if reading.platform == "GH" and not reading.has_body and content_free(reading.fallback_subject):
        return PM
    return MS


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
