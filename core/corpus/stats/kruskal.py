"""Kruskal-Wallis of switch days across groups, and Dunn's post-hoc test (the paper's Table 3)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from core.corpus.stats.groups import ordered
from core.corpus.stats.plain import PlainResult

ALPHA = 0.05


@dataclass(frozen=True)
class KruskalResult(PlainResult):
    """Kruskal-Wallis H test of switch days across the groups of `by`."""

    by: str
    statistic: float
    p: float
    df: int
    n: int
    epsilon_squared: float
    groups: dict[str, int]  # group -> number of switches
    method: str = "Kruskal-Wallis H test (scipy.stats.kruskal), effect size epsilon²"


def kruskal(switches: pd.DataFrame, by: str) -> KruskalResult | None:
    """Kruskal-Wallis of switch days across groups of `by` (None with fewer than 2 groups)."""
    data = switches.dropna(subset=[by])
    groups = {str(k): g["days"].to_numpy(dtype=float) for k, g in data.groupby(by)}
    groups = {k: groups[k] for k in ordered(groups, by) if len(groups[k])}
    if len(groups) < 2:
        return None
    n = sum(len(v) for v in groups.values())
    try:
        result = stats.kruskal(*groups.values())
    except ValueError:  # every value identical
        return None
    h = float(result.statistic)
    return KruskalResult(
        by=by,
        statistic=h,
        p=float(result.pvalue),
        df=len(groups) - 1,
        n=n,
        epsilon_squared=h / (n - 1) if n > 1 else float("nan"),
        groups={k: len(v) for k, v in groups.items()},
    )


def dunn_bonferroni(switches: pd.DataFrame, by: str = "pattern") -> pd.DataFrame:
    """Dunn's post-hoc test with Bonferroni-adjusted p-values of switch days (Table 3)."""
    import scikit_posthocs as sp  # imports matplotlib; loaded only when a Dunn test is asked

    data = switches.dropna(subset=[by])[[by, "days"]]
    if data[by].nunique() < 2:
        return pd.DataFrame()
    data = data.assign(days=data["days"].astype(float))
    matrix = sp.posthoc_dunn(data, val_col="days", group_col=by, p_adjust="bonferroni")
    order = ordered(matrix.index, by)
    return matrix.loc[order, order]


def compare_dunn(computed: pd.DataFrame, published: pd.DataFrame) -> float | None:
    """Largest absolute difference between two Dunn matrices over their shared cells."""
    if computed.empty or published.empty:
        return None
    rows = [r for r in computed.index if r in published.index]
    cols = [c for c in computed.columns if c in published.columns]
    if not rows or not cols:
        return None
    diff = computed.loc[rows, cols].to_numpy(float) - published.loc[rows, cols].to_numpy(float)
    return float(np.nanmax(np.abs(diff)))


def significant_pairs(matrix: pd.DataFrame, alpha: float = ALPHA) -> tuple[int, int]:
    """(pairs with p < alpha, all pairs) in the lower triangle of a Dunn matrix."""
    if matrix.empty:
        return 0, 0
    values = matrix.to_numpy(dtype=float)
    lower = values[np.tril_indices_from(values, k=-1)]
    return int((lower < alpha).sum()), len(lower)
