"""Platform switches and the time to reflect changes (paper, Section 4.3.2.5).

Sort a family's commits by time; every adjacent pair on different platforms is a switch
(source, target, previous time, next time, whole days between them). Ties in time put GitHub
before Hugging Face, so the result does not depend on input order.

The switches frame (`switch_table`) is the one shape of switches: one row per switch, grouped
by family in name order. A family's `Switch` records are read from it on demand
(`SwitchRows`), since a large corpus holds millions of switches that most callers only count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from core.commits import categorical
from core.engine.codes import CommitCodes, bit_length, commit_codes, utc_ns, utc_times, whole_days
from core.engine.iso_times import iso_strings
from core.records import PLATFORMS

SWITCH_COLUMNS = ["family", "source", "target", "prev", "next", "days"]
_UNITS = (10**9, 10**6, 10**3, 1)  # the coarsest one that divides every time packs best


class Switch(NamedTuple):
    """Consecutive commits on different platforms: a change showing up on the other side.

    `prev` and `next` are UTC ISO 8601 strings ("2024-01-02T03:04:05Z"), as they are written
    out. An immutable named tuple rather than a dataclass: a corpus holds hundreds of
    thousands of switches, and tuples are built several times faster.
    """

    source: str
    target: str
    prev: str
    next: str
    days: int

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "target": self.target,
            "prev": self.prev,
            "next": self.next,
            "days": self.days,
        }


def _sorted_keys(codes: CommitCodes) -> tuple[np.ndarray, int, int, int] | None:
    """Packed keys (family | time | platform) of every commit, sorted, with the family shift,
    time unit and time origin to read them back; None when they do not fit in 63 bits. They
    fit for whole-second times over any span."""
    family, hf, ns = codes.family, codes.is_hf, codes.ns
    low, high = int(ns.min()), int(ns.max())
    if high - low >= 1 << 62:
        return None
    rel = ns - low
    unit = next(u for u in _UNITS if u == 1 or not np.any(rel % u))
    time_bits = bit_length((high - low) // unit)
    if bit_length(codes.n_families - 1) + time_bits + 1 > 63:
        return None
    if unit > 1:
        rel //= unit
    rel <<= 1
    rel |= hf
    key = family.astype(np.int64)
    key <<= time_bits + 1
    key |= rel
    del rel
    key.sort()
    return key, time_bits + 1, unit, low


def _switch_positions(codes: CommitCodes) -> tuple[np.ndarray, ...]:
    """(family, from HF, prev ns, next ns) of every switch, in family and time order."""
    packed = _sorted_keys(codes) if len(codes.ns) else None
    if packed is None:
        order = np.lexsort((codes.is_hf, codes.ns, codes.family))
        family, hf, ns = codes.family[order], codes.is_hf[order], codes.ns[order]
        hit = np.flatnonzero((family[1:] == family[:-1]) & (hf[1:] != hf[:-1]))
        return family[hit], hf[hit], ns[hit], ns[hit + 1]
    key, shift, unit, low = packed
    step = key[1:] ^ key[:-1]  # same family: no bit above `shift` differs; other platform
    hit = np.flatnonzero((step < (1 << shift)) & ((step & 1) == 1))
    del step
    before, after = key[hit], key[hit + 1]

    def time(k: np.ndarray) -> np.ndarray:
        return ((k & ((1 << shift) - 1)) >> 1) * unit + low

    return before >> shift, (before & 1).astype(bool), time(before), time(after)


def switch_table(codes: CommitCodes) -> pd.DataFrame:
    """All switches of all families: family, source, target, prev, next, days."""
    family, from_hf, prev_t, next_t = _switch_positions(codes)
    source = from_hf.astype(np.int8)
    return pd.DataFrame(
        {
            "family": categorical(family.astype(np.int32), codes.families),
            "source": categorical(source, PLATFORMS),
            "target": categorical(1 - source, PLATFORMS),
            "prev": utc_times(prev_t),
            "next": utc_times(next_t),
            "days": whole_days(next_t, prev_t),
        }
    )


def switches_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """All switches of all families in a commit frame (see `switch_table`)."""
    return switch_table(commit_codes(frame))


@dataclass(frozen=True, eq=False)
class SwitchRows:
    """One family's block of rows in a switches frame, read as `Switch` records on demand."""

    frame: pd.DataFrame
    start: int = 0
    stop: int = 0

    def __len__(self) -> int:
        return self.stop - self.start

    def rows(self) -> pd.DataFrame:
        return self.frame.iloc[self.start : self.stop]

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(source is HF, prev ns, next ns, days) of the block, as numpy arrays."""
        frame, rows = self.frame, slice(self.start, self.stop)
        source = frame["source"]
        if isinstance(source.dtype, pd.CategoricalDtype) and list(source.cat.categories) == [
            *PLATFORMS
        ]:
            from_hf = np.asarray(source.array.codes[rows]) == 1
        else:
            from_hf = source.iloc[rows].to_numpy() == PLATFORMS[1]
        days = frame["days"].to_numpy()[rows]
        return from_hf, utc_ns(frame["prev"])[rows], utc_ns(frame["next"])[rows], days

    def records(self) -> tuple[Switch, ...]:
        if not len(self):
            return ()
        from_hf, prev, next_, days = self.arrays()
        hf = from_hf.tolist()
        return tuple(
            map(
                Switch,
                [PLATFORMS[h] for h in hf],
                [PLATFORMS[not h] for h in hf],
                iso_strings(prev),
                iso_strings(next_),
                days.tolist(),
            )
        )


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
