"""The 15 change types as labelers spell them: one canonical name each, and the paper's repairs."""

from __future__ import annotations

import re

from core.vocabulary import CHANGE_TYPES

_NAMES = frozenset(CHANGE_TYPES)
_CANONICAL = {re.sub(r"[^a-z]", "", t.lower()): t for t in CHANGE_TYPES}
# Out-of-taxonomy answers the paper repaired by hand (Section 4.1.1.2), plus near spellings.
REPAIRS = {
    "bugfix": "Model Structure",
    "fix": "Model Structure",
    "addmodel": "Model Structure",
    "modelstructures": "Model Structure",
    "documentation": "External Documentation",
    "externaldocs": "External Documentation",
    "internaldocs": "Internal Documentation",
    "metadata": "Project Metadata",
    "dependencyupdate": "Update Dependency",
    "adddependencies": "Add Dependency",
    "removedependencies": "Remove Dependency",
    "updatedependencies": "Update Dependency",
}


def normalise_label(raw: object) -> str | None:
    """One of the 15 change types for a label-like string, or None.

    Case, spacing, punctuation and underscores are ignored ("model_structure",
    " MODEL STRUCTURE ") and the paper's repairs apply ("bug fix", "add model" ->
    Model Structure).
    """
    if not isinstance(raw, str):
        return None
    if raw in _NAMES:
        return raw  # already canonical (nearly every answer)
    key = re.sub(r"[^a-z]", "", raw.lower())
    return _CANONICAL.get(key) or REPAIRS.get(key)
