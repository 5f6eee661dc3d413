"""Fetching a family into the cache: every HF variant and the GitHub repository, one by one.

Fetching and saving stay separate: the sources yield records, `store.complete_fetch` writes a
repo's records, info and run completion in one transaction. A run is `complete` only when
the source proved its listing whole (every page chained to the end and, where the server
states one, the total met — see `sources.listing`); a failure closes the run as `failed` and
leaves earlier data untouched. Cached commits are pruned as rewritten (force push, squashed
Hub history) only on such a whole listing, and the report counts them.

Three modes:
- default: repos that already have a complete run are served from the cache (no network);
- `refresh=True`: ask only for what is new. An HF variant costs one request (model info)
  when its head sha is unchanged; the GitHub API is asked `since` the newest cached
  committer date (git re-reads its local log after one `git fetch`) and known shas are
  skipped; when a listed commit's parent is neither listed nor cached (a branch committed
  before `since` and merged after it), the API history is listed in full once;
- `full=True`: list everything again (commits upsert, so nothing is duplicated).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Protocol

import sqlite_utils

from core import store
from core.errors import SourceError
from core.ingest.status import needs_network
from core.records import GH, HF, CommitRecord, Family, ModelInfo

Progress = Callable[[str, int, int | None, str], None]
# Failures that say a repository is not there for us (a git clone of a missing repository
# asks for credentials: "private"), as opposed to a fault worth trying again.
GONE = frozenset({"not_found", "private"})


class HubSource(Protocol):
    """What fetching needs from `core.ingest.sources.hf.HubClient` (its `requests` count is optional)."""

    def model_info(self, model_id: str) -> ModelInfo: ...
    def list_commits(self, model_id: str) -> list[CommitRecord]: ...


class GitHubSource(Protocol):
    """What `core.ingest.sources.github.choose_backend` returns (API or git backend)."""

    name: str
    requests: int

    def iter_commits(self, repo: str, since: datetime | None = None) -> Iterator[CommitRecord]: ...


@dataclass(frozen=True)
class RepoFetch:
    """What happened to one repository during a fetch."""

    platform: str
    repo: str
    backend: str
    n_commits: int  # commits of this repo in the cache afterwards
    n_new: int
    status: str  # "complete" | "unchanged" | "cached" | "failed"
    error: str | None = None
    from_cache: bool = False
    cached_at: str | None = None  # end of the last complete run (UTC ISO), if any
    requests: int = 0
    kind: str | None = None  # SourceError kind when failed (rate_limit, network, ...)
    retry_at: str | None = None  # when a rate limit resets, if the source said
    n_removed: int = 0  # cached commits a whole listing proved rewritten away


@dataclass(frozen=True)
class FetchReport:
    """The outcome of `fetch_family`: one `RepoFetch` per repository, in fetch order."""

    family: str
    repos: tuple[RepoFetch, ...]

    @property
    def failed(self) -> tuple[RepoFetch, ...]:
        return tuple(r for r in self.repos if r.status == "failed")

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.repos)

    @property
    def missing(self) -> bool:
        """Every repository failed as unknown (or unreadable): the target does not exist."""
        return all(r.status == "failed" and r.kind in GONE for r in self.repos)


def fetch_family(
    db: sqlite_utils.Database,
    family: Family,
    *,
    hub: HubSource | None,
    github: GitHubSource | None,
    refresh: bool = False,
    full: bool = False,
    progress: Progress | None = None,
) -> FetchReport:
    """Fetch every repository of `family` into the cache; one failure never stops the others."""
    report: list[RepoFetch] = []
    say = progress or (lambda *_: None)
    for model_id in family.variants:
        report.append(
            _guard(
                db,
                HF,
                model_id,
                "hub",
                partial(_fetch_hf, db, model_id, hub, refresh=refresh, full=full, say=say),
                say,
            )
        )
    if family.github_repo:
        repo = family.github_repo
        backend = github.name if github is not None else "none"
        report.append(
            _guard(
                db,
                GH,
                repo,
                backend,
                partial(_fetch_gh, db, repo, github, refresh=refresh, full=full, say=say),
                say,
            )
        )
    return FetchReport(family.name, tuple(report))


def update_family(
    db: sqlite_utils.Database,
    family: Family,
    sources,
    *,
    refresh: bool = False,
    full: bool = False,
    progress: Progress | None = None,
) -> FetchReport:
    """Bring `family`'s cache up to date: the one fetch path of the page, the CLI and batch.

    Clients are built (from `sources`, see `core.ingest.clients.Sources`) only when some
    repository needs the network: never fetched completely, or `refresh`/`full` asked.
    Progress goes through `progress(repo, done, total, message)`, rendered by the caller;
    the GitHub backend's choice is announced through it too.
    """
    say = progress or (lambda *_: None)
    online = refresh or full or needs_network(db, family)
    github = None
    if online and family.github_repo:
        known = store.count_commits(db, GH, family.github_repo) or None
        github, why = sources.github(family.github_repo, known)
        say(family.github_repo, 0, None, why)
    return fetch_family(
        db,
        family,
        hub=sources.hub() if online else None,
        github=github,
        refresh=refresh,
        full=full,
        progress=progress,
    )


def _guard(
    db: sqlite_utils.Database,
    platform: str,
    repo: str,
    backend: str,
    work: Callable[[], RepoFetch],
    say: Progress,
) -> RepoFetch:
    """Run one repo's fetch; turn its failure into a `failed` row that names the cached age."""
    try:
        return work()
    except SourceError as err:
        previous = store.last_complete_run(db, platform, repo)
        say(repo, 0, None, f"failed: {err}")
        return RepoFetch(
            platform,
            repo,
            backend,
            store.count_commits(db, platform, repo),
            0,
            "failed",
            str(err),
            from_cache=True,
            cached_at=previous["ended_at"] if previous else None,
            kind=err.kind,
            retry_at=err.retry_at,
        )


def _cached(
    db: sqlite_utils.Database,
    platform: str,
    repo: str,
    backend: str,
    previous: dict,
    status: str,
    requests: int = 0,
) -> RepoFetch:
    if status == "cached":
        backend = previous.get("backend") or backend  # what fetched the data we show
    return RepoFetch(
        platform,
        repo,
        backend,
        store.count_commits(db, platform, repo),
        0,
        status,
        from_cache=True,
        cached_at=previous["ended_at"],
        requests=requests,
    )


def _fetch_hf(
    db: sqlite_utils.Database,
    model_id: str,
    hub: HubSource | None,
    *,
    refresh: bool,
    full: bool,
    say: Progress,
) -> RepoFetch:
    previous = store.last_complete_run(db, HF, model_id)
    if previous and not (refresh or full):
        say(model_id, 1, 1, "cached")
        return _cached(db, HF, model_id, "hub", previous, "cached")
    if hub is None:
        raise SourceError(
            f"No Hugging Face client is available to fetch {model_id}.",
            kind="network",
            repo=model_id,
        )
    start = _requests(hub)
    run_id = store.start_run(db, HF, model_id, "hub")
    try:
        say(model_id, 0, None, "checking the Hub")
        info = hub.model_info(model_id)
        if previous and not full and info.sha and info.sha == store.head_sha(db, HF, model_id):
            # Unchanged since the last complete run: one request, no commit listing.
            store.complete_fetch(db, run_id, HF, model_id, [], info=info)
            say(model_id, 1, 1, "unchanged")
            return _cached(db, HF, model_id, "hub", previous, "unchanged", _requests(hub) - start)
        say(model_id, 0, None, "listing commits")
        records = hub.list_commits(model_id)
        # The Hub lists the whole history every time (proved whole, or list_commits raises),
        # so it also says what was rewritten — when it holds the head the Hub just reported;
        # a listing without it changed in between and proves nothing gone.
        listed = frozenset(r.sha for r in records)
        whole = not info.sha or info.sha in listed
        saved = store.complete_fetch(
            db, run_id, HF, model_id, records, info=info, present=listed if whole else None
        )
    except SourceError as err:
        store.finish_run(db, run_id, status="failed", error=str(err))
        raise
    except BaseException as err:
        store.finish_run(db, run_id, status="failed", error=f"interrupted: {type(err).__name__}")
        raise
    say(model_id, len(records), len(records), _summary(len(records), saved))
    return RepoFetch(
        HF,
        model_id,
        "hub",
        store.count_commits(db, HF, model_id),
        saved.n_new,
        "complete",
        requests=_requests(hub) - start,
        n_removed=saved.n_removed,
    )


def _fetch_gh(
    db: sqlite_utils.Database,
    repo: str,
    github: GitHubSource | None,
    *,
    refresh: bool,
    full: bool,
    say: Progress,
) -> RepoFetch:
    previous = store.last_complete_run(db, GH, repo)
    backend = github.name if github is not None else "none"
    if previous and not (refresh or full):
        say(repo, 1, 1, "cached")
        return _cached(db, GH, repo, backend, previous, "cached")
    if github is None:
        raise SourceError(
            f"No GitHub backend is available to fetch {repo}.", kind="network", repo=repo
        )
    incremental = previous is not None and not full
    # Only the API pages by `since`; git reads its whole local log anyway, and a `since` there
    # would drop branch commits merged after the last fetch with older committer dates.
    since = (
        _since(db, repo, previous)
        if previous is not None and incremental and github.name == "api"
        else None
    )
    known = store.known_shas(db, GH, repo) if incremental else set()
    start = _requests(github)
    run_id = store.start_run(db, GH, repo, github.name)
    records: list[CommitRecord] = []
    listed: set[str] = set()  # every sha of a whole-history listing (since is None)
    try:
        for record in github.iter_commits(repo, since=since):
            listed.add(record.sha)
            if record.sha in known:
                # skip, not stop: a merged branch's older commits can follow a known head
                continue
            records.append(record)
            if len(records) % 100 == 0:
                say(repo, len(records), None, f"{len(records)} commits via {github.name}")
        if since is not None and _history_has_gaps(github, known, records):
            # A branch committed before `since` was merged since the last fetch: list it all.
            say(repo, len(records), None, "a merged branch predates the last fetch; listing all")
            seen = known | {r.sha for r in records}
            records += [r for r in github.iter_commits(repo, since=None) if r.sha not in seen]
        saved = store.complete_fetch(
            db,
            run_id,
            GH,
            repo,
            records,
            n_pages=_requests(github) - start,
            present=frozenset(listed) if since is None else None,
        )
    except SourceError as err:
        store.finish_run(db, run_id, status="failed", error=str(err))
        raise
    except BaseException as err:
        store.finish_run(db, run_id, status="failed", error=f"interrupted: {type(err).__name__}")
        raise
    say(repo, len(records), len(records), _summary(len(records), saved))
    status = "unchanged" if incremental and not records and not saved.n_removed else "complete"
    return RepoFetch(
        GH,
        repo,
        github.name,
        store.count_commits(db, GH, repo),
        saved.n_new,
        status,
        from_cache=status == "unchanged",
        requests=_requests(github) - start,
        cached_at=previous["ended_at"] if status == "unchanged" and previous else None,
        n_removed=saved.n_removed,
    )


def _history_has_gaps(github: object, known: set[str], records: list[CommitRecord]) -> bool:
    """True when a listed commit's parent is neither listed nor cached (backends that say)."""
    parents: set[str] = getattr(github, "parents", None) or set()
    return bool(parents - known - {r.sha for r in records})


def _since(db: sqlite_utils.Database, repo: str, previous: dict) -> datetime | None:
    """The newest cached committer date, but never later than the last complete run began.

    A commit with a committer date in the future (clock skew) would otherwise become `since`
    and hide every commit pushed until that date.
    """
    newest = store.latest_committed_time(db, GH, repo)
    began = store.from_iso(previous.get("started_at"))
    if newest is None or began is None:
        return newest
    return min(newest, began)


def _summary(n_listed: int, saved: store.SavedFetch) -> str:
    gone = f", {saved.n_removed} rewritten away" if saved.n_removed else ""
    return f"{n_listed} commits, {saved.n_new} new{gone}"


def _requests(source: object) -> int:
    """Requests a client has sent so far, when it counts them (fakes may not)."""
    return int(getattr(source, "requests", 0) or 0)
