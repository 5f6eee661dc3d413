"""Stale variants: each HF variant against the GitHub history made after its last commit.

"Days behind" for a variant is the time from its last commit to the newest GitHub commit made
after it (0 when GitHub has nothing newer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from core.audit.commits import CommitRef, _by_type, _refs
from core.audit.limits import Limitation, LimitKind
from core.audit.links import commit_url, repo_url
from core.audit.plain import _Plain
from core.propagation.missing import MissingFile
from core.records import ModelInfo
from core.vocabulary import BEHAVIOUR_CHANGING


@dataclass(frozen=True)
class StaleVariant(_Plain):
    """One HF variant against the GitHub history made after its last commit."""

    model_id: str
    url: str | None  # None: not a well-formed Hub id
    last_commit_at: datetime | None
    last_commit_url: str | None
    gh_commits_since: int
    behaviour_changing_since: int
    by_change_type: dict[str, int]
    days_behind: int | None  # last variant commit -> newest later GitHub commit
    days_since_update: int | None  # last variant commit -> `today`
    commits: tuple[CommitRef, ...]  # behaviour-changing first, then newest; at most MAX_LISTED
    gated: bool = False
    # the current GitHub files whose content never reached it (core.propagation), newest
    # first; None: file histories are not cached, so this was not checked
    missing_files: tuple[MissingFile, ...] | None = None

    @property
    def is_stale(self) -> bool:
        return self.gh_commits_since > 0


def _stale_variant(
    mine: pd.DataFrame | None,
    gh: pd.DataFrame,
    variant: str,
    info: ModelInfo | None,
    now: datetime,
    max_listed: int,
    limits: list[Limitation],
) -> StaleVariant:
    gated = bool(info and info.gated)
    url = repo_url("HF", variant)
    if mine is None or mine.empty:
        limits.append(
            Limitation(
                "stale",
                LimitKind.GATED if gated else LimitKind.NO_COMMITS,
                f"No cached commits for {variant}, so its staleness cannot be judged "
                f"(run `python -m core fetch`{' with an HF_TOKEN that may read it' if gated else ''}).",
                variant,
            )
        )
        return StaleVariant(variant, url, None, None, 0, 0, {}, None, None, (), gated)
    last = mine.iloc[-1]
    last_at = last["timestamp"]
    since = gh.iloc[int(gh["timestamp"].searchsorted(last_at, side="right")) :]
    behind = int((since["timestamp"].iloc[-1] - last_at).days) if len(since) else 0
    return StaleVariant(
        model_id=variant,
        url=url,
        last_commit_at=last_at.to_pydatetime(),
        last_commit_url=commit_url("HF", variant, str(last["sha"])),
        gh_commits_since=len(since),
        behaviour_changing_since=int(since["label"].isin(BEHAVIOUR_CHANGING).sum()),
        by_change_type=_by_type(since),
        days_behind=behind,
        days_since_update=max(int((pd.Timestamp(now) - last_at).days), 0),
        commits=_refs(since, max_listed),
        gated=gated,
    )
