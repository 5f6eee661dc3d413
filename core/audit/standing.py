"""Where the family stands: pattern, lag and delays against the paper and the corpus.

The early/late split is at the midpoint of the family's time span (first to last commit, both
platforms); each half is classified on its own by `core.engine.analysis.analyze`, as the replication
package's RQ2_early_late_pattern.csv does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd

from core.audit.limits import Limitation, LimitKind
from core.audit.plain import _Plain, _plain
from core.commits import commit_frame
from core.engine.analysis import FamilyAnalysis, analyze, analyze_commits
from core.engine.delays import summarize_delays
from core.engine.similarity import change_type_similarity
from core.vocabulary import PATTERN_INFO, normalise_pattern

if TYPE_CHECKING:
    from core.corpus.stats import Placement


@dataclass(frozen=True)
class HalfPattern(_Plain):
    """The family's pattern within one half of its history."""

    half: str  # "early" | "late"
    start: datetime
    end: datetime
    n_commits: int
    pattern: str | None
    lag: str | None
    sync_type: str | None
    intensity: str | None
    reason: str | None = None


@dataclass(frozen=True)
class FamilyStanding(_Plain):
    """Pattern, lag and delays, against the paper's figures and corpus percentiles."""

    pattern: str | None
    pattern_code: str | None
    pattern_description: str | None
    lag: str | None
    sync_type: str | None
    intensity: str | None
    n_variants: int
    n_gh_commits: int
    n_hf_commits: int
    n_switches: int
    mean_days: float | None
    median_days: float | None
    gh_to_hf_mean: float | None
    hf_to_gh_mean: float | None
    paper_mean_days: float | None  # the paper's mean for this pattern
    paper_share: float | None  # % of the paper's families with this pattern
    similarity: float | None
    placement: Placement | None
    early: HalfPattern | None
    late: HalfPattern | None
    corpus_same_transition: float | None  # % of corpus families with this early pattern
    explanation: tuple[str, ...] = ()
    reason: str | None = None

    def to_dict(self) -> dict:
        out = _plain(self)
        out["placement"] = self.placement.to_dict() if self.placement else None
        return out


def _engine_frame(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return commit_frame(frame[["platform", "repo", "timestamp"]], family=name)


def _half(name: str, half: str, part: pd.DataFrame) -> HalfPattern:
    start, end = part["timestamp"].iloc[0], part["timestamp"].iloc[-1]
    found = analyze(_engine_frame(part, name)) if len(part) else []
    fa = found[0] if found else None
    return HalfPattern(
        half=half,
        start=start.to_pydatetime(),
        end=end.to_pydatetime(),
        n_commits=len(part),
        pattern=fa.pattern if fa else None,
        lag=fa.lag if fa else None,
        sync_type=fa.sync_type if fa else None,
        intensity=fa.intensity if fa else None,
        reason=fa.reason if fa else "no commits",
    )


def _standing(
    name: str,
    frame: pd.DataFrame,
    corpus: pd.DataFrame | None,
    labeled: bool,
    limits: list[Limitation],
) -> FamilyStanding | None:
    if frame.empty:
        limits.append(
            Limitation("standing", LimitKind.NO_COMMITS, "No cached commits: nothing to classify.")
        )
        return None
    computed = analyze_commits(_engine_frame(frame, name))
    fa: FamilyAnalysis = computed.families[0]
    delays = summarize_delays(computed.switches)
    similarity = None
    if labeled:
        sim = change_type_similarity(frame.assign(family=name))
        similarity = None if sim.empty or pd.isna(sim.iloc[0]) else round(float(sim.iloc[0]), 3)
    early = late = None
    t_min, t_max = frame["timestamp"].iloc[0], frame["timestamp"].iloc[-1]
    if t_max > t_min:
        mid = t_min + (t_max - t_min) / 2
        early = _half(name, "early", frame[frame["timestamp"] <= mid])
        late = _half(name, "late", frame[frame["timestamp"] > mid])
    placement = transition = None
    if corpus is None or corpus.empty:
        limits.append(
            Limitation(
                "standing",
                LimitKind.NO_CORPUS,
                "The paper's corpus is not in the cache, so no percentiles "
                "(run `python -m core corpus import`).",
            )
        )
    else:
        from core.corpus.stats import place_family  # scipy: only when there is a corpus

        try:
            placement = place_family(
                corpus,
                {
                    "family": name,
                    "pattern": fa.pattern,
                    "mean_switch_days": delays.mean_days,
                    "similarity": similarity,
                    "n_variants": fa.n_variants,
                },
            )
        except KeyError as err:
            limits.append(
                Limitation(
                    "standing", LimitKind.NO_CORPUS, f"The corpus table lacks a column ({err})."
                )
            )
        transition = _transition_share(corpus, early, late)
    info = PATTERN_INFO.get(fa.pattern or "", {})
    return FamilyStanding(
        pattern=fa.pattern,
        pattern_code=info.get("code"),
        pattern_description=info.get("description"),
        lag=fa.lag,
        sync_type=fa.sync_type,
        intensity=fa.intensity,
        n_variants=fa.n_variants,
        n_gh_commits=fa.n_gh_commits,
        n_hf_commits=fa.n_hf_commits,
        n_switches=delays.n_switches,
        mean_days=delays.mean_days,
        median_days=delays.median_days,
        gh_to_hf_mean=delays.gh_to_hf_mean,
        hf_to_gh_mean=delays.hf_to_gh_mean,
        paper_mean_days=info.get("paper_mean_days"),
        paper_share=info.get("paper_share"),
        similarity=similarity,
        placement=placement,
        early=early,
        late=late,
        corpus_same_transition=transition,
        explanation=fa.explanation,
        reason=fa.reason,
    )


def _transition_share(
    corpus: pd.DataFrame, early: HalfPattern | None, late: HalfPattern | None
) -> float | None:
    """% of corpus families starting with this early pattern that ended in this late one."""
    if early is None or late is None or not early.pattern or not late.pattern:
        return None
    if "early_pattern" not in corpus or "late_pattern" not in corpus:
        return None
    e = corpus["early_pattern"].map(normalise_pattern)
    lt = corpus["late_pattern"].map(normalise_pattern)
    peers = e == early.pattern
    if not peers.any():
        return None
    return round(float((lt[peers] == late.pattern).mean() * 100), 1)
