"""The commit frame: one row per commit, with the columns and types every part of SyncLens
shares — the cache, the CSV reader, the engine, the report and the audit.

Only `platform` and a time are required; `commit_frame` fills in the rest so that downstream
code never has to ask whether a column exists: `family` (one name when not given), `model`
(the HF model id, "" on GitHub), `repo` (the GitHub repository or the HF model id), `sha`, the
author columns and the texts (empty when unknown), `timestamp` as UTC. Rows without a usable
time are dropped, as the paper's Algorithms 2-4 begin by doing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.records import GH

#: The engine reads these; everything else is carried along for reports and exports.
ENGINE_COLUMNS = ("family", "platform", "model", "timestamp")
#: Text columns of a full commit frame (the cache's), empty when a source did not say.
TEXT_COLUMNS = (
    "repo",
    "sha",
    "author_name",
    "author_email",
    "author_login",
    "authors",
    "title",
    "message",
    "text",
    "text_hash",
)
TIME_COLUMNS = ("timestamp", "committed_at")
COLUMNS = (*ENGINE_COLUMNS, *TEXT_COLUMNS, "committed_at")


def utc_times(values: pd.Series) -> pd.Series:
    """Any column of times (datetimes, ISO 8601 text, naive meaning UTC) as UTC timestamps;
    what cannot be read becomes NaT."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values if str(values.dt.tz) == "UTC" else values.dt.tz_convert("UTC")
    return pd.to_datetime(values, utc=True, format="ISO8601", errors="coerce")


def commit_frame(
    data: pd.DataFrame, *, family: str | None = None, full: bool = False
) -> pd.DataFrame:
    """`data` as the commit frame (a new frame; `data` is not changed).

    `family` names every row (else an existing `family` column is kept, else "family");
    `full` adds every column of `COLUMNS` that is missing, so exports and tables can rely on
    them. The time comes from `timestamp`, else from `date`. A frame that is already one
    (e.g. the CSV reader's, with categorical columns) passes through without a copy.
    """
    out = data.copy(deep=False)  # columns are replaced below, never written into
    if "timestamp" not in out.columns and "date" in out.columns:
        out = out.rename(columns={"date": "timestamp"})
    if family is not None or "family" not in out.columns:
        out["family"] = family or "family"
    gh = equals(out["platform"], GH)
    if "model" not in out.columns:
        out["model"] = out["repo"] if "repo" in out.columns else ""
    out["model"] = _models(out["model"], gh)
    if "repo" in out.columns:
        out["repo"] = out["repo"].where(out["repo"].notna() & (out["repo"] != ""), out["model"])
    for column in TIME_COLUMNS:
        if column in out.columns:
            out[column] = utc_times(out[column])
    if out["timestamp"].isna().any():
        out = out.dropna(subset=["timestamp"])
    if full:
        out = _with_every_column(out)
    return out


def categorical(codes: np.ndarray, names) -> pd.Categorical:
    """A categorical column from integer codes into `names` (kept as Python strings: pandas
    would otherwise copy them into arrow strings, which costs more than all the codes)."""
    categories = pd.Index(np.asarray(names, dtype=object), dtype=object)
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories), validate=False)


def equals(values: pd.Series, value: str) -> np.ndarray:
    """`values == value` as a boolean array, on a categorical's codes when it is one."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.array.categories
        if value not in categories:
            return np.zeros(len(values), dtype=bool)
        return np.asarray(values.array.codes) == categories.get_loc(value)
    return np.asarray(values == value, dtype=bool)


def _models(model: pd.Series, gh: np.ndarray) -> pd.Series:
    """HF model ids as text, "" on GitHub rows and where unknown."""
    if isinstance(model.dtype, pd.CategoricalDtype) and "" in model.array.categories:
        codes = np.asarray(model.array.codes)
        if (codes >= 0).all() and (codes[gh] == model.array.categories.get_loc("")).all():
            return model
    if isinstance(model.dtype, pd.CategoricalDtype):
        model = model.astype(object)
    return model.fillna("").astype(str).where(~gh, "")


def _with_every_column(frame: pd.DataFrame) -> pd.DataFrame:
    for column in TEXT_COLUMNS:
        if column not in frame.columns:
            frame[column] = frame["model"] if column == "repo" else ""
    if "committed_at" not in frame.columns:
        frame["committed_at"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]")
    return frame


def empty_commits() -> pd.DataFrame:
    """A commit frame with every column and no row."""
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    for column in TIME_COLUMNS:
        frame[column] = pd.Series(dtype="datetime64[ns, UTC]")
    return frame
