"""Biweekly periods: each commit's period number within its family (paper, Algorithms 2-4).

`t0` is the family's earliest commit over both platforms; a commit's period is
`(whole days since t0) // 14 + 1`, whole days first as Python's `timedelta.days` does, so a
commit 13 days 23:59 after t0 is in period 1 and one 14 days after is in period 2.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.engine.codes import NS_PER_DAY, is_hf, utc_ns, utc_times, whole_days

PERIOD_DAYS = 14


def family_t0(family: np.ndarray, ns: np.ndarray, n_families: int) -> np.ndarray:
    """Each family's earliest time (int64 ns), from per-commit family codes and times."""
    t0 = np.full(n_families, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(t0, family, ns)
    return t0


def period_numbers(ns: np.ndarray, t0: np.ndarray) -> np.ndarray:
    """The period (from 1) of each time, given its family's t0 (both int64 ns)."""
    period = whole_days(ns, t0)
    period //= PERIOD_DAYS
    period += 1
    return period


def hf_dates(ns: np.ndarray, hf: np.ndarray) -> np.ndarray:
    """Times with the HF ones cut to their UTC date (int64 ns)."""
    return np.where(hf, ns - ns % NS_PER_DAY, ns)


def truncate_hf_to_date(frame: pd.DataFrame) -> pd.DataFrame:
    """Paper-compatible timestamps: HF commit times cut to their UTC date (the paper's data
    had day resolution for Hugging Face)."""
    out = frame.copy(deep=False)
    ns = hf_dates(utc_ns(out["timestamp"]), is_hf(out["platform"]))
    out["timestamp"] = utc_times(ns, out.index)
    return out


def assign_periods(frame: pd.DataFrame, family_col: str = "family") -> pd.DataFrame:
    """Add `period` (int, from 1) and `t0` to a commits frame, per family, vectorised."""
    out = frame.copy(deep=False)
    codes, names = pd.factorize(out[family_col])
    ns = utc_ns(out["timestamp"])
    t0 = family_t0(codes, ns, len(names))[codes]
    out["period"] = period_numbers(ns, t0)
    out["t0"] = utc_times(t0, out.index)
    return out


def period_label(period: int) -> str:
    """The paper's axis label: period 1 is "Wk2", period 2 "Wk4", ..."""
    return f"Wk{period * 2}"
