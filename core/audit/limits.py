"""What an audit could not check (`Limitation`), each said once, with a typed reason (`LimitKind`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.audit.plain import _Plain


class LimitKind(StrEnum):
    """Why something was not checked; pages and the gate read this, never the sentence."""

    OFFLINE = "offline"  # the user asked for no network
    UNREACHABLE = "unreachable"  # a source did not answer (network, server, rate limit, crash)
    GATED = "gated"  # a source refused: gated, private, or the token may not read it
    NOT_FOUND = "not_found"  # a source says the repository does not exist
    NO_LISTING = "no_listing"  # a file listing is missing (no client, truncated, not asked)
    NO_REPO = "no_repo"  # the family has no GitHub repository
    NO_COMMITS = "no_commits"  # no cached commits for a repository or a side
    NO_LABELS = "no_labels"  # commits not labeled (labeling failed or not run)
    NO_CORPUS = "no_corpus"  # the paper's corpus is not loaded (or lacks a column)


# SourceError.kind (core.errors) -> LimitKind
_SOURCE_KINDS = {
    "gated": LimitKind.GATED,
    "private": LimitKind.GATED,
    "auth": LimitKind.GATED,
    "not_found": LimitKind.NOT_FOUND,
}


def source_kind(kind: str) -> LimitKind:
    """The limitation for a `SourceError.kind`: refusals, absence, else unreachable."""
    return _SOURCE_KINDS.get(kind, LimitKind.UNREACHABLE)


@dataclass(frozen=True)
class Limitation(_Plain):
    """Something the audit could not check, and why (`kind` typed, `reason` for people)."""

    area: str  # "stale" | "drift" | "isolated" | "standing" | "labels"
    kind: LimitKind
    reason: str
    repo: str | None = None


def _dedupe(limits: list[Limitation]) -> list[Limitation]:
    seen, out = set(), []
    for lim in limits:
        key = (lim.area, lim.repo, lim.reason)
        if key not in seen:
            seen.add(key)
            out.append(lim)
    return out
