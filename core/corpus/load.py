"""The stored corpus loaded for reports (`load_corpus`), exclusions applied or not."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlite_utils

from core import store
from core.corpus.corpora import CORPORA, PAPER
from core.errors import InputError


@dataclass(frozen=True)
class Corpus:
    """A loaded corpus: one row per family and one row per switch (both with `corpus`).

    `families` columns: corpus, family, family_key, owner, github_repo, lag, sync_type,
    intensity, pattern, generated, n_variants, variants ("single"/"multiple"),
    mean_age_days, age_group, similarity, excluded, exclusion_reason, early_lag, late_lag,
    early_pattern, late_pattern, co_active_periods, n_gh, n_hf, n_common, n_switches,
    mean_switch_days. `switches`: corpus, family, seq, source, target, prev, next, days.
    `published_dunn` is the paper's own Dunn matrix (pattern x pattern), empty if not loaded.
    """

    families: pd.DataFrame
    switches: pd.DataFrame
    published_dunn: pd.DataFrame
    sources: tuple[str, ...]
    exclusions: bool


def _sources(source: str) -> tuple[str, ...]:
    if source == "all":
        return CORPORA
    if source not in CORPORA:
        raise InputError(f"Unknown corpus source {source!r}; use paper, mine or all.")
    return (source,)


def load_corpus(
    db: sqlite_utils.Database, source: str = PAPER, *, exclusions: bool = True
) -> Corpus:
    """The stored corpus for `source` ("paper", "mine" or "all"), exclusions applied or not.

    With exclusions, flagged families and their switches are dropped. `n_switches` and
    `mean_switch_days` per family are computed from the stored switches.

    Raises:
        InputError: nothing has been imported for the requested source yet.
    """
    corpora = _sources(source)
    present = [c for c in corpora if store.corpus_import_info(db, c)]
    if not present:
        hint = (
            "python -m core corpus import [FOLDER]"
            if PAPER in corpora
            else "python -m core corpus import --mine"
        )
        raise InputError(f"The cache has no {source} corpus yet. Run `{hint}` first.")
    fams = store.load_corpus_table(db, "corpus_families", present)
    switches = store.load_corpus_table(db, "corpus_switches", present)
    authors = store.load_corpus_table(db, "corpus_authors", present)
    dunn = store.load_corpus_table(db, "corpus_dunn", present)
    if exclusions:
        fams = fams[fams["excluded"].fillna(0).astype(int) == 0]
    fams = fams.merge(
        authors.drop(columns=[c for c in ("family_key",) if c in authors]),
        on=["corpus", "family"],
        how="left",
    )
    switches = switches.merge(fams[["corpus", "family"]], on=["corpus", "family"])
    per = switches.groupby(["corpus", "family"])["days"].agg(["size", "mean"])
    per.columns = ["n_switches", "mean_switch_days"]
    fams = fams.merge(per.reset_index(), on=["corpus", "family"], how="left")
    fams["n_switches"] = fams["n_switches"].fillna(0).astype(int)
    fams["variants"] = fams["n_variants"].map(
        lambda n: None if pd.isna(n) else ("single" if n <= 1 else "multiple")
    )
    published = pd.DataFrame()
    if not dunn.empty:
        published = dunn[dunn["corpus"] == PAPER].pivot(index="row", columns="col", values="p")
    return Corpus(
        families=fams.reset_index(drop=True),
        switches=switches.reset_index(drop=True),
        published_dunn=published,
        sources=tuple(present),
        exclusions=exclusions,
    )
