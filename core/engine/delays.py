"""Platform switches and the time to reflect changes (paper, Section 4.3.2.5).

Sort a family's commits by time; every adjacent pair on different platforms is a switch
(source, target, previous time, next time, whole days between them). Ties in time put GitHub
before Hugging Face, so the result does not depend on input order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.engine.periods import utc_ns

_NS_PER_DAY = 86_400 * 10**9
SWITCH_COLUMNS = ["family", "source", "target", "prev", "next", "days"]


def switches_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """All switches of all families in `frame`: family, source, target, prev, next, days."""
    if frame.empty:
        return pd.DataFrame(columns=SWITCH_COLUMNS)
    ns = utc_ns(frame["timestamp"])
    is_hf = (frame["platform"] == "HF").to_numpy(dtype=bool)
    fam_codes, fam_names = pd.factorize(frame["family"], sort=True)
    order = np.lexsort((is_hf, ns, fam_codes))
    f, h, t = fam_codes[order], is_hf[order], ns[order]
    hit = np.flatnonzero((f[1:] == f[:-1]) & (h[1:] != h[:-1]))
    prev_t, next_t = t[hit], t[hit + 1]
    names = np.array(["GH", "HF"], dtype=object)
    out = pd.DataFrame(
        {
            "family": np.asarray(fam_names, dtype=object)[f[hit]],
            "source": names[h[hit].astype(int)],
            "target": names[h[hit + 1].astype(int)],
            "prev": pd.to_datetime(prev_t, utc=True),
            "next": pd.to_datetime(next_t, utc=True),
            "days": (next_t - prev_t) // _NS_PER_DAY,
        }
    )
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class DelaySummary:
    """How long changes take to show up on the other platform, in whole days."""

    n_switches: int
    mean_days: float | None
    median_days: float | None
    gh_to_hf_mean: float | None
    gh_to_hf_median: float | None
    hf_to_gh_mean: float | None
    hf_to_gh_median: float | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _stat(values: pd.Series, how: str) -> float | None:
    return None if values.empty else round(float(getattr(values, how)()), 2)


def summarize_delays(switches: pd.DataFrame) -> DelaySummary:
    """Mean and median days overall and per direction, for one family's switches."""
    days = switches["days"].astype(float)
    gh_hf = days[switches["source"] == "GH"]
    hf_gh = days[switches["source"] == "HF"]
    return DelaySummary(
        n_switches=len(days),
        mean_days=_stat(days, "mean"),
        median_days=_stat(days, "median"),
        gh_to_hf_mean=_stat(gh_hf, "mean"),
        gh_to_hf_median=_stat(gh_hf, "median"),
        hf_to_gh_mean=_stat(hf_gh, "mean"),
        hf_to_gh_median=_stat(hf_gh, "median"),
    )
