"""Spearman rank correlations, and the pattern ranked by coordination (the paper's Figure 25)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
from scipy import stats

from core.corpus.stats.plain import PlainResult


@dataclass(frozen=True)
class SpearmanResult(PlainResult):
    """Spearman rank correlation between two family measures."""

    x: str
    y: str
    rho: float
    p: float
    n: int
    method: str = "Spearman rank correlation (scipy.stats.spearmanr)"


def spearman(families: pd.DataFrame, x: str, y: str) -> SpearmanResult | None:
    """Spearman correlation of two numeric family columns (None with fewer than 3 pairs)."""
    data = families[[x, y]].apply(pd.to_numeric, errors="coerce").dropna()
    if len(data) < 3 or data[x].nunique() < 2 or data[y].nunique() < 2:
        return None
    result = stats.spearmanr(data[x], data[y])
    return SpearmanResult(
        x=x, y=y, rho=float(result.statistic), p=float(result.pvalue), n=len(data)
    )


def _coordination_measure(families: pd.DataFrame) -> str:
    # Every family needs the measure; a merged corpus (paper + mine) uses the proxy for all.
    measure = "co_active_periods"
    if measure not in families or families[measure].isna().any():
        return "n_switches"
    return measure


def pattern_coordination_rank(families: pd.DataFrame) -> pd.Series:
    """Each family's pattern as an ordinal coordination level (1 = least coordinated).

    The paper ranks patterns by their families' mean number of co-active biweekly periods
    (Section 4.3.2.4). SyncLens' own families carry that count (`co_active_periods`); the
    replication data does not, so for those the mean number of switches per family stands in
    (a switch is a hand-over between platforms, which co-activity produces).
    """
    means = families.groupby("pattern")[_coordination_measure(families)].mean()
    ranks = means.rank(method="dense")
    return families["pattern"].map(ranks)


def contributor_spearman(families: pd.DataFrame) -> dict[str, SpearmanResult | None]:
    """Spearman of pattern coordination level vs contributors on GH and on HF (Fig. 25)."""
    data = families.assign(coordination=pattern_coordination_rank(families))
    basis = (
        "mean co-active periods"
        if _coordination_measure(families) == "co_active_periods"
        else "mean switches per family (proxy: the data has no co-active periods)"
    )
    out: dict[str, SpearmanResult | None] = {}
    for platform, column in (("GH", "n_gh"), ("HF", "n_hf")):
        result = spearman(data, "coordination", column) if column in data else None
        out[platform] = (
            None
            if result is None
            else replace(result, method=f"{result.method}; patterns ranked by {basis}")
        )
    return out
