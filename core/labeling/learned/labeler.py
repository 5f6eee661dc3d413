"""The `learned` labeler (the shipped linear model, a confidence per label) and `hybrid`
(learned, with its low-confidence texts sent to Claude when an Anthropic key is set)."""

from __future__ import annotations

from functools import cache

import numpy as np

from core.labeling.labeler import Labeler, Usage
from core.labeling.learned.model import LinearModel, load_model

NAME, HYBRID = "learned", "hybrid"
HYBRID_THRESHOLD = 0.5  # below this confidence a text goes to Claude (about 1 in 5 real texts)


@cache
def shipped_model() -> LinearModel:
    """The model in the package, loaded once per process."""
    return load_model()


class LearnedLabeler:
    """Offline and deterministic; `label_with_confidence` gives the model's probability."""

    name = NAME

    def __init__(self, model: LinearModel | None = None) -> None:
        self.model = model or shipped_model()

    @property
    def version(self) -> str:
        return self.model.version

    def label(self, texts: list[str], platforms: list[str]) -> list[str | None]:
        return [lb for lb, _ in self.label_with_confidence(texts, platforms)]

    def label_with_confidence(
        self, texts: list[str], platforms: list[str]
    ) -> list[tuple[str | None, float | None]]:
        if not texts:
            return []
        probs = self.model.probabilities(texts, platforms)
        best = probs.argmax(axis=1)
        sure = probs[np.arange(len(texts)), best]
        empty = [not (t or "").strip() for t in texts]
        return [
            (None, None) if blank else (self.model.labels[b], round(float(s), 4))
            for b, s, blank in zip(best, sure, empty, strict=True)
        ]


class HybridLabeler:
    """The learned labeler; texts it is unsure of (confidence < threshold) are asked of
    `claude` when there is one, else they keep the learned label. `deferred` counts the
    texts below the threshold (sent to Claude, or that would have been)."""

    name = HYBRID

    def __init__(
        self,
        claude: Labeler | None = None,
        learned: LearnedLabeler | None = None,
        threshold: float = HYBRID_THRESHOLD,
    ) -> None:
        self.learned = learned or LearnedLabeler()
        self.claude = claude
        self.threshold = threshold
        self.deferred = 0
        if claude is not None:  # the service saves labels after each call of this size
            self.batch_size = 2_000

    @property
    def version(self) -> str:
        other = self.claude.version if self.claude is not None else "offline"
        return f"{self.learned.version}+{other}@{self.threshold:g}"

    @property
    def usage(self) -> Usage:
        spent = getattr(self.claude, "usage", None)
        return spent if isinstance(spent, Usage) else Usage()

    def label(self, texts: list[str], platforms: list[str]) -> list[str | None]:
        return [lb for lb, _ in self.label_with_confidence(texts, platforms)]

    def label_with_confidence(
        self, texts: list[str], platforms: list[str]
    ) -> list[tuple[str | None, float | None]]:
        out = self.learned.label_with_confidence(texts, platforms)
        unsure = [i for i, (lb, c) in enumerate(out) if lb and c is not None and c < self.threshold]
        self.deferred += len(unsure)
        if self.claude is None or not unsure:
            return out
        asked = self.claude.label([texts[i] for i in unsure], [platforms[i] for i in unsure])
        for i, label in zip(unsure, asked, strict=True):
            if label:  # Claude's answer has no confidence; none keeps the learned label
                out[i] = (label, None)
        return out
