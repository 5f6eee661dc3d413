"""Change types of the user's labeled families: shares per platform and pattern, and tests.

The paper's Figures 4, 5, 18 and 19, and the GH-vs-HF chi-square tests behind them.
"""

from __future__ import annotations

import pandas as pd

from core.corpus.corpora import MINE
from core.corpus.stats.chi_square import ChiSquareResult, chi_square_counts
from core.vocabulary import CHANGE_GROUPS, CHANGE_TYPES, PATTERNS


def labeled(change_types: pd.DataFrame | None, families: pd.DataFrame) -> pd.DataFrame | None:
    """The label counts (`mine_change_types`) of the families shown that are the user's, with
    their pattern and maturity group; None when none of them has a labeled commit."""
    if change_types is None or change_types.empty:
        return None
    mine = families[families["corpus"] == MINE][["family", "pattern", "age_group"]]
    data = change_types.merge(mine, on="family", how="inner")
    return None if data.empty or data["n"].sum() == 0 else data


def platform_shares(data: pd.DataFrame) -> pd.DataFrame:
    """Labeled commits per (platform, label) and their percent of the platform's commits."""
    shares = data.groupby(["platform", "label"], as_index=False)["n"].sum()
    shares["share"] = 100 * shares["n"] / shares.groupby("platform")["n"].transform("sum")
    return shares


def pattern_label_matrix(data: pd.DataFrame, platform: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(counts, proportions) of change types per pattern on one platform.

    GitHub (Fig. 18): proportions within each pattern's commits. Hugging Face (Fig. 19): the
    median over the pattern's models of each model's proportion, as the paper computed it so
    one busy model does not dominate.
    """
    part = data[data["platform"] == platform]
    counts = part.pivot_table(
        index="pattern", columns="label", values="n", aggfunc="sum", fill_value=0
    )
    if platform == "HF":
        per_model = part.pivot_table(
            index=["pattern", "model"], columns="label", values="n", aggfunc="sum", fill_value=0
        )
        per_model = per_model.div(per_model.sum(axis=1), axis=0)
        props = per_model.groupby(level="pattern").median()
    else:
        props = counts.div(counts.sum(axis=1), axis=0)
    rows = [p for p in PATTERNS if p in counts.index]
    cols = [t for t in CHANGE_TYPES if t in counts.columns]
    return counts.reindex(index=rows, columns=cols), props.reindex(index=rows, columns=cols)


def platform_tests_by_pattern(data: pd.DataFrame) -> dict[str, ChiSquareResult]:
    """Per pattern, GH vs HF over the four coarse change groups (the paper's Fig. 18 tests)."""
    grouped = data.assign(group=data["label"].map(CHANGE_GROUPS))
    out = {}
    for pattern in [p for p in PATTERNS if p in set(grouped["pattern"])]:
        result = chi_square_counts(grouped[grouped["pattern"] == pattern], "platform", "group")
        if result is not None:
            out[pattern] = result
    return out
