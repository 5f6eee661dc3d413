"""The commit frame an audit reads, and the commit references its findings point at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from core.audit.links import commit_url
from core.audit.plain import _Plain
from core.commits import commit_frame
from core.vocabulary import BEHAVIOUR_CHANGING

MAX_LISTED = 50  # commits kept per list in the report (counts are always complete)
UNLABELED = "Unlabeled"


@dataclass(frozen=True)
class CommitRef(_Plain):
    """One commit as a finding points at it."""

    platform: str
    repo: str
    sha: str
    timestamp: datetime
    title: str
    label: str | None
    url: str | None  # None: the repository id is not well-formed

    @property
    def behaviour_changing(self) -> bool:
        return self.label in BEHAVIOUR_CHANGING


def _normalise(commits: pd.DataFrame) -> pd.DataFrame:
    """Only the columns the audit reads, from the commit frame; sorted by time."""
    frame = commit_frame(commits, full=True)
    title = frame["title"].fillna("").astype(str)
    frame = pd.DataFrame(
        {
            "platform": frame["platform"].astype(str),
            "repo": frame["repo"].astype(str),
            "sha": frame["sha"].fillna("").astype(str),
            "timestamp": frame["timestamp"],
            "title": title.where(title != "", frame["text"].fillna("").astype(str)),
            "label": frame["label"] if "label" in frame.columns else None,
        },
        index=frame.index,
    )
    frame["label"] = frame["label"].astype(object).where(frame["label"].notna(), None)
    return frame.sort_values("timestamp", kind="stable").reset_index(drop=True)


def _refs(part: pd.DataFrame, max_listed: int) -> tuple[CommitRef, ...]:
    """Commit references, behaviour-changing first, newest first within each group."""
    if part.empty:
        return ()
    key = part["label"].isin(BEHAVIOUR_CHANGING)
    ordered = part.assign(_b=key).sort_values(["_b", "timestamp"], ascending=[False, False])
    top = ordered.head(max_listed)
    return tuple(
        CommitRef(
            platform=p,
            repo=r,
            sha=s,
            timestamp=t.to_pydatetime(),
            title=_first_line(ti),
            label=lb,
            url=commit_url(p, r, s),
        )
        for p, r, s, t, ti, lb in zip(
            top["platform"],
            top["repo"],
            top["sha"],
            top["timestamp"],
            top["title"],
            top["label"],
            strict=True,
        )
    )


def _first_line(text: str) -> str:
    return str(text or "").strip().split("\n", 1)[0][:200]


def _by_type(part: pd.DataFrame) -> dict[str, int]:
    counts = part["label"].fillna(UNLABELED).value_counts()
    return {str(k): int(v) for k, v in counts.items()}
