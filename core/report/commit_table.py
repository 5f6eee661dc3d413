"""A family's commits as a browsable table: where each happened, filters, and the export.

Every commits export (the page's CSV and `python -m core export`) has the same columns:
`EXPORT_COLUMNS` (the `classify` input format first), then `LABEL_COLUMNS` when known.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import date

import pandas as pd

from core.csvsafe import csv_text

GITHUB = "GitHub"
TABLE_COLUMNS = ("timestamp", "where", "period", "label", "title", "text", "author_name", "sha")
EXPORT_COLUMNS = ("family", "platform", "model", "date", "sha", "author", "title", "message")
LABEL_COLUMNS = ("label", "label_source", "period")


def with_location(commits: pd.DataFrame) -> pd.DataFrame:
    """Add `where`: "GitHub" for GitHub commits, the HF model id for Hub commits."""
    out = commits.copy()
    # an uploaded CSV's `model` is categorical, which cannot take a new value in place
    out["where"] = out["model"].astype(object).where(out["platform"] == "HF", GITHUB)
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


def export_frame(commits: pd.DataFrame) -> pd.DataFrame:
    """Commits in the export columns, oldest first (dates ISO 8601 UTC with Z; model empty
    for GitHub rows; author: GitHub's author name or login, the Hub's authors joined)."""
    extra = [c for c in LABEL_COLUMNS if c in commits.columns]
    if commits.empty:
        return pd.DataFrame(columns=[*EXPORT_COLUMNS, *extra])
    commits = commits.sort_values("timestamp", kind="stable")
    hf = commits["platform"] == "HF"
    author = _column(commits, "author_name").fillna(_column(commits, "author_login")).fillna("")
    hf_authors = _column(commits, "authors").fillna("[]").map(_join_authors)
    out = pd.DataFrame(
        {
            "family": commits["family"].astype(str),
            "platform": commits["platform"],
            "model": commits["model"].where(hf, "").fillna(""),
            "date": commits["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "sha": _column(commits, "sha").fillna(""),
            "author": hf_authors.where(hf & (hf_authors != ""), author),
            "title": _column(commits, "title").fillna(""),
            "message": _column(commits, "message").fillna(""),
        }
    )
    for name in extra:
        out[name] = commits[name]
    return out.reset_index(drop=True)


def export_csv(commits: pd.DataFrame) -> str:
    """`export_frame` as CSV with every field quoted (messages hold bare carriage returns
    that other writers leave unquoted); `classify` reads it back."""
    return csv_text(export_frame(commits), lineterminator="\n", quoting=csv.QUOTE_ALL)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return (
        frame[name] if name in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    )


def _join_authors(text: str) -> str:
    try:
        names = json.loads(text)
    except ValueError:
        return ""
    return ", ".join(str(n) for n in names) if isinstance(names, list) else ""
