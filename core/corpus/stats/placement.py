"""One family among the corpus: percentiles, its pattern's share, its labels beside the paper's.

What the corpus page's "Your family" section shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from scipy import stats

from core.corpus import paper as published
from core.corpus.stats.plain import PlainResult

if TYPE_CHECKING:
    from core.corpus.paper_family import PaperFamily


@dataclass(frozen=True)
class Standing:
    """One measure of a family against the corpus: its value and its percentile (0-100)."""

    value: float | None
    percentile: float | None  # share of corpus families with a value <= this one
    n: int  # corpus families with a value


@dataclass(frozen=True)
class Placement(PlainResult):
    """Where one family stands among the corpus (the "your family in the corpus" panel)."""

    family: str
    pattern: str | None
    age_group: str | None
    delay: Standing  # mean switch days
    similarity: Standing
    n_variants: Standing
    pattern_share_in_group: float | None  # % of families in its maturity group with its pattern
    pattern_rank_in_group: int | None  # 1 = most common pattern in that group
    group_size: int


def percentile(values, value) -> float | None:
    """Percent of `values` that are <= `value` (scipy `percentileofscore`, kind="weak")."""
    data = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    if value is None or pd.isna(value) or data.empty:
        return None
    return round(float(stats.percentileofscore(data, float(value), kind="weak")), 1)


def percentile_words(value: float | None) -> str:
    """A percentile as read aloud: "21st percentile", "12th percentile"; "no value"."""
    if value is None:
        return "no value"
    n = round(value)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} percentile"


def _standing(families: pd.DataFrame, column: str, value) -> Standing:
    data = pd.to_numeric(families.get(column, pd.Series(dtype=float)), errors="coerce").dropna()
    value = None if value is None or pd.isna(value) else float(value)
    return Standing(value=value, percentile=percentile(data, value), n=len(data))


def place_family(corpus: pd.DataFrame, family_row) -> Placement:
    """Where a family stands in a corpus of families (a `Corpus.families` frame).

    `family_row` is a mapping or Series with at least `family`, and any of `pattern`,
    `age_group`, `mean_switch_days`, `similarity`, `n_variants`. Percentiles are the share
    of corpus families with a value at or below the family's; the pattern share is taken
    within the family's maturity group (the whole corpus when it has no group).
    """
    row = dict(family_row)
    group = row.get("age_group")
    group = None if group is None or pd.isna(group) else group
    peers = corpus[corpus["age_group"] == group] if group else corpus
    pattern = row.get("pattern")
    counts = peers["pattern"].value_counts()
    share_in_group = rank = None
    if pattern and len(peers):
        share_in_group = round(float(counts.get(pattern, 0)) / len(peers) * 100, 1)
        ranks = counts.rank(method="min", ascending=False)
        rank = int(ranks[pattern]) if pattern in ranks else None
    return Placement(
        family=str(row.get("family")),
        pattern=pattern,
        age_group=group,
        delay=_standing(corpus, "mean_switch_days", row.get("mean_switch_days")),
        similarity=_standing(corpus, "similarity", row.get("similarity")),
        n_variants=_standing(corpus, "n_variants", row.get("n_variants")),
        pattern_share_in_group=share_in_group,
        pattern_rank_in_group=rank,
        group_size=len(peers),
    )


def placement_table(placement: Placement) -> pd.DataFrame:
    """A placement as rows of (measure, value, percentile, corpus families): the CSV download."""
    rows = [
        ("mean days per switch", placement.delay),
        ("change-type similarity", placement.similarity),
        ("number of variants", placement.n_variants),
    ]
    out = [
        {"measure": name, "value": s.value, "percentile": s.percentile, "corpus_families": s.n}
        for name, s in rows
    ]
    out.append(
        {
            "measure": f"share of its pattern ({placement.pattern}) in its maturity group "
            f"({placement.age_group or 'all families'})",
            "value": placement.pattern_share_in_group,
            "percentile": None,
            "corpus_families": placement.group_size,
        }
    )
    return pd.DataFrame(out)


def family_row(families: pd.DataFrame | None, name: str) -> dict | None:
    """The corpus row of the family `name` (e.g. from the ``mine`` corpus), or None."""
    if families is None:
        return None
    rows = families[families["family"] == name]
    return rows.iloc[0].to_dict() if len(rows) else None


def report_row(report) -> dict:
    """A family's corpus row from a `core.report.family.FamilyReport` (one not in the mine corpus).

    Same keys `place_family` and `label_comparison` read: family, pattern, lag, sync_type,
    intensity, age_group, mean_switch_days, similarity, n_variants.
    """
    analysis = report.analysis
    switches = report.switches
    days = switches["days"].mean() if switches is not None and len(switches) else None
    return {
        "family": report.name,
        "pattern": analysis.pattern if analysis else None,
        "lag": analysis.lag if analysis else None,
        "sync_type": analysis.sync_type if analysis else None,
        "intensity": analysis.intensity if analysis else None,
        "age_group": report.maturity,
        "mean_switch_days": None if days is None or pd.isna(days) else float(days),
        "similarity": report.similarity,
        "n_variants": analysis.n_variants if analysis else len(report.variants),
    }


LABELS = (
    ("pattern", "pattern"),
    ("sync type", "sync_type"),
    ("intensity", "intensity"),
    ("lag", "lag"),
    ("mean days per switch", "mean_switch_days"),
)


def label_comparison(family_row, paper: PaperFamily) -> pd.DataFrame:
    """SyncLens's labels for a family beside the paper's: measure, synclens, paper, same."""
    row = dict(family_row)
    out = []
    for name, key in LABELS:
        ours, theirs = row.get(key), getattr(paper, key)
        ours = None if ours is None or (isinstance(ours, float) and pd.isna(ours)) else ours
        if key == "mean_switch_days":
            ours = None if ours is None else round(float(ours), 2)
            theirs = None if theirs is None else round(float(theirs), 2)
        out.append({"measure": name, "synclens": ours, "paper": theirs, "same": ours == theirs})
    return pd.DataFrame(out)


def differences(comparison: pd.DataFrame, reason: str | None = None) -> str | None:
    """One plain sentence on where SyncLens and the paper disagree and why (or None).

    `reason` is the family's own (`core.report.paper`, as the Family page says it); without
    one, the reasons the data can carry: the Hub lists only the commits it still has, the
    paper truncated HF times to the day, and its window ended on its collection date.
    """
    labels = comparison[comparison["measure"] != "mean days per switch"]
    differ = [str(m) for m, same in zip(labels["measure"], labels["same"], strict=True) if not same]
    if not differ:
        return None
    listed = ", ".join(differ[:-1]) + (" and " if len(differ) > 1 else "") + differ[-1]
    if reason:
        return f"SyncLens and the paper differ on the {listed}. {reason}"
    return (
        f"SyncLens and the paper differ on the {listed}. Likely reasons: the Hub "
        "now lists only the commits it still has (rewritten or squashed histories lose some), "
        "the paper truncated HF commit times to the day, and its data ends on "
        f"{published.COLLECTION_END} while SyncLens reads everything cached."
    )
