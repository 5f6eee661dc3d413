"""The labeled texts of the learned labeler: the ids and labels in `data/labels.csv`, with
their texts read by id from `../shared/data/` (never copied into the repository)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.errors import InputError
from core.labeling.text import raw_text

LABELS_CSV = Path(__file__).resolve().parent / "data" / "labels.csv"
SHARED = Path(__file__).resolve().parents[3].parent / "shared"
HF_COMMITS = Path("hf_commits") / "hf_commits_s2elab_all.csv"


def read_labels(path: Path = LABELS_CSV) -> pd.DataFrame:
    """platform, source, commit_id, split, label, agreement (sorted, as committed)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def labeled_texts(
    shared: Path = SHARED, labels: pd.DataFrame | None = None, split: str | None = None
) -> pd.DataFrame:
    """The labels with a `text` column (what a labeler reads: GitHub message, HF title and
    message), optionally one split; InputError when a text cannot be found."""
    rows = read_labels() if labels is None else labels
    if split is not None:
        rows = rows[rows["split"] == split]
    texts = {**_github_texts(shared, rows), **_hub_texts(shared, rows)}
    keys = list(zip(rows["platform"], rows["source"], rows["commit_id"], strict=True))
    missing = [k for k in keys if k not in texts]
    if missing:
        raise InputError(
            f"{len(missing)} labeled commits have no text in {shared / 'data'} (first: "
            f"{missing[0]}); the learned labeler is trained from that folder's real data."
        )
    return rows.assign(text=[texts[k] for k in keys]).reset_index(drop=True)


Key = tuple[str, str, str]  # (platform, source, commit id)


def _github_texts(shared: Path, rows: pd.DataFrame) -> dict[Key, str]:
    found: dict[Key, str] = {}
    for source in sorted(set(rows.loc[rows["platform"] == "GH", "source"])):
        path = shared / "data" / "gh_histories" / f"{source}.csv"
        if not path.is_file():
            continue
        history = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=["sha", "message"])
        found.update(
            {("GH", source, s): m for s, m in zip(history["sha"], history["message"], strict=True)}
        )
    return found


def _hub_texts(shared: Path, rows: pd.DataFrame) -> dict[Key, str]:
    path = shared / "data" / HF_COMMITS
    if not (rows["platform"] == "HF").any() or not path.is_file():
        return {}
    hub = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {
        ("HF", m, c): raw_text("HF", t, msg)
        for m, c, t, msg in zip(
            hub["model_id"], hub["commit_id"], hub["title"], hub["message"], strict=True
        )
    }
