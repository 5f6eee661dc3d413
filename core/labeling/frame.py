"""A commit frame as labeling reads it: each row's platform, raw text and cache key."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.errors import InputError
from core.labeling.text import KEY_PATTERN, raw_text, text_key


def platforms(frame: pd.DataFrame) -> pd.Series:
    """GH/HF per row; without a `platform` column, `title`+`message` rows are HF-style."""
    if "platform" not in frame.columns:
        hf_style = "title" in frame.columns and "message" in frame.columns
        return pd.Series("HF" if hf_style else "GH", index=frame.index, dtype=object)
    return frame["platform"].fillna("GH").astype(str).str.upper().str.strip().astype(object)


def raw_texts(frame: pd.DataFrame) -> pd.Series:
    """The text to label per row: `title`+`message` (`core.labeling.text.raw_text`) else `text`.

    Without a `platform` column, a `title`+`message` file is joined HF-style (the paper's
    HF texts); the GitHub message already starts with its title.
    """
    if "title" in frame.columns or "message" in frame.columns:
        title, message = _column(frame, "title"), _column(frame, "message")
        joined = pd.Series(
            [raw_text(p, t, m) for p, t, m in zip(platforms(frame), title, message, strict=True)],
            index=frame.index,
            dtype=object,
        )
        if "text" in frame.columns:  # rows without title/message keep their text
            joined = joined.where(joined.str.strip() != "", _column(frame, "text"))
        return joined
    if "text" in frame.columns:
        return _column(frame, "text")
    raise InputError(
        "The commits have no `text` column (nor `title` and `message`); "
        "add one so there is something to label."
    )


def text_keys(frame: pd.DataFrame) -> pd.Series:
    """The cache key of each row: the `text_hash` the store saved with the commit, else the
    hash of the row's cleaned raw text (each distinct text cleaned once)."""
    missing = np.ones(len(frame), bool)
    keys = np.full(len(frame), None, dtype=object)
    if "text_hash" in frame.columns:  # only what looks like a key: a CSV's column may not
        column = frame["text_hash"]
        valid = is_key(column).to_numpy()
        if valid.all():  # the store's frames: used as they are
            return column.astype(object)
        keys[valid], missing = column.to_numpy(dtype=object)[valid], ~valid
    # rows chosen by position: an index may repeat a label
    raw = raw_texts(frame[missing] if not missing.all() else frame)
    codes, distinct = pd.factorize(raw)  # raw texts are strings ("" for none): no code -1
    keys[missing] = np.array([text_key(t) for t in distinct], dtype=object)[codes]
    return pd.Series(keys, index=frame.index, dtype=object, name=raw.name)


def is_key(values: pd.Series) -> pd.Series:
    """Whether each value is a cache key as `text_hash` makes them (False for None); each
    distinct value is checked once."""
    codes, distinct = pd.factorize(values)
    valid = pd.Series(distinct, dtype="string").str.fullmatch(KEY_PATTERN).fillna(False)
    checked = np.append(valid.to_numpy(dtype=bool), False)  # code -1: a missing value
    return pd.Series(checked[codes], index=values.index, dtype=bool)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[name].fillna("").astype(str).astype(object)
