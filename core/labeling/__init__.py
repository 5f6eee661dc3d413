"""Change-type labelers: `rules` (offline, deterministic) and `claude` (Anthropic API).

Every labeler follows `core.labeling.labeler.Labeler`: a `name`, a `version` (rules or prompt version,
part of the cache key) and `label(texts, platforms) -> list[str | None]`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.labeling.labeler import Labeler

LABELERS = ("rules", "claude")


def build_labeler(name: str, *, model: str | None = None, batch_size: int | None = None) -> Labeler:
    """The labeler called `name`; `claude` builds its client once from settings.

    Raises InputError for an unknown name or, for `claude`, a missing ANTHROPIC_API_KEY.
    """
    from core.errors import InputError

    if name == "rules":
        from core.labeling.rules import RulesLabeler

        return RulesLabeler()
    if name == "claude":
        from core.labeling.claude import (
            DEFAULT_BATCH_SIZE,
            DEFAULT_MODEL,
            ClaudeLabeler,
            make_client,
        )

        return ClaudeLabeler(
            make_client(), model=model or DEFAULT_MODEL, batch_size=batch_size or DEFAULT_BATCH_SIZE
        )
    raise InputError(f"Unknown labeler '{name}'; choose one of: {', '.join(LABELERS)}.")
