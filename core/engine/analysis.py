"""One call from a commits frame to each family's synchronization result, explained.

`analyze_commits` reads the commit frame into integer arrays once (core.engine.codes), then
assigns periods, runs Algorithms 2-4 and finds the switches for every family at once. It hands
back what it computed — the prepared frame, the switches frame, one result per family — so
reports and audits reuse it instead of recomputing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property

import numpy as np
import pandas as pd

from core.commits import categorical, commit_frame
from core.engine.codes import CommitCodes, commit_codes, utc_times
from core.engine.delays import Switch, SwitchRows, switch_table
from core.engine.explain import MAX_LISTED, Facts, explain
from core.engine.iso_times import iso_strings
from core.engine.patterns import Groups, Patterns, activity, classify, firsts
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
    `Switch` records on first use. `explanation` is written from `facts` on first use.
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
    facts: Facts = field(repr=False)
    reason: str | None = None
    t0: datetime | None = None

    @cached_property
    def switches(self) -> tuple[Switch, ...]:
        return self.switch_rows.records()

    @cached_property
    def explanation(self) -> tuple[str, ...]:
        return tuple(explain(self.facts))

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
    columns["family"] = categorical(codes.family, codes.families)
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


def _lists(groups: Groups, n: int) -> list[list[int]]:
    """Each family's values of a one-column `Groups`, as Python lists."""
    values, bounds = groups.values[0].tolist(), groups.offsets.tolist()
    return [values[bounds[f] : bounds[f + 1]] for f in range(n)]


def _outside(p: Patterns, n: int, models: list) -> tuple[list[list], list[int]]:
    """Per family: the first MAX_LISTED variants active in periods without GitHub activity,
    each with those periods, and how many such variants there are."""
    model, period = p.outside.values
    family = np.repeat(np.arange(n), p.outside.sizes())
    starts = np.flatnonzero(firsts(family, model))
    ends = np.append(starts[1:], len(model))
    owner = family[starts]
    rank = np.arange(len(starts)) - np.searchsorted(owner, owner)
    shown: list[list] = [[] for _ in range(n)]
    periods = period.tolist()
    keep = rank < MAX_LISTED
    for f, m, a, b in zip(
        owner[keep].tolist(),
        model[starts[keep]].tolist(),
        starts[keep].tolist(),
        ends[keep].tolist(),
        strict=True,
    ):
        shown[f].append((models[m], periods[a:b]))
    return shown, np.bincount(owner, minlength=n).tolist()


def _assemble(
    codes: CommitCodes, p: Patterns, switches: pd.DataFrame, t0: np.ndarray
) -> tuple[FamilyAnalysis, ...]:
    n = codes.n_families
    n_hf = np.bincount(codes.family[codes.is_hf], minlength=n)
    n_gh = np.bincount(codes.family, minlength=n) - n_hf
    switch_family = np.asarray(switches["family"].array.codes)
    bounds = np.searchsorted(switch_family, np.arange(n + 1)).tolist()
    n_switches = np.diff(bounds)
    day_sums = np.bincount(switch_family, weights=switches["days"].to_numpy(), minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_days = np.round(day_sums / n_switches, 2).tolist()
    models = codes.models.tolist()
    models.append("")  # code -1: no such variant
    busiest = [
        (models[m], k) for m, k in zip(p.busiest_model.tolist(), p.busiest_n.tolist(), strict=True)
    ]
    runs = [
        (models[m], s, k) if k else None
        for m, s, k in zip(
            p.run_model.tolist(), p.run_start.tolist(), p.run_length.tolist(), strict=True
        )
    ]
    outside, n_outside = _outside(p, n, models)
    co_active, vs_periods = _lists(p.co_active, n), _lists(p.vs_periods, n)
    starts = iso_strings(t0)
    t0s = [
        t.replace(tzinfo=UTC) for t in t0.view("datetime64[ns]").astype("datetime64[us]").tolist()
    ]
    columns = zip(
        codes.families.tolist(),
        p.lag.tolist(),
        p.sync_type.tolist(),
        p.intensity.tolist(),
        p.pattern.tolist(),
        p.has_gh.tolist(),
        p.has_hf.tolist(),
        n_gh.tolist(),
        n_hf.tolist(),
        p.n_variants.tolist(),
        p.n_periods.tolist(),
        p.n_gh_periods.tolist(),
        strict=True,
    )
    out = []
    for f, (name, lag, sync, intensity, pattern, has_gh, has_hf, *counts) in enumerate(columns):
        n_gh_commits, n_hf_commits, n_variants, n_periods, n_gh_periods = counts
        facts = Facts(
            lag=lag or None,
            sync_type=sync,
            intensity=intensity,
            pattern=pattern,
            start=starts[f][:10],
            n_gh_periods=n_gh_periods,
            n_variants=n_variants,
            co_active=co_active[f],
            outside=outside[f],
            n_outside=n_outside[f],
            vs_periods=vs_periods[f],
            busiest=busiest[f],
            run=runs[f],
        )
        out.append(
            FamilyAnalysis(
                family=str(name),
                lag=facts.lag,
                sync_type=sync,
                intensity=intensity,
                pattern=pattern,
                n_gh_commits=n_gh_commits,
                n_hf_commits=n_hf_commits,
                n_variants=n_variants,
                n_periods=n_periods,
                co_active_periods=tuple(co_active[f]),
                switch_rows=SwitchRows(switches, bounds[f], bounds[f + 1]),
                mean_switch_days=mean_days[f] if bounds[f + 1] > bounds[f] else None,
                facts=facts,
                reason=None if has_gh and has_hf else ONLY_GH if has_gh else ONLY_HF,
                t0=t0s[f],
            )
        )
    return tuple(out)
