"""One look at a family: where each repository's head is now against what the last look saw,
then a fetch of only what moved, and which variants became stale.

A look costs one request per repository when nothing moved (`sources.heads.HeadProbe`).
Heads are remembered (`store.heads`) only for repositories whose new state reached the cache:
a repository whose probe or fetch failed keeps its old head, so the next look tries again;
when nothing could be reached the cache is not written at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import sqlite_utils

from core import store
from core.audit.report import audit_family
from core.errors import SourceError
from core.ingest.fetch import FetchReport, Progress, update_family
from core.ingest.sources.heads import Head
from core.ingest.status import family_repos
from core.records import GH, HF, Family

UNCHANGED, MOVED, NEW, DELETED, GONE, FAILED = (
    "unchanged",
    "moved",
    "new",
    "deleted",  # this look found it gone
    "gone",  # an earlier look found it gone; still gone
    "failed",
)


class Probe(Protocol):
    """What a look asks (`sources.heads.HeadProbe`, or a fake in tests)."""

    requests: int

    def hub_head(self, model_id: str) -> Head: ...
    def github_head(self, repo: str, etag: str | None = None) -> Head: ...


@dataclass(frozen=True)
class RepoChange:
    """One repository between the last look and this one."""

    platform: str
    repo: str
    before: str | None
    now: str | None
    status: str  # unchanged | moved | new | deleted | gone | failed
    via: str | None = None
    error: str | None = None
    kind: str | None = None  # SourceError kind when failed


@dataclass(frozen=True)
class Look:
    """What one look found and did."""

    family: str
    looked_at: datetime
    repos: tuple[RepoChange, ...]
    fetch: FetchReport | None  # None: nothing moved, nothing fetched
    became_stale: tuple[str, ...]
    stale: tuple[str, ...]
    requests: int  # head requests of this look (fetches count theirs in `fetch`)

    @property
    def changed(self) -> tuple[RepoChange, ...]:
        return tuple(r for r in self.repos if r.status in (MOVED, NEW, DELETED))

    @property
    def failed(self) -> tuple[RepoChange, ...]:
        return tuple(r for r in self.repos if r.status == FAILED)

    @property
    def offline(self) -> bool:
        """Every repository failed for want of a network: nothing was learnt or written."""
        return _offline(self.repos)

    @property
    def ok(self) -> bool:
        return not self.failed and (self.fetch is None or self.fetch.ok)

    def to_dict(self) -> dict:
        return {
            "family": self.family,
            "looked_at": self.looked_at.isoformat(),
            "repos": [r.__dict__ for r in self.repos],
            "fetched": [
                {"platform": f.platform, "repo": f.repo, "status": f.status, "new": f.n_new}
                for f in (self.fetch.repos if self.fetch else ())
            ],
            "became_stale": list(self.became_stale),
            "stale": list(self.stale),
            "requests": self.requests,
            "fetch_requests": self.fetch.requests if self.fetch else 0,
            "offline": self.offline,
            "ok": self.ok,
        }


def look(
    db: sqlite_utils.Database,
    family: Family,
    probe: Probe,
    sources,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Look:
    """Look at `family` once: compare heads, fetch what moved, remember what was seen."""
    when = now or datetime.now(UTC)
    seen = store.seen_heads(db, family_repos(family))
    start = probe.requests
    changes: list[RepoChange] = []
    heads: dict[tuple[str, str], Head] = {}
    for platform, repo in family_repos(family):
        last = seen.get((platform, repo))
        try:
            head = (
                probe.hub_head(repo)
                if platform == HF
                else probe.github_head(repo, last.etag if last else None)
            )
        except SourceError as err:
            before = last.sha if last else None
            changes.append(
                RepoChange(platform, repo, before, None, FAILED, None, str(err), err.kind)
            )
            continue
        heads[(platform, repo)] = head
        changes.append(_compare(db, head, last))
    requests = probe.requests - start
    if _offline(changes):
        return Look(family.name, when, tuple(changes), None, (), (), requests)

    stale_before = stale_variants(db, family)
    moved = {(c.platform, c.repo) for c in changes if c.status in (MOVED, NEW)}
    fetch = None
    if moved:
        subset = Family(
            family.name,
            family.github_repo if (GH, family.github_repo) in moved else None,
            tuple(m for m in family.members if (HF, m.model_id) in moved),
        )
        fetch = update_family(db, subset, sources, refresh=True, progress=progress)
    fetched_failed = {(f.platform, f.repo) for f in (fetch.failed if fetch else ())}
    store.save_heads(
        db,
        [
            store.SeenHead(
                c.platform,
                c.repo,
                c.now,
                heads[(c.platform, c.repo)].etag or _etag(seen.get((c.platform, c.repo))),
                "deleted" if c.status in (DELETED, GONE) else "present",
                store.to_iso(when),
            )
            for c in changes
            if c.status != FAILED and (c.platform, c.repo) not in fetched_failed
        ],
    )
    stale_after = stale_variants(db, family)
    return Look(
        family.name,
        when,
        tuple(changes),
        fetch,
        tuple(v for v in family.variants if v in stale_after and v not in stale_before),
        tuple(v for v in family.variants if v in stale_after),
        requests,
    )


def _offline(changes: Sequence[RepoChange]) -> bool:
    return bool(changes) and all(c.kind in ("network", "timeout") for c in changes)


def _etag(last: store.SeenHead | None) -> str | None:
    return last.etag if last else None


def stale_variants(db: sqlite_utils.Database, family: Family) -> set[str]:
    """The variants the audit finds stale on the cached commits (GitHub moved after them)."""
    commits = store.family_commits(db, family)
    if commits.empty:
        return set()
    report = audit_family(family.name, family.github_repo, family.variants, commits)
    return {s.model_id for s in report.stale if s.is_stale}


def _compare(db: sqlite_utils.Database, head: Head, last: store.SeenHead | None) -> RepoChange:
    """This look's head against the last one (or, before any look, against the cache)."""
    platform, repo = head.platform, head.repo
    if head.gone:
        before = last.sha if last else store.head_sha(db, platform, repo)
        status = GONE if last and last.status == "deleted" else DELETED
        return RepoChange(platform, repo, before, None, status, head.via)
    if head.not_modified and last is not None:
        return RepoChange(platform, repo, last.sha, last.sha, UNCHANGED, head.via)
    if last is not None and last.status == "present":
        status = UNCHANGED if head.sha == last.sha else MOVED
        return RepoChange(platform, repo, last.sha, head.sha, status, head.via)
    # never looked at (or back after a deletion): judge by what the cache holds
    if store.last_complete_run(db, platform, repo) is None:
        return RepoChange(platform, repo, None, head.sha, NEW, head.via)
    if platform == HF:
        before = store.head_sha(db, HF, repo)
        status = UNCHANGED if head.sha == before else MOVED
        return RepoChange(platform, repo, before, head.sha, status, head.via)
    known = head.sha is None or head.sha in store.known_shas(db, GH, repo)
    return RepoChange(platform, repo, None, head.sha, UNCHANGED if known else MOVED, head.via)
