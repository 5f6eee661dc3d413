"""The commit frame as integer arrays: family and model codes in name order, HF flags, times.

Algorithms 2-4 and the switches only compare families, variants, platforms and times, so the
engine reads each column once into numpy arrays and never touches a string again. Codes
follow name order (Python's string order), which is the order families are reported in and
the order that breaks ties between variants.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.commits import equals
from core.records import HF

NS_PER_DAY = 86_400 * 10**9


@dataclass(frozen=True)
class CommitCodes:
    """One entry per commit: `family` and `model` (int32) index `families` and `models`
    (sorted names; `model` is meaningful on HF rows only), `is_hf`, `ns` (int64 UTC
    nanoseconds)."""

    families: np.ndarray
    family: np.ndarray
    models: np.ndarray
    model: np.ndarray
    is_hf: np.ndarray
    ns: np.ndarray

    @property
    def n_families(self) -> int:
        return len(self.families)


def utc_ns(times: pd.Series) -> np.ndarray:
    """A column of times as int64 nanoseconds since the epoch, whatever its unit or zone."""
    if not isinstance(times.dtype, pd.DatetimeTZDtype):
        times = pd.to_datetime(times, utc=True)
    array = times.array
    if array.unit != "ns":
        array = array.as_unit("ns")
    return np.asarray(array.asi8)


def utc_times(ns: np.ndarray, index: pd.Index | None = None) -> pd.Series:
    """Int64 nanoseconds as a `datetime64[ns, UTC]` column."""
    naive = pd.Series(ns.view("datetime64[ns]"), index=index, copy=False)
    return naive.dt.tz_localize("UTC")


def name_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, names): each value's position in the sorted distinct names (-1 for missing)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = np.asarray(values.array.codes, dtype=np.int32)
        categories = np.asarray(values.array.categories, dtype=object)
        used = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(categories)))
        names = categories[used]
        order = np.array(sorted(range(len(names)), key=names.__getitem__), dtype=np.int64)
        remap = np.full(len(categories) + 1, -1, dtype=np.int32)  # the last one maps -1
        remap[used[order]] = np.arange(len(order))
        return remap[codes], names[order]
    codes, names = pd.factorize(values, sort=True)
    return codes.astype(np.int32), np.asarray(names, dtype=object)


def is_hf(platform: pd.Series) -> np.ndarray:
    """True where a commit is on Hugging Face."""
    return equals(platform, HF)


def commit_codes(frame: pd.DataFrame) -> CommitCodes:
    """The engine's arrays for a commit frame (see `core.commits`)."""
    family, families = name_codes(frame["family"])
    hf = is_hf(frame["platform"])
    if "model" in frame.columns:
        model, models = name_codes(frame["model"])
    else:
        model, models = np.zeros(len(frame), dtype=np.int32), np.array([""], dtype=object)
    return CommitCodes(families, family, models, model, hf, utc_ns(frame["timestamp"]))


def whole_days(later: np.ndarray, earlier: np.ndarray) -> np.ndarray:
    """Whole days from `earlier` to `later` (int64 ns, later >= earlier), rounded down like
    `timedelta.days`, without overflowing when the two are centuries apart."""
    if not len(later) or int(later.max()) - int(earlier.min()) < 1 << 62:
        days = later - earlier
        days //= NS_PER_DAY
        return days
    later_day, later_rest = np.divmod(later, NS_PER_DAY)
    earlier_day, earlier_rest = np.divmod(earlier, NS_PER_DAY)
    return later_day - earlier_day - (later_rest < earlier_rest)


def bit_length(value: int) -> int:
    return max(int(value), 0).bit_length()
