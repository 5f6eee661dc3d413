"""Everything an audit reads, gathered at the edge: cached commits and labels, model infos,
the paper's corpus, and the file listings (one listing request per repository).

Failures never stop the audit: each becomes a `Limitation` saying what was not checked, and an
unexpected client failure audits the cache alone. `progress(repo, step, total)` is called
before each repository is listed, so the page, the CLI and benchmarks can show it their way.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import sqlite_utils

from core import store
from core.audit.commits import MAX_LISTED
from core.audit.coverage import Coverage, NotAudited, coverage_of
from core.audit.isolated import WINDOW_DAYS
from core.audit.limits import Limitation, LimitKind, source_kind
from core.audit.matching import KNOWN_FILE
from core.audit.report import AuditReport, audit_family
from core.errors import InputError, SourceError
from core.labeling.labeler import Labeler
from core.labeling.labels import label_commits
from core.propagation.missing import MissingFile, cached_missing_files
from core.records import Family, FileListing, ModelInfo

Progress = Callable[[str, int, int], None]


class AuditClients(Protocol):
    """What the audit needs of `core.ingest.clients.Clients`."""

    def hub(self) -> Any: ...  # `list_files(model_id, revision, expand=...)` -> FileListing
    def github_api(self) -> Any: ...  # a PyGithub client
    def clone_of(self, repo: str | None) -> Path | None: ...


@dataclass(frozen=True)
class AuditInputs:
    """The data `core.audit.audit_family` takes, plus what gathering it cost."""

    family: Family
    commits: pd.DataFrame
    coverage: Coverage
    hf_listings: dict[str, FileListing] | None
    gh_listing: FileListing | None
    model_infos: dict[str, ModelInfo]
    corpus: pd.DataFrame | None
    gh_file_dates: dict[str, datetime]
    limitations: tuple[Limitation, ...] = ()
    requests: dict[str, int] = field(default_factory=dict)  # listing requests per repository
    # per variant, the GitHub files that never reached it; None: no file histories cached
    missing_files: dict[str, tuple[MissingFile, ...]] | None = None


def gather_inputs(
    db: sqlite_utils.Database,
    family: Family,
    clients: AuditClients | None = None,
    *,
    offline: bool = False,
    progress: Progress | None = None,
    labeler: Labeler | None = None,
    corpus: pd.DataFrame | None = None,
    file_dates: bool = False,
) -> AuditInputs:
    """Read the cache, label the commits, and list the files of every repository once.

    Args:
        clients: the Hub, the GitHub API and the local clone (`Clients`); None: offline.
        offline: list no files (content drift is then reported as not checked).
        progress: called as `progress(repo, step, total)` before each repository is listed.
        labeler: labels uncached commits (default: the offline rules labeler).
        corpus: corpus families to compare with (default: the cached paper corpus, if any).
        file_dates: ask the Hub for each file's last commit too (`expand`); the Hub then
            pages 50 files per request instead of 1,000, so big repositories cost more.
    """
    limits: list[Limitation] = []
    commits = store.family_commits(db, family)
    if not commits.empty:
        commits = _labeled(db, commits, labeler, limits)
    base = AuditInputs(
        family=family,
        commits=commits,
        coverage=coverage_of(family, commits),
        hf_listings=None,
        gh_listing=None,
        model_infos=store.model_infos(db, family.variants),
        corpus=_paper_corpus(db) if corpus is None else corpus,
        gh_file_dates={},
    )
    if not base.coverage.auditable:
        return replace(base, limitations=tuple(limits))  # not audited: nothing worth listing
    base = replace(base, missing_files=cached_missing_files(db, family, commits))
    if offline or clients is None:
        why = "--offline" if offline else "no network clients"
        limits.append(
            Limitation(
                "drift",
                LimitKind.OFFLINE,
                f"Content drift was not checked: {why} (file listings need the network).",
            )
        )
        return replace(base, limitations=tuple(limits))
    try:
        listed = _Listing(family, clients, progress, file_dates).run()
    except Exception as err:  # an unexpected client failure: audit the cache, say what failed
        failed = Limitation(
            "drift",
            LimitKind.UNREACHABLE,
            f"Listing the files failed ({type(err).__name__}: {err}); "
            "content drift was not checked.",
        )
        return replace(base, limitations=(failed, *limits))
    return replace(
        base,
        hf_listings=listed.hf,
        gh_listing=listed.gh,
        gh_file_dates=listed.dates,
        limitations=(*limits, *listed.limits),
        requests=listed.requests,
    )


def audit_gathered(
    inputs: AuditInputs,
    *,
    window_days: int = WINDOW_DAYS,
    today: datetime | None = None,
    max_listed: int = MAX_LISTED,
) -> AuditReport:
    """`audit_family` over what `gather_inputs` collected (the command's and the page's path).

    Raises:
        NotAudited: the family has no commits, or none on one side (`inputs.coverage`).
    """
    if not inputs.coverage.auditable:
        raise NotAudited(inputs.coverage)
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
        missing_files=inputs.missing_files,
        limitations=inputs.limitations,
        window_days=window_days,
        today=today,
        max_listed=max_listed,
    )


def _labeled(
    db: sqlite_utils.Database,
    commits: pd.DataFrame,
    labeler: Labeler | None,
    limits: list[Limitation],
) -> pd.DataFrame:
    if labeler is None:
        from core.labeling import default_labeler

        labeler = default_labeler()
    try:
        return label_commits(db, commits, labeler)[0]
    except Exception as err:  # a remote labeler failing must not stop the audit
        limits.append(
            Limitation(
                "labels", LimitKind.NO_LABELS, f"Labeling failed ({err}); commits unlabeled."
            )
        )
        return commits


def _paper_corpus(db: sqlite_utils.Database) -> pd.DataFrame | None:
    from core.corpus import load_corpus

    try:
        return load_corpus(db, "paper").families
    except InputError:
        return None


class _Listing:
    """One listing per repository: GitHub first (a local clone when it has trees), then each
    variant, announcing each before its request."""

    def __init__(
        self, family: Family, clients: AuditClients, progress: Progress | None, file_dates: bool
    ) -> None:
        self.family, self.clients, self.file_dates = family, clients, file_dates
        self.progress = progress
        self.total = len(family.variants) + (1 if family.github_repo else 0)
        self.step = 0
        self.limits: list[Limitation] = []
        self.requests: dict[str, int] = {}
        self.gh: FileListing | None = None
        self.hf: dict[str, FileListing] | None = None
        self.dates: dict[str, datetime] = {}

    def announce(self, repo: str) -> None:
        self.step = min(self.step + 1, self.total)
        if self.progress is not None:
            self.progress(repo, self.step, self.total)

    def run(self) -> _Listing:
        self.gh = self._github()
        if self.gh is None:
            return self  # no point listing the Hub side alone
        self.requests[self.gh.repo] = self.gh.requests
        self.hf = {}
        hub = self.clients.hub()
        for variant in self.family.variants:
            self.announce(variant)
            try:
                self.hf[variant] = hub.list_files(variant, expand=self.file_dates)
                self.requests[variant] = self.hf[variant].requests
            except SourceError as err:
                self.limits.append(
                    Limitation(
                        "drift", source_kind(err.kind), f"Files not compared: {err}", variant
                    )
                )
        return self

    def _github(self) -> FileListing | None:
        from core.ingest.sources.github_files import git_last_changes, git_tree, github_tree

        repo = self.family.github_repo
        if not repo:
            self.limits.append(
                Limitation(
                    "drift",
                    LimitKind.NO_REPO,
                    "Content drift was not checked: the family has no GitHub repository.",
                )
            )
            return None
        clone = self.clients.clone_of(repo)
        listing: FileListing | None = None
        if clone is not None:
            self.announce(f"{repo} (local clone)")
            try:
                listing = git_tree(clone, repo)
            except SourceError as err:
                if err.kind != "no_trees":
                    self.limits.append(Limitation("drift", source_kind(err.kind), str(err), repo))
        if listing is None:
            if clone is None:
                self.announce(repo)
            try:
                listing = github_tree(self.clients.github_api(), repo)
            except SourceError as err:
                self.limits.append(
                    Limitation(
                        "drift",
                        source_kind(err.kind),
                        f"Content drift was not checked: {err}",
                        repo,
                    )
                )
                return None
        if clone is not None:
            watched = [
                f.path for f in listing.files if KNOWN_FILE.match(posixpath.basename(f.path))
            ]
            try:
                self.dates = git_last_changes(clone, repo, watched)
            except SourceError:
                self.dates = {}  # a treeless clone: dates come from commit titles, or stay unknown
        return listing
