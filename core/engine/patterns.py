"""Lag, synchronization type, intensity and pattern (paper, Algorithms 2-4 and SPEC table).

Vectorised over families: the input is the commit codes with each commit's period (see
core.engine.codes and core.engine.periods). Every step works on sorted integer keys with
numpy, never by filtering family by family. Besides the labels it returns the facts that
decided them, from which core.engine.explain writes the explanations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine.codes import CommitCodes, bit_length
from core.vocabulary import GH_FIRST, HF_FIRST, PATTERN_TABLE, SIMULTANEOUS

MAX_RARE_PERIODS = 3  # Algorithm 4: a variant active in at most 3 periods is "rare"
MIN_FREQUENT_RUN = 5  # Algorithm 4: 5 consecutive co-active periods make "frequent"
MIN_VS_VARIANTS = 3  # Algorithm 3: a period with at least 3 distinct variants active ...
MIN_VS_PERIODS = 3  # ... and at least 3 such periods make cross-variant synchronization


def firsts(*sorted_columns: np.ndarray) -> np.ndarray:
    """True where a row of sorted columns differs from the row before (and on row 0)."""
    n = len(sorted_columns[0])
    change = np.zeros(n, dtype=bool)
    if n:
        change[0] = True
        for column in sorted_columns:
            change[1:] |= column[1:] != column[:-1]
    return change


def _run_lengths(starts: np.ndarray, n: int) -> np.ndarray:
    return np.diff(np.append(starts, n))


@dataclass(frozen=True)
class Groups:
    """Values grouped by family: family f holds `values[offsets[f]:offsets[f + 1]]`."""

    offsets: np.ndarray
    values: tuple[np.ndarray, ...]

    @classmethod
    def by_family(cls, family: np.ndarray, n_families: int, *values: np.ndarray) -> Groups:
        """From rows sorted by family."""
        return cls(np.searchsorted(family, np.arange(n_families + 1)), values)

    def of(self, family: int) -> tuple[list, ...]:
        lo, hi = self.offsets[family], self.offsets[family + 1]
        return tuple(v[lo:hi].tolist() for v in self.values)

    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)


@dataclass(frozen=True)
class Activity:
    """Unique (family, variant, period) rows, sorted by family, then GitHub (model -1) before
    the variants in name order, then period. `in_gh` marks HF rows in a GitHub-active period."""

    family: np.ndarray
    model: np.ndarray
    period: np.ndarray
    in_gh: np.ndarray
    period_bits: int


def activity(codes: CommitCodes, period: np.ndarray) -> Activity:
    """Who is active in which period, from every commit's codes and period."""
    slot = np.where(codes.is_hf, codes.model + 1, 0)
    n_slots = len(codes.models) + 1
    bits = bit_length(period.max()) if len(period) else 1
    if bit_length(codes.n_families * n_slots) + bits <= 63:
        key = codes.family.astype(np.int64)
        key *= n_slots
        key += slot
        del slot
        key <<= bits
        key |= period
        key.sort()
        key = key[firsts(key)]
        pair = key >> bits
        fam, slot, period = pair // n_slots, pair % n_slots, key & ((1 << bits) - 1)
    else:
        order = np.lexsort((period, slot, codes.family))
        fam, slot, period = codes.family[order].astype(np.int64), slot[order], period[order]
        keep = firsts(fam, slot, period)
        fam, slot, period = fam[keep], slot[keep], period[keep]
    hf = slot > 0
    gh_key = (fam[~hf] << bits) | period[~hf]  # sorted: GitHub rows lead each family
    hf_key = (fam[hf] << bits) | period[hf]
    pos = np.minimum(np.searchsorted(gh_key, hf_key), max(len(gh_key) - 1, 0))
    in_gh = np.zeros(len(fam), dtype=bool)
    if len(gh_key):
        in_gh[hf] = gh_key[pos] == hf_key
    return Activity(fam, slot - 1, period, in_gh, bits)


@dataclass(frozen=True)
class Patterns:
    """Per family (arrays indexed by family code): the labels and the facts behind them.

    `sync_type`, `intensity` and `pattern` are None unless both platforms have commits.
    `busiest_*`: the variant with most active periods (first by name on ties); `run_*`: the
    longest run of consecutive co-active periods of one variant (length 0: none).
    """

    lag: np.ndarray
    sync_type: np.ndarray
    intensity: np.ndarray
    pattern: np.ndarray
    has_gh: np.ndarray
    has_hf: np.ndarray
    n_gh_periods: np.ndarray
    n_variants: np.ndarray
    n_periods: np.ndarray
    busiest_model: np.ndarray
    busiest_n: np.ndarray
    run_model: np.ndarray
    run_start: np.ndarray
    run_length: np.ndarray
    co_active: Groups  # periods where the family's HF activity meets GitHub's
    outside: Groups  # (model, period) of HF activity in periods without GitHub activity
    vs_periods: Groups  # periods with >= 3 variants active


def _best_per_family(family: np.ndarray, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(families, rows): for each family present, its first row in `order`."""
    ranked = family[order]
    rows = order[firsts(ranked)]
    return family[rows], rows


def classify(act: Activity, n: int) -> Patterns:
    """Run Algorithms 2-4 for every family at once."""
    fam, model, period, in_gh, bits = act.family, act.model, act.period, act.in_gh, act.period_bits
    gh, hf = model < 0, model >= 0

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(fam[mask], minlength=n)

    n_gh_periods = count(gh)
    has_gh, has_hf = n_gh_periods > 0, count(hf) > 0

    # Algorithm 2: who is active in the first period (the one holding t0).
    gh1, hf1 = count(gh & (period == 1)) > 0, count(hf & (period == 1)) > 0
    lag = np.select([gh1 & hf1, gh1, hf1], [SIMULTANEOUS, GH_FIRST, HF_FIRST], default="")

    # Algorithm 3: overlap of each variant's periods with GitHub's.
    inside_rows, outside_rows = hf & in_gh, hf & ~in_gh
    inside, outside = count(inside_rows), count(outside_rows)
    per_period = np.sort((fam[hf] << bits) | period[hf])
    starts = np.flatnonzero(firsts(per_period))
    busy = per_period[starts[_run_lengths(starts, len(per_period)) >= MIN_VS_VARIANTS]]
    vs_periods = Groups.by_family(busy >> bits, n, busy & ((1 << bits) - 1))
    sync = np.select(
        [outside == 0, inside > 0, vs_periods.sizes() >= MIN_VS_PERIODS],
        ["CS", "PS", "VS"],
        default="AS",
    )

    # Algorithm 4: rare if every variant has <= 3 periods; frequent on a 5-period co-active run.
    v_fam, v_model = fam[hf], model[hf]
    starts = np.flatnonzero(firsts(v_fam, v_model))
    v_fam, v_model, v_n = v_fam[starts], v_model[starts], _run_lengths(starts, len(v_fam))
    families, rows = _best_per_family(v_fam, np.lexsort((v_model, -v_n, v_fam)))
    busiest_model, busiest_n = np.full(n, -1), np.zeros(n, dtype=np.int64)
    busiest_model[families], busiest_n[families] = v_model[rows], v_n[rows]

    r_fam, r_model, r_period = fam[inside_rows], model[inside_rows], period[inside_rows]
    new_run = firsts(r_fam, r_model)
    new_run[1:] |= r_period[1:] != r_period[:-1] + 1
    starts = np.flatnonzero(new_run)
    r_len = _run_lengths(starts, len(r_fam))
    r_fam, r_model, r_period = r_fam[starts], r_model[starts], r_period[starts]
    families, rows = _best_per_family(r_fam, np.lexsort((r_model, r_period, -r_len, r_fam)))
    run_model, run_start, run_length = np.full(n, -1), np.zeros(n, np.int64), np.zeros(n, np.int64)
    run_model[families], run_start[families], run_length[families] = (
        r_model[rows],
        r_period[rows],
        r_len[rows],
    )
    intensity = np.select(
        [busiest_n <= MAX_RARE_PERIODS, run_length >= MIN_FREQUENT_RUN], ["R", "F"], default="S"
    )

    both = has_gh & has_hf
    sync_type, intensity = sync.astype(object), intensity.astype(object)
    sync_type[~both] = None
    intensity[~both] = None
    pattern = np.array(
        [PATTERN_TABLE.get(k) for k in zip(sync_type, intensity, strict=True)], dtype=object
    )
    co_key = (fam[inside_rows] << bits) | period[inside_rows]
    co_key = np.sort(co_key)
    co_key = co_key[firsts(co_key)]
    return Patterns(
        lag=lag,
        sync_type=sync_type,
        intensity=intensity,
        pattern=pattern,
        has_gh=has_gh,
        has_hf=has_hf,
        n_gh_periods=n_gh_periods,
        n_variants=np.bincount(v_fam, minlength=n),
        n_periods=np.maximum.reduceat(period, np.searchsorted(fam, np.arange(n))),
        busiest_model=busiest_model,
        busiest_n=busiest_n,
        run_model=run_model,
        run_start=run_start,
        run_length=run_length,
        co_active=Groups.by_family(co_key >> bits, n, co_key & ((1 << bits) - 1)),
        outside=Groups.by_family(fam[outside_rows], n, model[outside_rows], period[outside_rows]),
        vs_periods=vs_periods,
    )
