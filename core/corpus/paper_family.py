"""The paper's own labels for one family (pattern, sync type, intensity, lag, switch days).

For the family report, the pattern card and the corpus placement: given a family's name,
GitHub repository and HF variants, the replication package's row for it, or None when the
paper did not study it. Read from the cache's paper corpus, or from the copy shipped with
SyncLens when the cache has none (nothing is written).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import sqlite_utils

from core import store
from core.corpus.corpora import PAPER
from core.corpus.embedded import embedded_corpus, embedded_table
from core.corpus.load import load_corpus
from core.corpus.matching import match_paper


@dataclass(frozen=True)
class PaperFamily:
    """A family as the paper labeled it (its row in the replication package)."""

    family: str  # the paper's name, e.g. "Qwen_Qwen"
    github_repo: str | None
    pattern: str
    sync_type: str | None
    intensity: str | None
    lag: str
    mean_switch_days: float | None  # over the paper's switches of the family
    n_switches: int
    excluded: bool  # one of the 13 families the paper left out of its analysis
    matched_by: str  # what identified it: "HF variants", "name" or "GitHub repository"


def _text(value) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def find_paper_family(
    families: pd.DataFrame,
    models: pd.DataFrame,
    name: str,
    github_repo: str | None = None,
    variants: Iterable[str] = (),
) -> PaperFamily | None:
    """`paper_family` over frames: the paper corpus' `families` (exclusions kept) and models."""
    match = match_paper(families, models, name, github_repo, variants)
    if match is None:
        return None
    row = families[families["family"] == match.family].iloc[0]
    days = row.get("mean_switch_days")
    return PaperFamily(
        family=match.family,
        github_repo=_text(row.get("github_repo")),
        pattern=str(row["pattern"]),
        sync_type=_text(row.get("sync_type")),
        intensity=_text(row.get("intensity")),
        lag=str(row["lag"]),
        mean_switch_days=None if days is None or pd.isna(days) else round(float(days), 2),
        n_switches=int(row.get("n_switches") or 0),
        excluded=bool(row.get("excluded") or 0),
        matched_by=match.matched_by,
    )


def paper_family(
    db: sqlite_utils.Database,
    name: str,
    github_repo: str | None = None,
    variants: Iterable[str] = (),
) -> PaperFamily | None:
    """The paper's labels for the family `name` (with its repo and HF variants), or None.

    The variants decide first (the paper lists each family's HF models), then the name
    (`org/name` or the paper's `org_name`), then a GitHub repository only one of the paper's
    families has.
    """
    if store.corpus_import_info(db, PAPER) is not None:
        families = load_corpus(db, PAPER, exclusions=False).families
        models = store.load_corpus_table(db, "corpus_models", [PAPER])
    else:
        families = embedded_corpus(exclusions=False).families
        models = embedded_table("corpus_models")
    return find_paper_family(families, models, name, github_repo, variants)
