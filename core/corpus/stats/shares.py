"""Shares of families: per value, per cross-tabulation cell, per similarity bin.

The paper's Figures 20 and 22 (per pattern or lag), 7, 8, 21, 23, 24 (cross-tabulations), 6.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.corpus.stats.groups import ORDERS, ordered, rank


def share(families: pd.DataFrame, by: str, *, keep_all: bool = True) -> dict[str, float]:
    """Percent of families per value of `by` (one decimal), largest first.

    With `keep_all`, every vocabulary value of `by` appears (0.0 when absent).
    """
    counts = families[by].dropna().value_counts()
    total = int(counts.sum())
    names = list(ORDERS.get(by, ())) if keep_all else []
    pct = (counts / total * 100).round(1) if total else counts.astype(float)
    out = {str(k): float(v) for k, v in pct.items()}
    for name in names:
        out.setdefault(name, 0.0)
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], rank(by, kv[0]))))


def pattern_share(families: pd.DataFrame) -> dict[str, float]:
    """Figure 22: percent of families per synchronization pattern."""
    return share(families, "pattern")


def lag_share(families: pd.DataFrame) -> dict[str, float]:
    """Figure 20: percent of families per lag (GH First, HF First, Simultaneous)."""
    return share(families, "lag")


def share_table(families: pd.DataFrame, by: str) -> pd.DataFrame:
    """Families and percent per value of `by`, one column pair per corpus (`paper_families`,
    `paper_percent`, `mine_families`, ...), every vocabulary value a row."""
    names = list(ORDERS[by])
    table = pd.DataFrame({by: names})
    for corpus, part in families.groupby("corpus", sort=True):
        counts = part[by].value_counts()
        shares = share(part, by)
        table[f"{corpus}_families"] = [int(counts.get(n, 0)) for n in names]
        table[f"{corpus}_percent"] = [shares.get(n, 0.0) for n in names]
    return table


def count_table(families: pd.DataFrame, rows: str, cols: str) -> pd.DataFrame:
    """Families per (rows, cols) value pair, both sides in vocabulary order."""
    data = families.dropna(subset=[rows, cols])
    table = pd.crosstab(data[rows], data[cols])
    return table.reindex(index=ordered(table.index, rows), columns=ordered(table.columns, cols))


def crosstab_share(
    families: pd.DataFrame, rows: str, cols: str, normalize: str = "all"
) -> pd.DataFrame:
    """Percent of families per (rows, cols) cell, one decimal.

    `normalize="all"` divides by all families (the paper's Figures 21 and 24); `"columns"`
    divides within each column (Figure 23: patterns within each maturity group); `"index"`
    within each row.
    """
    table = count_table(families, rows, cols)
    if table.empty:
        return table.astype(float)
    if normalize == "columns":
        pct = table / table.sum(axis=0) * 100
    elif normalize == "index":
        pct = table.div(table.sum(axis=1), axis=0) * 100
    else:
        pct = table / table.to_numpy().sum() * 100
    return pct.round(1)


def nested(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    """A table as {row: {column: value}} (the JSON form of a cross-tabulation)."""
    return {str(r): {str(c): float(frame.loc[r, c]) for c in frame.columns} for r in frame.index}


def similarity_histogram(families: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """Figure 6: percent of families per similarity bin (equal-width bins over 0-1).

    Columns: left, right, n, percent (one decimal). Families without a score are left out.
    """
    scores = pd.to_numeric(families["similarity"], errors="coerce").dropna()
    # Rounded edges, so a score of exactly 0.6 falls in [0.6, 0.8) and not below it.
    edges = np.round(np.linspace(0.0, 1.0, bins + 1), 10)
    counts, _ = np.histogram(scores, bins=edges)
    total = counts.sum()
    return pd.DataFrame(
        {
            "left": edges[:-1],
            "right": edges[1:],
            "n": counts,
            "percent": np.round(counts / total * 100, 1) if total else np.zeros(bins),
        }
    )
