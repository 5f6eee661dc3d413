"""Everything exact propagation says about one family, from cached file histories and commits."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import sqlite_utils

from core import store
from core.propagation.content import content_keys, file_versions
from core.propagation.links import automated_commits, content_links, message_links
from core.propagation.matrix import file_matrix
from core.propagation.measures import (
    FamilyPropagation,
    VariantPropagation,
    family_measures,
    measure_variants,
)
from core.records import GH, HF, Family


@dataclass(frozen=True)
class Propagation:
    """A family's exact propagation: file versions, links, measures, and the per-file matrix.

    `links` holds content links (both directions) and message links; `status` one row per
    GitHub file version and variant it counts for; `hub_only` the Hub's own edits of shared
    files; `automated` the commits of known sync bots; `sources` how each repository's files
    were read; `missing_histories` the repositories with no file history in the cache.
    """

    family: str
    github_repo: str | None
    variants: tuple[str, ...]
    summary: FamilyPropagation
    per_variant: tuple[VariantPropagation, ...]
    links: pd.DataFrame
    status: pd.DataFrame
    hub_only: pd.DataFrame
    matrix: pd.DataFrame
    automated: pd.DataFrame
    sources: tuple[dict, ...] = ()
    missing_histories: tuple[str, ...] = field(default=())
    missing_github: bool = False  # the GitHub repository's history is among them

    def variant(self, model_id: str) -> VariantPropagation | None:
        return next((v for v in self.per_variant if v.variant == model_id), None)


def propagation_of(
    family: Family,
    changes: pd.DataFrame,
    commits: pd.DataFrame,
    *,
    sources: tuple[dict, ...] = (),
) -> Propagation:
    """Pure: file changes (`core.store.file_changes`) and the commit frame (with `label` when
    labeled) in, the family's `Propagation` out."""
    # plain Python strings: the checks below iterate them, and Arrow strings iterate slowly
    text = [c for c in changes.columns if c not in ("time", "lfs_size")]
    changes = changes.astype(dict.fromkeys(text, object))
    changes = changes.assign(key=content_keys(changes))
    versions = file_versions(changes)
    links = pd.concat(
        [frame for frame in (content_links(versions), message_links(commits)) if not frame.empty]
        or [content_links(versions)],
        ignore_index=True,
    )
    gh_commits = commits[commits["platform"] == GH]
    labels = (
        gh_commits.drop_duplicates("sha").set_index("sha")["label"]
        if "label" in commits.columns
        else None
    )
    automated = automated_commits(commits)
    status, hub_only, per_variant = measure_variants(
        versions, links, family.variants, automated, labels
    )
    read = {(s["platform"], s["repo"]) for s in sources} | set(
        zip(changes["platform"], changes["repo"], strict=True)
    )
    repos = [(HF, v) for v in family.variants] + (
        [(GH, family.github_repo)] if family.github_repo else []
    )
    return Propagation(
        family=family.name,
        github_repo=family.github_repo,
        variants=family.variants,
        summary=family_measures(per_variant, status),
        per_variant=per_variant,
        links=links,
        status=status,
        hub_only=hub_only,
        matrix=file_matrix(changes, status),
        automated=automated,
        sources=sources,
        missing_histories=tuple(r for p, r in repos if (p, r) not in read),
        missing_github=bool(family.github_repo) and (GH, family.github_repo) not in read,
    )


def build_propagation(
    db: sqlite_utils.Database, family: Family, commits: pd.DataFrame | None = None
) -> Propagation:
    """The family's `Propagation` from the cache (no network). Pass the labeled commit frame
    to have never-arrived changes by change type."""
    repos = [(HF, v) for v in family.variants]
    if family.github_repo:
        repos.append((GH, family.github_repo))
    frame = store.family_commits(db, family) if commits is None else commits
    return propagation_of(
        family,
        store.file_changes(db, repos),
        frame,
        sources=tuple(store.file_sources(db, repos)),
    )
