"""Changes never carried over: commits with no commit on the other platform nearby.

"No commit on the other platform within N days" is a symmetric window: a GitHub commit is
carried over when some HF variant has a commit at most N days before or after it (a change may
be published on the Hub first). Commits younger than N days cannot be judged yet and are
counted as `pending`, not as isolated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from core.audit.commits import CommitRef, _by_type, _refs
from core.audit.plain import _Plain

WINDOW_DAYS = 14


@dataclass(frozen=True)
class IsolatedChanges(_Plain):
    """Commits with no commit on the other platform within `window_days` (either way)."""

    window_days: int
    n_gh: int
    n_hf: int
    n_gh_total: int
    n_hf_total: int
    gh_by_type: dict[str, int]
    hf_by_type: dict[str, int]
    gh: tuple[CommitRef, ...]  # behaviour-changing first, then newest; at most MAX_LISTED
    hf: tuple[CommitRef, ...]
    n_pending: int  # younger than the window: cannot be judged yet


def _covered(times: np.ndarray, other: np.ndarray, window: int) -> np.ndarray:
    """For each time, whether `other` (sorted) has a value within +-window (ns)."""
    if len(other) == 0:
        return np.zeros(len(times), dtype=bool)
    idx = np.searchsorted(other, times - window, side="left")
    inside = idx < len(other)
    nearest = other[np.minimum(idx, len(other) - 1)]
    return inside & (nearest <= times + window)


def _isolated(
    frame: pd.DataFrame, window_days: int, now: datetime, max_listed: int
) -> IsolatedChanges:
    window = int(window_days) * 86_400 * 10**9
    ns = frame["timestamp"].to_numpy(dtype="datetime64[ns]").astype("int64")
    is_gh = (frame["platform"] == "GH").to_numpy()
    gh_t, hf_t = ns[is_gh], ns[~is_gh]
    covered = np.empty(len(frame), dtype=bool)
    covered[is_gh] = _covered(gh_t, hf_t, window)
    covered[~is_gh] = _covered(hf_t, gh_t, window)
    cutoff = pd.Timestamp(now).value - window
    pending = (~covered) & (ns > cutoff)
    lonely = frame[(~covered) & (~pending)]
    gh, hf = lonely[lonely["platform"] == "GH"], lonely[lonely["platform"] == "HF"]
    return IsolatedChanges(
        window_days=window_days,
        n_gh=len(gh),
        n_hf=len(hf),
        n_gh_total=int(is_gh.sum()),
        n_hf_total=int((~is_gh).sum()),
        gh_by_type=_by_type(gh),
        hf_by_type=_by_type(hf),
        gh=_refs(gh, max_listed),
        hf=_refs(hf, max_listed),
        n_pending=int(pending.sum()),
    )
