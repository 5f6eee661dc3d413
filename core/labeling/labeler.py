"""What every labeler offers: a name and a version (part of the cache key), one change type
per text, and optionally how sure it is of each and what it spent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


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
    """Anything that maps commit texts to change types (None = could not label).

    Optional attributes the labeling service reads: `batch_size` (texts per request: the
    service hands a paid labeler that many texts at a time and caches each call's labels at
    once; without it, all texts go in one call) and `usage` (a `Usage`, for the run summary).
    """

    @property
    def name(self) -> str:
        """Short labeler name (`rules`, `claude`); part of the cache key."""
        ...

    @property
    def version(self) -> str:
        """Rules, prompt or model version; labels of another version are not reused."""
        ...

    def label(self, texts: list[str], platforms: list[str]) -> list[str | None]:
        """One change type (or None) per text, in order; `platforms` are GH/HF."""
        ...


@runtime_checkable
class ConfidentLabeler(Labeler, Protocol):
    """A labeler that also says how sure it is of each label (0..1), e.g. a learned model;
    the service caches the confidence with the label."""

    def label_with_confidence(
        self, texts: list[str], platforms: list[str]
    ) -> list[tuple[str | None, float | None]]:
        """(change type or None, confidence or None) per text, in order."""
        ...


def answers(
    labeler: Labeler, texts: list[str], platforms: list[str]
) -> list[tuple[str | None, float | None]]:
    """(label, confidence) per text from any labeler (confidence None when it gives none)."""
    if isinstance(labeler, ConfidentLabeler):
        return labeler.label_with_confidence(texts, platforms)
    return [(label, None) for label in labeler.label(texts, platforms)]


def usage(labeler: Labeler) -> Usage:
    """What the labeler has spent so far (zero when it does not say)."""
    spent = getattr(labeler, "usage", None)
    return spent if isinstance(spent, Usage) else Usage()
