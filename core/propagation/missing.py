"""What a stale variant lacks, exactly: the current GitHub files whose content never reached it,
and the GitHub commits that made them (for the audit's stale variants)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import sqlite_utils

from core import store
from core.propagation.build import Propagation, build_propagation
from core.propagation.measures import NEVER_ARRIVED
from core.records import GH, Family


@dataclass(frozen=True)
class MissingFile:
    """A file whose current GitHub version never reached `variant`, and the commit that made it."""

    variant: str
    path: str
    gh_sha: str
    gh_time: datetime
    change: str  # "A" added on GitHub, "M" modified
    label: str | None = None  # the GitHub commit's change type, when labeled


def missing_files(result: Propagation, variant: str) -> tuple[MissingFile, ...]:
    """The files `variant` lacks: GitHub versions still current that never arrived, newest first."""
    status = result.status
    rows = status[
        (status["variant"] == variant)
        & (status["status"] == NEVER_ARRIVED)
        & ~status["superseded"].astype(bool)
    ].sort_values(["time", "path"], ascending=[False, True], kind="stable")
    return tuple(
        MissingFile(
            variant=variant,
            path=str(r.path),
            gh_sha=str(r.sha),
            gh_time=r.time.to_pydatetime(),
            change=str(r.change),
            label=r.label if isinstance(r.label, str) else None,
        )
        for r in rows.itertuples(index=False)
    )


def cached_missing_files(
    db: sqlite_utils.Database, family: Family, commits: pd.DataFrame | None = None
) -> dict[str, tuple[MissingFile, ...]] | None:
    """`missing_files` of each variant whose file history is cached, from the cache alone;
    None when the GitHub repository's file history is not (then nothing can be said)."""
    if family.github_repo is None or not store.file_sources(db, [(GH, family.github_repo)]):
        return None  # no GitHub file history: nothing to build (the audit's usual case)
    result = build_propagation(db, family, commits)
    return {
        v: missing_files(result, v) for v in family.variants if v not in result.missing_histories
    }
