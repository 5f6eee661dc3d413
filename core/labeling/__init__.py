"""Change-type labels for commits: the labelers (`rules` offline and deterministic, `claude`
through the Anthropic API, `learned` offline from double-annotated real texts, `hybrid`
learned plus Claude for its unsure texts) and the service that labels a commit frame
through the cache.

Layout: `labeler` (the protocol every labeler follows: a `name`, a `version` that is part of
the cache key, `label(texts, platforms)`, optionally a confidence per label), `rules/`,
`claude`, `learned/`, `labels` (stored labels first, a labeler for the rest, all cached),
`corrections` (the user's labels, which always win), `frame` and `text` (what is labeled,
under which key), `names` (the 15 change types as labelers spell them), `texts_csv`,
`evaluation`, `comparison` (labelers side by side with bootstrap intervals).
A new labeler is one module and one entry in `_BUILDERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.labeling.labeler import Labeler


def _rules(model: str | None, batch_size: int | None) -> Labeler:
    from core.labeling.rules import RulesLabeler

    return RulesLabeler()


def _claude(model: str | None, batch_size: int | None) -> Labeler:
    from core.labeling.claude import DEFAULT_BATCH_SIZE, DEFAULT_MODEL, ClaudeLabeler, make_client

    return ClaudeLabeler(
        make_client(), model=model or DEFAULT_MODEL, batch_size=batch_size or DEFAULT_BATCH_SIZE
    )


def _learned(model: str | None, batch_size: int | None) -> Labeler:
    from core.labeling.learned.labeler import LearnedLabeler

    return LearnedLabeler()


def _hybrid(model: str | None, batch_size: int | None) -> Labeler:
    """Learned, and Claude for its unsure texts when ANTHROPIC_API_KEY is set."""
    from core.labeling.learned.labeler import HybridLabeler
    from core.settings import secret

    claude = _claude(model, batch_size) if secret("ANTHROPIC_API_KEY") else None
    return HybridLabeler(claude)


_BUILDERS: dict[str, Callable[[str | None, int | None], Labeler]] = {
    "rules": _rules,
    "claude": _claude,
    "learned": _learned,
    "hybrid": _hybrid,
}
DEFAULT_LABELER = "learned"  # beats the rules on the held-out test split (README, Labelers)
LABELERS = tuple(_BUILDERS)


def default_labeler() -> Labeler:
    """The labeler used where none is chosen (`DEFAULT_LABELER`, offline)."""
    return build_labeler(DEFAULT_LABELER)


def build_labeler(name: str, *, model: str | None = None, batch_size: int | None = None) -> Labeler:
    """The labeler called `name`; `claude` builds its client once from settings.

    Raises InputError for an unknown name or, for `claude`, a missing ANTHROPIC_API_KEY.
    """
    if name not in _BUILDERS:
        from core.errors import InputError

        raise InputError(f"Unknown labeler '{name}'; choose one of: {', '.join(LABELERS)}.")
    return _BUILDERS[name](model, batch_size)
