"""Propagation links: the first commit on the other side whose tree holds the same content, and
the links a Hub commit message states itself (a GitHub SHA or URL, a known sync bot).

A link runs from the side that held the content first. Delays are exact, in hours.
"""

from __future__ import annotations

import bisect
import re

import numpy as np
import pandas as pd

from core.propagation.content import matched_by
from core.records import GH, HF

GH_TO_HF, HF_TO_GH = "GH→HF", "HF→GH"
LINK_COLUMNS = (
    "variant",
    "direction",
    "kind",  # "content" | "message"
    "source_sha",
    "source_time",
    "source_path",
    "target_sha",
    "target_time",
    "target_path",
    "key",
    "matched_by",  # "path" | "name" | "content" | "message"
    "delay_hours",
)
_URL_SHA = re.compile(
    r"github\.com[/:][\w.-]+/[\w.-]+?(?:\.git)?/commits?/([0-9a-f]{7,40})\b", re.IGNORECASE
)
_BARE_SHA = re.compile(r"(?<![0-9A-Za-z/])([0-9a-f]{7,40})(?![0-9A-Za-z])")
#: Messages that automated mirroring writes: (name, pattern).
SYNC_BOTS = (
    ("hub-sync", re.compile(r"\bSync from \S+ via hub-sync\b", re.IGNORECASE)),
    (
        "sync_with_huggingface",
        re.compile(r"Synced repo using 'sync_with_huggingface' Github Action", re.IGNORECASE),
    ),
    ("auto-sync", re.compile(r"^\s*Auto Sync from \S*github\.com", re.IGNORECASE)),
)


def content_links(versions: pd.DataFrame) -> pd.DataFrame:
    """One link per content key held by GitHub and a variant, from whichever held it first."""
    gh = versions[versions["platform"] == GH]
    hf = versions[versions["platform"] == HF]
    pairs = gh.merge(hf, on="key", suffixes=("_gh", "_hf"))
    if pairs.empty:
        return empty_links()
    ahead = (pairs["time_hf"] >= pairs["time_gh"]).to_numpy()

    def side(column: str, first: bool) -> np.ndarray:
        gh_col, hf_col = pairs[f"{column}_gh"].to_numpy(), pairs[f"{column}_hf"].to_numpy()
        return np.where(ahead == first, gh_col, hf_col)

    links = pd.DataFrame(
        {
            "variant": pairs["repo_hf"].to_numpy(),
            "direction": np.where(ahead, GH_TO_HF, HF_TO_GH),
            "kind": "content",
            "source_sha": side("sha", True),
            "source_time": pd.to_datetime(side("time", True), utc=True),
            "source_path": side("path", True),
            "target_sha": side("sha", False),
            "target_time": pd.to_datetime(side("time", False), utc=True),
            "target_path": side("path", False),
            "key": pairs["key"].to_numpy(),
            "matched_by": matched_by(pairs["path_gh"], pairs["path_hf"]),
        }
    )
    links["delay_hours"] = (links["target_time"] - links["source_time"]).dt.total_seconds() / 3600
    return links[list(LINK_COLUMNS)]


def message_links(commits: pd.DataFrame) -> pd.DataFrame:
    """Links stated by Hub commit messages that name a cached GitHub commit (SHA or URL)."""
    gh = commits[commits["platform"] == GH]
    hf = commits[commits["platform"] == HF]
    if gh.empty or hf.empty:
        return empty_links()
    shas = sorted(gh["sha"].astype(str))
    rows = []
    for row in hf.itertuples(index=False):
        text = f"{row.title}\n{row.message}"
        named = {m.lower() for m in _URL_SHA.findall(text)} | set(_BARE_SHA.findall(text))
        for prefix in sorted(named):
            sha = _expand(shas, prefix)
            if sha is not None:
                rows.append((row.repo, sha, row.sha, row.timestamp))
    if not rows:
        return empty_links()
    when = gh.drop_duplicates("sha").set_index("sha")["timestamp"]
    found = pd.DataFrame(rows, columns=["variant", "source_sha", "target_sha", "target_time"])
    links = found.assign(
        direction=GH_TO_HF,
        kind="message",
        source_time=when.reindex(found["source_sha"]).to_numpy(),
        source_path=None,
        target_path=None,
        key=None,
        matched_by="message",
    )
    links["delay_hours"] = (links["target_time"] - links["source_time"]).dt.total_seconds() / 3600
    return links[list(LINK_COLUMNS)]


def sync_bot(text: str) -> str | None:
    """The name of the mirroring bot that wrote a commit message, if it is a known one."""
    for name, pattern in SYNC_BOTS:
        if pattern.search(text or ""):
            return name
    return None


def automated_commits(commits: pd.DataFrame) -> pd.DataFrame:
    """The Hub commits written by a known sync bot: variant, sha, time, bot."""
    hf = commits[commits["platform"] == HF]
    bots = [sync_bot(f"{t}\n{m}") for t, m in zip(hf["title"], hf["message"], strict=True)]
    found = hf.assign(bot=bots).dropna(subset=["bot"])
    return pd.DataFrame(
        {
            "variant": found["repo"].to_numpy(),
            "sha": found["sha"].to_numpy(),
            "time": found["timestamp"].to_numpy(),
            "bot": found["bot"].to_numpy(),
        }
    )


def empty_links() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in LINK_COLUMNS})
    for column in ("source_time", "target_time"):
        frame[column] = pd.Series(dtype="datetime64[ns, UTC]")
    frame["delay_hours"] = pd.Series(dtype="float64")
    return frame


def _expand(shas: list[str], prefix: str) -> str | None:
    """The one GitHub sha starting with `prefix`, if exactly one does."""
    i = bisect.bisect_left(shas, prefix)
    hits = shas[i : i + 2]
    matches = [s for s in hits if s.startswith(prefix)]
    return matches[0] if len(matches) == 1 else None
