"""What an audit could not check (`Limitation`), each said once."""

from __future__ import annotations

from dataclasses import dataclass

from core.audit.plain import _Plain


@dataclass(frozen=True)
class Limitation(_Plain):
    """Something the audit could not check, and why."""

    area: str  # "stale" | "drift" | "isolated" | "standing" | "labels"
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
