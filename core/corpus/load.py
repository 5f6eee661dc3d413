"""The stored corpus loaded for reports (`load_corpus`), exclusions applied or not.

With both corpora ("all", the page's "both"), a family of yours that is also in the paper's
corpus counts once, with SyncLens's labels: its paper row and that row's switches are left
out, and `Corpus.overlap` names the pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlite_utils

from core import store
from core.corpus.corpora import CORPORA, MINE, PAPER
from core.corpus.matching import match_paper
from core.errors import InputError

ALL = "all"


@dataclass(frozen=True)
class Corpus:
    """A loaded corpus: one row per family and one row per switch (both with `corpus`).

    `families` columns: corpus, family, family_key, owner, github_repo, lag, sync_type,
    intensity, pattern, generated, n_variants, variants ("single"/"multiple"),
    mean_age_days, age_group, similarity, excluded, exclusion_reason, early_lag, late_lag,
    early_pattern, late_pattern, co_active_periods, n_gh, n_hf, n_common, n_switches,
    mean_switch_days. `switches`: corpus, family, seq, source, target, prev, next, days.
    `published_dunn` is the paper's own Dunn matrix (pattern x pattern), empty if not loaded.
    `overlap` pairs (your family, the paper's family) counted once, as yours.
    """

    families: pd.DataFrame
    switches: pd.DataFrame
    published_dunn: pd.DataFrame
    sources: tuple[str, ...]
    exclusions: bool
    overlap: tuple[tuple[str, str], ...] = ()


def _sources(source: str) -> tuple[str, ...]:
    if source == ALL:
        return CORPORA
    if source not in CORPORA:
        raise InputError(f"Unknown corpus source {source!r}; use paper, mine or all.")
    return (source,)


def assemble(
    tables: dict[str, pd.DataFrame], sources: tuple[str, ...], *, exclusions: bool = True
) -> Corpus:
    """A `Corpus` from its stored tables (corpus_families, _switches, _authors, _dunn).

    With exclusions, flagged families and their switches are dropped. `n_switches` and
    `mean_switch_days` per family are computed from the switches.
    """
    fams, switches = tables["corpus_families"], tables["corpus_switches"]
    authors, dunn = tables["corpus_authors"], tables["corpus_dunn"]
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
        sources=sources,
        exclusions=exclusions,
    )


def _overlap(db: sqlite_utils.Database, families: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """(your family, the paper's family) for each of yours the paper's corpus also holds."""
    paper = families[families["corpus"] == PAPER]
    models = store.load_corpus_table(db, "corpus_models", [PAPER])
    pairs = []
    for row in families[families["corpus"] == MINE].itertuples():
        family = store.load_family(db, row.family)
        variants = family.variants if family is not None else ()
        match = match_paper(paper, models, row.family, row.github_repo, variants)
        if match is not None:
            pairs.append((str(row.family), match.family))
    return tuple(pairs)


def _count_once(corpus: Corpus, overlap: tuple[tuple[str, str], ...]) -> Corpus:
    dropped = {theirs for _, theirs in overlap}

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        gone = (frame["corpus"] == PAPER) & frame["family"].isin(dropped)
        return frame[~gone].reset_index(drop=True)

    return Corpus(
        families=keep(corpus.families),
        switches=keep(corpus.switches),
        published_dunn=corpus.published_dunn,
        sources=corpus.sources,
        exclusions=corpus.exclusions,
        overlap=overlap,
    )


def load_corpus(
    db: sqlite_utils.Database, source: str = PAPER, *, exclusions: bool = True
) -> Corpus:
    """The stored corpus for `source` ("paper", "mine" or "all"), exclusions applied or not.

    With exclusions, flagged families and their switches are dropped. `n_switches` and
    `mean_switch_days` per family are computed from the stored switches. With "all", a
    family in both corpora counts once, with SyncLens's labels (see `Corpus.overlap`).

    Raises:
        InputError: nothing has been imported for the requested source yet.
    """
    corpora = _sources(source)
    present = tuple(c for c in corpora if store.corpus_import_info(db, c))
    if not present:
        hint = (
            "python -m core corpus import [FOLDER]"
            if PAPER in corpora
            else "python -m core corpus import --mine"
        )
        raise InputError(f"The cache has no {source} corpus yet. Run `{hint}` first.")
    names = ("corpus_families", "corpus_switches", "corpus_authors", "corpus_dunn")
    tables = {name: store.load_corpus_table(db, name, present) for name in names}
    corpus = assemble(tables, present, exclusions=exclusions)
    if len(present) > 1:
        overlap = _overlap(db, corpus.families)
        if overlap:
            corpus = _count_once(corpus, overlap)
    return corpus
