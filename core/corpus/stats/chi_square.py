"""Chi-square tests: independence of two attributes (with Cramér's V), and goodness of fit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import association

from core.corpus.stats.groups import ordered
from core.corpus.stats.plain import PlainResult
from core.corpus.stats.shares import count_table


@dataclass(frozen=True)
class ChiSquareResult(PlainResult):
    """Chi-square test of independence between two family attributes, with Cramér's V."""

    rows: str
    cols: str
    statistic: float
    p: float
    dof: int
    n: int
    cramers_v: float
    table: dict[str, dict[str, int]]  # row value -> column value -> count
    method: str = "chi-square test of independence (scipy), effect size Cramér's V"


@dataclass(frozen=True)
class GoodnessOfFit(PlainResult):
    """Chi-square goodness of fit of observed counts against published shares."""

    statistic: float
    p: float
    n: int
    method: str = "chi-square goodness of fit (scipy.stats.chisquare)"


def _independence(table: pd.DataFrame, rows: str, cols: str) -> ChiSquareResult | None:
    if table.shape[0] < 2 or table.shape[1] < 2:
        return None
    counts = table.to_numpy()
    result = stats.chi2_contingency(counts)
    return ChiSquareResult(
        rows=rows,
        cols=cols,
        statistic=float(result.statistic),
        p=float(result.pvalue),
        dof=int(result.dof),
        n=int(counts.sum()),
        cramers_v=float(association(counts, method="cramer")),
        table={str(r): {str(c): int(table.loc[r, c]) for c in table.columns} for r in table.index},
    )


def chi_square(families: pd.DataFrame, rows: str, cols: str) -> ChiSquareResult | None:
    """Chi-square test of independence of two family attributes, with Cramér's V.

    None when the table has fewer than 2 rows or 2 columns (nothing to test).
    """
    return _independence(count_table(families, rows, cols), rows, cols)


def chi_square_counts(
    counts: pd.DataFrame, rows: str, cols: str, value: str = "n"
) -> ChiSquareResult | None:
    """`chi_square` for already counted data (one row per (rows, cols, count) record).

    Used for commit-level tables such as platform x change type (paper, Figures 4 and 5),
    where the counts come aggregated. None when a side has fewer than 2 values.
    """
    data = counts.dropna(subset=[rows, cols])
    table = data.pivot_table(index=rows, columns=cols, values=value, aggfunc="sum", fill_value=0)
    table = table.reindex(index=ordered(table.index, rows), columns=ordered(table.columns, cols))
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    return _independence(table, rows, cols)


def goodness_of_fit(
    families: pd.DataFrame, by: str, published: dict[str, float]
) -> GoodnessOfFit | None:
    """The families' counts per value of `by` against the published shares (None if empty)."""
    counts = families[by].value_counts()
    observed = np.array([counts.get(n, 0) for n in published], dtype=float)
    if observed.sum() == 0:
        return None
    expected = np.array(list(published.values()), dtype=float)
    expected = expected / expected.sum() * observed.sum()
    result = stats.chisquare(observed, expected)
    return GoodnessOfFit(float(result.statistic), float(result.pvalue), int(observed.sum()))
