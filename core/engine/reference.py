"""A literal transcription of the paper's Appendix B for one family, in plain Python.

Slow on purpose: it is the oracle the vectorised engine is tested against, and what the fair
peer in benchmarks/bench_classify.py runs per family after splitting the frame once.
"""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

from core.vocabulary import GH_FIRST, HF_FIRST, PATTERN_TABLE, SIMULTANEOUS


def biweek(date: datetime, min_date: datetime) -> int:
    return (date - min_date).days // 14 + 1


def classify_one(commits: list[tuple[str, str, datetime]]) -> dict:
    """Classify one family from (platform, model, timestamp) tuples, as Algorithms 2-4 read."""
    if not commits:
        return {"lag": None, "sync_type": None, "intensity": None, "pattern": None}
    min_date = min(c[2] for c in commits)
    gh = {biweek(t, min_date) for p, _, t in commits if p == "GH"}
    per_model: dict[str, set[int]] = {}
    for p, m, t in commits:
        if p == "HF":
            per_model.setdefault(m, set()).add(biweek(t, min_date))
    hf_any = set().union(*per_model.values()) if per_model else set()
    first = 1
    lag = SIMULTANEOUS if first in gh and first in hf_any else GH_FIRST if first in gh else HF_FIRST
    if not gh or not per_model:
        return {"lag": lag, "sync_type": None, "intensity": None, "pattern": None}
    if all(periods <= gh for periods in per_model.values()):
        sync = "CS"
    elif hf_any & gh:
        sync = "PS"
    else:
        counts: dict[int, int] = {}
        for periods in per_model.values():
            for q in periods:
                counts[q] = counts.get(q, 0) + 1
        busy = [q for q, n in counts.items() if n >= 3]
        sync = "VS" if len(busy) >= 3 and not set(busy) & gh else "AS"
    if all(len(periods) <= 3 for periods in per_model.values()):
        intensity = "R"
    else:
        intensity = "S"
        for periods in per_model.values():
            overlap = sorted(periods & gh)
            run = 1
            for prev, cur in pairwise(overlap):
                run = run + 1 if cur == prev + 1 else 1
                if run >= 5:
                    intensity = "F"
            if intensity == "F":
                break
    return {
        "lag": lag,
        "sync_type": sync,
        "intensity": intensity,
        "pattern": PATTERN_TABLE.get((sync, intensity)),
    }


def switches_one(commits: list[tuple[str, str, datetime]]) -> list[tuple[str, str, int]]:
    """(source, target, whole days) for each adjacent pair of commits on different platforms."""
    ordered = sorted(commits, key=lambda c: (c[2], c[0]))
    return [(a[0], b[0], (b[2] - a[2]).days) for a, b in pairwise(ordered) if a[0] != b[0]]
