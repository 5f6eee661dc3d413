"""Everything an audit reads, gathered at the edge: cached commits and labels, model infos,
the paper's corpus, and the file listings (one listing request per repository).

Failures never stop the audit: each becomes a `Limitation` saying what was not checked.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

import github
import pandas as pd
import sqlite_utils

from core import store
from core.audit import KNOWN_FILE, WINDOW_DAYS, AuditReport, Limitation, audit_family
from core.errors import InputError, SourceError
from core.labeling.labeler import Labeler
from core.labeling.labels import label_commits
from core.records import Family, FileListing, ModelInfo


class FileLister(Protocol):
    """What the audit needs from the Hub client (`core.ingest.sources.hf.HubClient`)."""

    def list_files(
        self, model_id: str, revision: str | None = None, *, expand: bool = False
    ) -> FileListing: ...


@dataclass(frozen=True)
class AuditInputs:
    """The data `core.audit.audit_family` takes, plus what gathering it cost."""

    family: Family
    commits: pd.DataFrame
    hf_listings: dict[str, FileListing] | None
    gh_listing: FileListing | None
    model_infos: dict[str, ModelInfo]
    corpus: pd.DataFrame | None
    gh_file_dates: dict[str, datetime]
    limitations: tuple[Limitation, ...] = ()
    requests: dict[str, int] = field(default_factory=dict)  # listing requests per repository


def gather_inputs(
    db: sqlite_utils.Database,
    family: Family,
    *,
    hub: FileLister | Callable[[], FileLister] | None = None,
    github_client: github.Github | Callable[[], github.Github] | None = None,
    clone: Path | None = None,
    offline: bool = False,
    labeler: Labeler | None = None,
    corpus: pd.DataFrame | None = None,
    file_dates: bool = False,
) -> AuditInputs:
    """Read the cache, label the commits, and list the files of every repository once.

    Args:
        hub / github_client: clients (or factories, called only when needed).
        clone: a cached bare clone of the GitHub repository; when it holds trees, its
            listing and file dates are read offline and GitHub's API is not asked.
        offline: list no files (content drift is then reported as not checked).
        labeler: labels uncached commits (default: the offline rules labeler).
        corpus: corpus families to compare with (default: the cached paper corpus, if any).
        file_dates: ask the Hub for each file's last commit too (`expand`); the Hub then
            pages 50 files per request instead of 1,000, so big repositories cost more.
    """
    limits: list[Limitation] = []
    commits = store.family_commits(db, family)
    if not commits.empty:
        if labeler is None:
            from core.labeling.rules import RulesLabeler

            labeler = RulesLabeler()
        try:
            commits, _ = label_commits(db, commits, labeler)
        except Exception as err:  # a remote labeler failing must not stop the audit
            limits.append(Limitation("labels", f"Labeling failed ({err}); commits unlabeled."))
    infos = store.model_infos(db, family.variants)
    if corpus is None:
        corpus = _paper_corpus(db)
    hf_listings: dict[str, FileListing] | None = None
    gh_listing: FileListing | None = None
    dates: dict[str, datetime] = {}
    requests: dict[str, int] = {}
    if offline:
        limits.append(
            Limitation(
                "drift",
                "Content drift was not checked: --offline (file listings need the network).",
            )
        )
    else:
        gh_listing, dates = _github_listing(family, github_client, clone, limits)
        if gh_listing is not None:
            requests[gh_listing.repo] = gh_listing.requests
            hf_listings = {}
            lister = _resolve(hub)
            for variant in family.variants:
                if lister is None:
                    limits.append(Limitation("drift", "No Hub client; not listed.", variant))
                    continue
                try:
                    hf_listings[variant] = lister.list_files(variant, expand=file_dates)
                    requests[variant] = hf_listings[variant].requests
                except SourceError as err:
                    limits.append(Limitation("drift", f"Files not compared: {err}", variant))
    return AuditInputs(
        family=family,
        commits=commits,
        hf_listings=hf_listings,
        gh_listing=gh_listing,
        model_infos=infos,
        corpus=corpus,
        gh_file_dates=dates,
        limitations=tuple(limits),
        requests=requests,
    )


def audit_gathered(
    inputs: AuditInputs, *, window_days: int = WINDOW_DAYS, today: datetime | None = None
) -> AuditReport:
    """`audit_family` over what `gather_inputs` collected (the command's and the page's path)."""
    family = inputs.family
    return audit_family(
        family.name,
        family.github_repo,
        family.variants,
        inputs.commits,
        hf_listings=inputs.hf_listings,
        gh_listing=inputs.gh_listing,
        model_infos=inputs.model_infos,
        corpus=inputs.corpus,
        gh_file_dates=inputs.gh_file_dates,
        limitations=inputs.limitations,
        window_days=window_days,
        today=today,
    )


def _resolve(client):
    return client() if callable(client) and not hasattr(client, "list_files") else client


def _paper_corpus(db: sqlite_utils.Database) -> pd.DataFrame | None:
    from core.corpus import load_corpus

    try:
        return load_corpus(db, "paper").families
    except InputError:
        return None


def _github_listing(
    family: Family,
    github_client,
    clone: Path | None,
    limits: list[Limitation],
) -> tuple[FileListing | None, dict[str, datetime]]:
    from core.ingest.sources.github_files import git_last_changes, git_tree, github_tree

    repo = family.github_repo
    if not repo:
        limits.append(
            Limitation(
                "drift", "Content drift was not checked: the family has no GitHub repository."
            )
        )
        return None, {}
    listing: FileListing | None = None
    if clone is not None and clone.exists():
        try:
            listing = git_tree(clone, repo)
        except SourceError as err:
            if err.kind != "no_trees":
                limits.append(Limitation("drift", str(err), repo))
    if listing is None:
        client = _resolve(github_client)
        if client is None:
            limits.append(Limitation("drift", "No GitHub client; files not listed.", repo))
            return None, {}
        try:
            listing = github_tree(client, repo)
        except SourceError as err:
            limits.append(Limitation("drift", f"Content drift was not checked: {err}", repo))
            return None, {}
    dates: dict[str, datetime] = {}
    if clone is not None and clone.exists():
        watched = [f.path for f in listing.files if KNOWN_FILE.match(posixpath.basename(f.path))]
        try:
            dates = git_last_changes(clone, repo, watched)
        except SourceError:
            dates = {}  # a treeless clone: dates come from commit titles, or stay unknown
    return listing, dates
