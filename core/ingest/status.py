"""How fresh a family's cache is: per repository, the cached commits, the last complete fetch
and the last error — read from the cache only, for the Family page and `report`."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from core import store
from core.records import GH, HF, Family


def family_repos(family: Family) -> list[tuple[str, str]]:
    """(platform, repo) of every repository of `family`: its HF variants, then its GitHub repo."""
    repos = [(HF, v) for v in family.variants]
    if family.github_repo:
        repos.append((GH, family.github_repo))
    return repos


def needs_network(db: sqlite_utils.Database, family: Family) -> bool:
    """Whether some repository of `family` has never been fetched completely."""
    return any(store.last_complete_run(db, p, r) is None for p, r in family_repos(family))


def cache_age(db: sqlite_utils.Database, family: Family) -> datetime | None:
    """When the family's stalest repository was last fetched completely (None: never)."""
    ends: list[datetime | None] = []
    for platform, repo in family_repos(family):
        run = store.last_complete_run(db, platform, repo)
        ends.append(store.from_iso(run["ended_at"]) if run else None)
    if not ends or any(e is None for e in ends):
        return None
    return min(e for e in ends if e is not None)


def family_status(db: sqlite_utils.Database, family: Family) -> list[dict]:
    """One row per repository for display: commits cached, last complete fetch, last error."""
    rows = []
    for platform, repo in family_repos(family):
        complete = store.last_complete_run(db, platform, repo)
        last = store.last_run(db, platform, repo)
        rows.append(
            {
                "platform": platform,
                "repo": repo,
                "commits": store.count_commits(db, platform, repo),
                "fetched_at": complete["ended_at"] if complete else None,
                "backend": complete["backend"] if complete else None,
                "last_status": last["status"] if last else "never",
                "last_error": last["error"] if last and last["status"] == "failed" else None,
            }
        )
    return rows
