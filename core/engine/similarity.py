"""How alike the change types on GitHub and Hugging Face are (paper, Section 4.1.1.6)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def jaccard(a: Iterable[str], b: Iterable[str]) -> float | None:
    """|A ∩ B| / |A ∪ B|; None when both sets are empty (nothing to compare)."""
    sa, sb = set(a), set(b)
    union = sa | sb
    return None if not union else len(sa & sb) / len(union)


def change_type_similarity(frame: pd.DataFrame) -> pd.Series:
    """Per family, the Jaccard similarity of the label sets seen on GH and on HF.

    `frame` needs `family`, `platform` and `label`; unlabeled commits (None) are ignored.
    Families with labels on one platform only get 0.0 (nothing is shared).
    """
    labeled = frame.loc[frame["label"].notna(), ["family", "platform", "label"]]
    sets = labeled.groupby(["family", "platform"])["label"].agg(set).unstack("platform")
    result = {}
    for family, row in sets.iterrows():
        gh = row.get("GH") if isinstance(row.get("GH"), set) else set()
        hf = row.get("HF") if isinstance(row.get("HF"), set) else set()
        result[family] = jaccard(gh, hf)
    return pd.Series(result, name="similarity", dtype="float64")


def label_shares(frame: pd.DataFrame, by: str = "platform") -> pd.DataFrame:
    """Share of commits (percent) per change type within each value of `by`."""
    labeled = frame.loc[frame["label"].notna(), [by, "label"]]  # not every column's copy
    counts = labeled.groupby([by, "label"]).size().rename("n").reset_index()
    counts["share"] = 100 * counts["n"] / counts.groupby(by)["n"].transform("sum")
    return counts
