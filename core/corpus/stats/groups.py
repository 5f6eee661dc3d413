"""The groups families fall into (maturity, variants, similarity, contributors); page filters."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from core.vocabulary import LAGS, PATTERNS

MATURITY_GROUPS = ("Recent", "Intermediate", "Matured")
SIMILARITY_GROUPS = ("low", "moderate", "high")
CONTRIBUTOR_GROUPS = ("Single-author", "Multiple-authors")
VARIANT_GROUPS = ("single", "multiple")
ORDERS: dict[str, tuple[str, ...]] = {
    "lag": LAGS,
    "pattern": PATTERNS,
    "age_group": MATURITY_GROUPS,
    "variants": VARIANT_GROUPS,
    "similarity_group": SIMILARITY_GROUPS,
    "contributors": CONTRIBUTOR_GROUPS,
}


def ordered(values: Iterable, by: str) -> list[str]:
    """The distinct values in the vocabulary's order for `by` (unknown ones sorted, last)."""
    known = ORDERS.get(by, ())
    present = {v for v in values if v is not None and not pd.isna(v)}
    return [v for v in known if v in present] + sorted(present - set(known))


def rank(by: str, name: str) -> int:
    """Position of `name` in the vocabulary of `by` (unknown names after every known one)."""
    known = ORDERS.get(by, ())
    return known.index(name) if name in known else len(known)


def similarity_groups(families: pd.DataFrame) -> pd.Series:
    """Terciles of the similarity score (pandas qcut), labelled low / moderate / high.

    On the paper's 325 families this gives its bins: 0.00-0.33, 0.36-0.47, 0.50-1.00.
    """
    scores = families["similarity"].astype(float)
    if scores.notna().sum() < 3 or scores.nunique() < 3:
        return pd.Series([None] * len(families), index=families.index, dtype=object)
    return pd.qcut(scores, 3, labels=list(SIMILARITY_GROUPS), duplicates="drop").astype(object)


def contributor_groups(families: pd.DataFrame) -> pd.Series:
    """Single-author (at most one person on both platforms) or Multiple-authors.

    The paper labels exactly-one as single; counting families with none as single too
    reproduces its single-author shares per similarity group (37.5 %, 33.6 %, 28.9 %).
    """
    common = families.get("n_common", pd.Series(np.nan, index=families.index))
    return common.map(
        lambda n: None if pd.isna(n) else CONTRIBUTOR_GROUPS[0] if n <= 1 else CONTRIBUTOR_GROUPS[1]
    )


def with_groups(families: pd.DataFrame) -> pd.DataFrame:
    """`families` plus `similarity_group` (terciles) and `contributors` (single/multiple)."""
    return families.assign(
        similarity_group=similarity_groups(families), contributors=contributor_groups(families)
    )


@dataclass(frozen=True)
class Filters:
    """The corpus page's filters (None = no filter on that column)."""

    age_group: str | None = None
    lag: str | None = None
    pattern: str | None = None
    variants: str | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in asdict(self).values())

    def apply(self, families: pd.DataFrame) -> pd.DataFrame:
        """The families matching every filter."""
        return filter_families(families, **asdict(self))


def filter_families(
    families: pd.DataFrame,
    *,
    corpus: str | None = None,
    age_group: str | None = None,
    lag: str | None = None,
    pattern: str | None = None,
    variants: str | None = None,
) -> pd.DataFrame:
    """The families matching every filter given (None = no filter on that column).

    Pass the result with the full switches frame to any switch statistic: `switch_frame`
    keeps only the switches of the families present.
    """
    mask = pd.Series(True, index=families.index)
    for column, value in (
        ("corpus", corpus),
        ("age_group", age_group),
        ("lag", lag),
        ("pattern", pattern),
        ("variants", variants),
    ):
        if value is not None:
            mask &= families[column] == value
    return families[mask]
