"""Biweekly periods: each commit's period number within its family (paper, Algorithms 2-4).

`t0` is the family's earliest commit over both platforms; a commit's period is
`(whole days since t0) // 14 + 1`, whole days first as Python's `timedelta.days` does, so a
commit 13 days 23:59 after t0 is in period 1 and one 14 days after is in period 2.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PERIOD_DAYS = 14
_NS_PER_DAY = 86_400 * 10**9


def utc_ns(timestamps: pd.Series) -> np.ndarray:
    """Timestamps as int64 nanoseconds since the epoch, whatever the column's unit or zone."""
    ts = pd.to_datetime(timestamps, utc=True)
    return ts.dt.tz_convert(None).dt.as_unit("ns").to_numpy().view("int64")


def truncate_hf_to_date(frame: pd.DataFrame) -> pd.DataFrame:
    """Paper-compatible timestamps: HF commit times cut to their UTC date (the paper's data
    had day resolution for Hugging Face)."""
    out = frame.copy()
    hf = out["platform"].to_numpy() == "HF"
    if hf.any():
        out.loc[hf, "timestamp"] = out.loc[hf, "timestamp"].dt.floor("D")
    return out


def assign_periods(frame: pd.DataFrame, family_col: str = "family") -> pd.DataFrame:
    """Add `period` (int, from 1) and `t0` to a commits frame, per family, vectorised."""
    out = frame.copy()
    ns = utc_ns(out["timestamp"])
    t0 = pd.Series(ns, index=out.index).groupby(out[family_col], sort=False).transform("min")
    days = (ns - t0.to_numpy()) // _NS_PER_DAY
    out["period"] = (days // PERIOD_DAYS + 1).astype("int64")
    out["t0"] = pd.to_datetime(t0.to_numpy(), utc=True)
    return out


def period_start(t0: pd.Timestamp, period: int) -> pd.Timestamp:
    """Calendar start of `period` for a family that began at `t0`."""
    return t0 + pd.Timedelta(days=(period - 1) * PERIOD_DAYS)


def period_label(period: int) -> str:
    """The paper's axis label: period 1 is "Wk2", period 2 "Wk4", ..."""
    return f"Wk{period * 2}"
