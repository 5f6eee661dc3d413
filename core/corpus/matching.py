"""Which of the paper's families is a given family: by its HF variants, its name, its repo.

The replication package names families `owner_name` (e.g. `Qwen_Qwen`) and lists their HF
models; SyncLens names a family after its GitHub repository. Eleven GitHub repositories hold
two or three of the paper's families (e.g. microsoft/unilm), so the repository alone decides
only when it is unambiguous; the variants decide first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from core.corpus.cells import _key

BY_VARIANTS, BY_NAME, BY_REPO = "HF variants", "name", "GitHub repository"


@dataclass(frozen=True)
class Match:
    """The paper's family a family is, and what decided it."""

    family: str
    matched_by: str


def _name_keys(name: str) -> set[str]:
    return {_key(name), _key(name.replace("/", "_"))}


def match_paper(
    families: pd.DataFrame,
    models: pd.DataFrame,
    name: str,
    github_repo: str | None = None,
    variants: Iterable[str] = (),
) -> Match | None:
    """The paper family (a row of `families`) that `name` is, or None.

    `families` has `family` and `github_repo`; `models` has `model_id` and `family` (the
    paper's corpus_models). The family whose models share most of `variants` wins; else a
    family named like `name` (`org/name` or `org_name`, any case); else the only family
    whose GitHub repository is `github_repo`.
    """
    wanted = {str(v).casefold() for v in variants}
    known = set(families["family"])
    if wanted and not models.empty:
        hits = models[models["model_id"].str.casefold().isin(wanted)]
        counts = hits[hits["family"].isin(known)]["family"].value_counts()
        if len(counts) and (len(counts) == 1 or counts.iloc[0] > counts.iloc[1]):
            return Match(str(counts.index[0]), BY_VARIANTS)
    keys = _name_keys(name)
    named = families[families["family"].map(_key).isin(keys)]
    if len(named) == 1:
        return Match(str(named["family"].iloc[0]), BY_NAME)
    if github_repo:
        repo = families["github_repo"].fillna("").str.casefold() == github_repo.casefold()
        if repo.sum() == 1:
            return Match(str(families.loc[repo, "family"].iloc[0]), BY_REPO)
    return None
