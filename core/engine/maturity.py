"""Family maturity from its variants' creation dates (paper, Section 4.1.1.4).

Age of a family = mean over its variants of (reference date - HF creation date), in days.
The paper's terciles (reference 2024-06-10): Recent <= 113 days, Intermediate 114-430,
Matured > 430. For a corpus, `tercile_groups` bins by quantiles as the paper did.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

import pandas as pd

from core.records import ModelInfo

PAPER_REFERENCE_DATE = datetime(2024, 6, 10, tzinfo=UTC)
PAPER_BOUNDS = (113, 430)
GROUPS = ("Recent", "Intermediate", "Matured")


def variant_created(info: ModelInfo | None, first_commit: datetime | None) -> datetime | None:
    """When a variant was created: the earliest of the Hub's `createdAt`, its first commit as
    the Hub lists it, and its first cached commit (the Hub's createdAt stops at 2022-03-02)."""
    known = [d for d in (info.created if info else None, first_commit) if d is not None]
    return min(known) if known else None


def created_dates(
    commits: pd.DataFrame, infos: Mapping[str, ModelInfo], variants: Iterable[str] = ()
) -> dict[str, datetime | None]:
    """`variant_created` of every variant in `variants` or with HF commits in `commits`."""
    hf = commits[commits["platform"] == "HF"]
    firsts = hf.groupby("model")["timestamp"].min() if not hf.empty else pd.Series(dtype=object)
    out = {}
    for model in dict.fromkeys([*variants, *firsts.index]):
        first = firsts.get(model)
        out[model] = variant_created(
            infos.get(model), first.to_pydatetime() if first is not None else None
        )
    return out


def family_age_days(
    created: Iterable[datetime | None], reference: datetime | None = None
) -> float | None:
    """Mean age in days of the variants with a known creation date (None if none known)."""
    ref = reference or datetime.now(UTC)
    ages = [(ref - c).days for c in created if c is not None]
    return sum(ages) / len(ages) if ages else None


def maturity_group(age_days: float | None, bounds: tuple[int, int] = PAPER_BOUNDS) -> str | None:
    """Recent, Intermediate or Matured by the paper's tercile bounds."""
    if age_days is None:
        return None
    if age_days <= bounds[0]:
        return "Recent"
    return "Intermediate" if age_days <= bounds[1] else "Matured"


def tercile_groups(ages: pd.Series) -> pd.Series:
    """Quantile (tercile) binning of family ages into Recent / Intermediate / Matured."""
    return pd.qcut(ages, 3, labels=list(GROUPS)).astype("object")
