"""One call from a commits frame to each family's synchronization result, explained.

`analyze_commits` reads the commit frame into integer arrays once (core.engine.codes), then
assigns periods, runs Algorithms 2-4 and finds the switches for every family at once. It hands
back what it computed — the prepared frame, the switches frame, one result per family — so
reports and audits reuse it instead of recomputing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property

import numpy as np
import pandas as pd

from core.commits import commit_frame
from core.engine.codes import CommitCodes, commit_codes, utc_times
from core.engine.delays import Switch, SwitchRows, switch_table
from core.engine.explain import MAX_LISTED, Facts, explain
from core.engine.patterns import Patterns, activity, classify, firsts
from core.engine.periods import family_t0, hf_dates, period_numbers

__all__ = ["Analysis", "FamilyAnalysis", "Switch", "analyze", "analyze_commits", "prepare"]

ONLY_HF = "only Hugging Face commits: the GitHub repository has none in this data"
ONLY_GH = "only GitHub commits: no Hugging Face variant has commits in this data"


@dataclass(frozen=True)
class FamilyAnalysis:
    """A family's synchronization measures and why it got them.

    `pattern` is None (with a `reason`) when commits exist on one platform only.
    `n_periods` is the number of biweekly periods the history spans (1 to the last active).
    `switch_rows` is the family's block of the switches frame; `switches` reads it as
    `Switch` records on first use.
    """

    family: str
    lag: str | None
    sync_type: str | None
    intensity: str | None
    pattern: str | None
    n_gh_commits: int
    n_hf_commits: int
    n_variants: int
    n_periods: int
    co_active_periods: tuple[int, ...]
    switch_rows: SwitchRows = field(repr=False, compare=False)
    mean_switch_days: float | None
    explanation: tuple[str, ...]
    reason: str | None = None
    t0: datetime | None = None

    @cached_property
    def switches(self) -> tuple[Switch, ...]:
        return self.switch_rows.records()

    @property
    def n_switches(self) -> int:
        return len(self.switch_rows)

    def to_dict(self, *, switches: bool = True) -> dict:
        """The `classify --format jsonl` object (contract keys, in contract order); without
        `switches`, an empty list stands in for them."""
        out = {
            "family": self.family,
            "lag": self.lag,
            "sync_type": self.sync_type,
            "intensity": self.intensity,
            "pattern": self.pattern,
            "n_gh_commits": self.n_gh_commits,
            "n_hf_commits": self.n_hf_commits,
            "n_variants": self.n_variants,
            "n_periods": self.n_periods,
            "co_active_periods": list(self.co_active_periods),
            "switches": [s.to_dict() for s in self.switches] if switches else [],
            "mean_switch_days": self.mean_switch_days,
            "explanation": list(self.explanation),
        }
        if self.reason is not None:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class Analysis:
    """Everything `analyze_commits` computed, handed back so reports and audits reuse it:
    the prepared frame (periods and t0 assigned), every switch, one result per family."""

    data: pd.DataFrame
    switches: pd.DataFrame
    families: tuple[FamilyAnalysis, ...]

    def family(self, name: str) -> FamilyAnalysis | None:
        return next((f for f in self.families if f.family == name), None)

    def switches_of(self, name: str) -> pd.DataFrame:
        found = self.family(name)
        return found.switch_rows.rows() if found else self.switches.iloc[0:0]


@dataclass(frozen=True)
class _Prepared:
    data: pd.DataFrame
    codes: CommitCodes
    period: np.ndarray
    t0: np.ndarray  # per family, int64 ns


def _prepare(frame: pd.DataFrame, paper_compatible: bool) -> _Prepared:
    data = commit_frame(frame)
    codes = commit_codes(data)
    columns = {}
    if paper_compatible:
        codes = replace(codes, ns=hf_dates(codes.ns, codes.is_hf))
        columns["timestamp"] = utc_times(codes.ns, data.index)
    t0 = family_t0(codes.family, codes.ns, codes.n_families)
    t0_rows = t0[codes.family]
    period = period_numbers(codes.ns, t0_rows)
    # Categorical family: groupby in reports uses integer codes instead of hashing strings.
    columns["family"] = pd.Categorical.from_codes(codes.family, codes.families)
    data = data.assign(**columns, period=period, t0=utc_times(t0_rows, data.index))
    return _Prepared(data, codes, period, t0)


def prepare(frame: pd.DataFrame, *, paper_compatible: bool = False) -> pd.DataFrame:
    """The commit frame (`core.commits`) with periods assigned, ready for Algorithms 2-4."""
    return _prepare(frame, paper_compatible).data


def analyze_commits(frame: pd.DataFrame, *, paper_compatible: bool = False) -> Analysis:
    """Analyse every family in a commit frame (columns family?, platform, model, timestamp).

    `paper_compatible` truncates HF times to their UTC date first, as the paper's data had
    day resolution. Families are ordered by name.
    """
    prepared = _prepare(frame, paper_compatible)
    switches = switch_table(prepared.codes)
    if prepared.data.empty:
        return Analysis(prepared.data, switches, ())
    patterns = classify(activity(prepared.codes, prepared.period), prepared.codes.n_families)
    families = _assemble(prepared.codes, patterns, switches, prepared.t0)
    return Analysis(prepared.data, switches, families)


def analyze(frame: pd.DataFrame, *, paper_compatible: bool = False) -> list[FamilyAnalysis]:
    """Each family's result (see `analyze_commits`, which also returns what it computed)."""
    return list(analyze_commits(frame, paper_compatible=paper_compatible).families)


def _outside(p: Patterns, family: int, models: np.ndarray) -> tuple[list, int]:
    """The first variants active outside GitHub's periods, with their periods, and how many
    such variants there are."""
    lo, hi = p.outside.offsets[family], p.outside.offsets[family + 1]
    model, period = p.outside.values[0][lo:hi], p.outside.values[1][lo:hi]
    starts = np.flatnonzero(firsts(model))
    ends = [*starts[1 : MAX_LISTED + 1].tolist(), len(model)]
    shown = [
        (models[model[a]], period[a:b].tolist())
        for a, b in zip(starts[:MAX_LISTED].tolist(), ends, strict=False)
    ]
    return shown, len(starts)


def _assemble(
    codes: CommitCodes, p: Patterns, switches: pd.DataFrame, t0: np.ndarray
) -> tuple[FamilyAnalysis, ...]:
    n = codes.n_families
    n_hf = np.bincount(codes.family[codes.is_hf], minlength=n)
    n_gh = np.bincount(codes.family, minlength=n) - n_hf
    bounds = np.searchsorted(switches["family"].array.codes, np.arange(n + 1)).tolist()
    n_switches = np.diff(bounds)
    day_sums = np.bincount(
        switches["family"].array.codes, weights=switches["days"].to_numpy(), minlength=n
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_days = np.round(day_sums / n_switches, 2).tolist()
    models = codes.models
    lag, sync, intensity, pattern = (p.lag.tolist(), p.sync_type, p.intensity, p.pattern)
    has_gh, has_hf = p.has_gh.tolist(), p.has_hf.tolist()
    busiest_model, busiest_n = p.busiest_model.tolist(), p.busiest_n.tolist()
    run_model, run_start, run_length = (
        p.run_model.tolist(),
        p.run_start.tolist(),
        p.run_length.tolist(),
    )
    n_variants, n_periods = p.n_variants.tolist(), p.n_periods.tolist()
    n_gh_periods = p.n_gh_periods.tolist()
    counts = n_gh.tolist(), n_hf.tolist(), n_switches.tolist()
    out = []
    for f, name in enumerate(codes.families.tolist()):
        start = pd.Timestamp(int(t0[f]), tz="UTC").to_pydatetime(warn=False)
        co_active = p.co_active.of(f)[0]
        outside, n_outside = ([], 0)
        if sync[f] not in (None, "CS"):
            outside, n_outside = _outside(p, f, models)
        facts = Facts(
            lag=lag[f] or None,
            sync_type=sync[f],
            intensity=intensity[f],
            pattern=pattern[f],
            start=start.strftime("%Y-%m-%d"),
            n_gh_periods=n_gh_periods[f],
            n_variants=n_variants[f],
            co_active=co_active,
            outside=outside,
            n_outside=n_outside,
            vs_periods=p.vs_periods.of(f)[0] if sync[f] == "VS" else [],
            busiest=(models[busiest_model[f]] if busiest_model[f] >= 0 else "", busiest_n[f]),
            run=(models[run_model[f]], run_start[f], run_length[f]) if run_length[f] else None,
        )
        reason = None if has_gh[f] else ONLY_HF
        if reason is None and not has_hf[f]:
            reason = ONLY_GH
        out.append(
            FamilyAnalysis(
                family=str(name),
                lag=facts.lag,
                sync_type=facts.sync_type,
                intensity=facts.intensity,
                pattern=facts.pattern,
                n_gh_commits=counts[0][f],
                n_hf_commits=counts[1][f],
                n_variants=n_variants[f],
                n_periods=n_periods[f],
                co_active_periods=tuple(co_active),
                switch_rows=SwitchRows(switches, bounds[f], bounds[f + 1]),
                mean_switch_days=mean_days[f] if counts[2][f] else None,
                explanation=tuple(explain(facts)),
                reason=reason,
                t0=start,
            )
        )
    return tuple(out)
