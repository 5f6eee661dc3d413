"""A family's commits as a browsable table: where each happened, filters, and the export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from core.ingest.commit_csv import frame_to_csv

GITHUB = "GitHub"
TABLE_COLUMNS = ("timestamp", "where", "period", "label", "title", "text", "author_name", "sha")
EXPORT_COLUMNS = ("sha", "author_name", "title", "message", "label", "label_source", "period")


def with_location(commits: pd.DataFrame) -> pd.DataFrame:
    """Add `where`: "GitHub" for GitHub commits, the HF model id for Hub commits."""
    out = commits.copy()
    out["where"] = out["model"].where(out["platform"] == "HF", GITHUB)
    return out


def filter_commits(
    commits: pd.DataFrame,
    *,
    search: str = "",
    where: Sequence[str] = (),
    labels: Sequence[str] = (),
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Commits matching every given filter: text (case-insensitive, literal), repositories
    (`where` values), change types, and an inclusive date range (UTC dates)."""
    view = commits if "where" in commits.columns else with_location(commits)
    if search:
        text = view["text"] if "text" in view.columns else view.get("title")
        if text is not None:
            view = view[text.fillna("").str.contains(search, case=False, regex=False)]
    if where:
        view = view[view["where"].isin(list(where))]
    if labels and "label" in view.columns:
        view = view[view["label"].isin(list(labels))]
    days = view["timestamp"].dt.date
    keep = pd.Series(True, index=view.index)
    if start is not None:
        keep &= days >= start
    if end is not None:
        keep &= days <= end
    return view[keep]


def commit_table(commits: pd.DataFrame) -> pd.DataFrame:
    """The columns the page shows, newest first."""
    view = commits if "where" in commits.columns else with_location(commits)
    columns = [c for c in TABLE_COLUMNS if c in view.columns]
    return view[columns].sort_values("timestamp", ascending=False).reset_index(drop=True)


def export_csv(commits: pd.DataFrame) -> str:
    """The commits with their labels as CSV, in the `classify` input format first
    (family, platform, model, date) so an export can be classified again."""
    extra = [c for c in EXPORT_COLUMNS if c in commits.columns]
    frame = commits[["family", "platform", "model", "timestamp", *extra]].copy()
    frame["family"] = frame["family"].astype(str)
    return frame_to_csv(frame.sort_values("timestamp", kind="stable"))
