"""Lag, synchronization type, intensity and pattern (paper, Algorithms 2-4 and SPEC table).

Vectorised over families: the input is one commits frame with `family`, `platform`, `model`
and `period` columns (see core.engine.periods), and every step works on integer keys with numpy and
groupby, never by filtering the frame family by family. Besides the labels it returns the
facts that decided them, from which core.engine.analysis writes the explanations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.vocabulary import GH_FIRST, HF_FIRST, PATTERN_TABLE, SIMULTANEOUS

MAX_RARE_PERIODS = 3  # Algorithm 4: a variant active in at most 3 periods is "rare"
MIN_FREQUENT_RUN = 5  # Algorithm 4: 5 consecutive co-active periods make "frequent"
MIN_VS_VARIANTS = 3  # Algorithm 3: a period with at least 3 distinct variants active ...
MIN_VS_PERIODS = 3  # ... and at least 3 such periods make cross-variant synchronization


@dataclass(frozen=True)
class PatternTables:
    """Per-family labels and the facts behind them (all indexed by family, sorted)."""

    labels: pd.DataFrame  # lag, sync_type, intensity, pattern, has_gh, has_hf
    activity: pd.DataFrame  # unique family, platform, model, period rows; `in_gh` for HF rows
    runs: pd.DataFrame  # longest co-active run per family: model, start, length
    busiest: pd.DataFrame  # per family: model with most active periods, n_periods
    vs_periods: pd.Series  # family -> list of periods with >= 3 variants active


def activity_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Unique (family, platform, model, period) rows; HF rows get `in_gh` (period GH-active)."""
    act = frame[["family", "platform", "model", "period"]].drop_duplicates(ignore_index=True)
    fam_codes, _ = pd.factorize(act["family"], sort=True)
    key = fam_codes.astype("int64") << 32 | act["period"].to_numpy(dtype="int64")
    is_gh = act["platform"].to_numpy() == "GH"
    act["in_gh"] = np.isin(key, key[is_gh]) & ~is_gh
    return act


def classify_tables(frame: pd.DataFrame) -> PatternTables:
    """Run Algorithms 2-4 for every family in `frame` at once."""
    act = activity_table(frame)
    families = pd.Index(sorted(act["family"].unique()), name="family")
    is_gh = act["platform"] == "GH"
    gh = act[is_gh]
    hf = act[~is_gh]

    has_gh = pd.Series(True, index=gh["family"].unique()).reindex(families, fill_value=False)
    has_hf = pd.Series(True, index=hf["family"].unique()).reindex(families, fill_value=False)

    # Algorithm 2: who is active in the first period (the one holding t0).
    first = act[act["period"] == 1]
    gh1 = families.isin(first.loc[first["platform"] == "GH", "family"])
    hf1 = families.isin(first.loc[first["platform"] == "HF", "family"])
    lag = np.select([gh1 & hf1, gh1, hf1], [SIMULTANEOUS, GH_FIRST, HF_FIRST], default="")

    # Algorithm 3: overlap of each variant's periods with GitHub's.
    outside = hf.loc[~hf["in_gh"], "family"].value_counts().reindex(families, fill_value=0)
    inside = hf.loc[hf["in_gh"], "family"].value_counts().reindex(families, fill_value=0)
    per_period = hf.groupby(["family", "period"], sort=True).size()
    busy = per_period[per_period >= MIN_VS_VARIANTS].reset_index()
    vs_periods = busy.groupby("family")["period"].agg(list).reindex(families)
    n_busy = vs_periods.map(lambda x: len(x) if isinstance(x, list) else 0)
    sync = np.select(
        [outside.to_numpy() == 0, inside.to_numpy() > 0, n_busy.to_numpy() >= MIN_VS_PERIODS],
        ["CS", "PS", "VS"],
        default="AS",
    )

    # Algorithm 4: rare if every variant has <= 3 periods; frequent on a 5-period co-active run.
    per_variant = hf.groupby(["family", "model"], sort=True).size().rename("n_periods")
    busiest = (
        per_variant.reset_index()
        .sort_values(["family", "n_periods", "model"], ascending=[True, False, True])
        .drop_duplicates("family")
        .set_index("family")
        .reindex(families)
    )
    runs = longest_runs(hf[hf["in_gh"]]).reindex(families)
    rare = busiest["n_periods"].fillna(0).to_numpy() <= MAX_RARE_PERIODS
    frequent = runs["length"].fillna(0).to_numpy() >= MIN_FREQUENT_RUN
    intensity = np.select([rare, frequent], ["R", "F"], default="S")

    both = has_gh.to_numpy() & has_hf.to_numpy()
    labels = pd.DataFrame(
        {
            "lag": lag,
            "sync_type": sync,
            "intensity": intensity,
            "has_gh": has_gh.to_numpy(),
            "has_hf": has_hf.to_numpy(),
        },
        index=families,
    )
    labels["pattern"] = [PATTERN_TABLE.get(k) for k in zip(sync, intensity, strict=True)]
    labels = labels.astype({"sync_type": object, "intensity": object, "pattern": object})
    labels.loc[~both, ["sync_type", "intensity", "pattern"]] = None
    labels = labels.replace({float("nan"): None})
    return PatternTables(
        labels=labels, activity=act, runs=runs, busiest=busiest, vs_periods=vs_periods
    )


def longest_runs(rows: pd.DataFrame) -> pd.DataFrame:
    """Per family, the longest run of consecutive periods of one variant (first one on ties).

    `rows` holds unique (family, model, period) rows, e.g. a variant's co-active periods.
    """
    if rows.empty:
        return pd.DataFrame(columns=["model", "start", "length"], index=pd.Index([], name="family"))
    r = rows[["family", "model", "period"]].sort_values(["family", "model", "period"])
    fam = r["family"].to_numpy()
    mod = r["model"].to_numpy()
    per = r["period"].to_numpy()
    new_run = np.ones(len(r), dtype=bool)
    new_run[1:] = (fam[1:] != fam[:-1]) | (mod[1:] != mod[:-1]) | (per[1:] != per[:-1] + 1)
    run_id = np.cumsum(new_run)
    starts = np.flatnonzero(new_run)
    lengths = np.diff(np.append(starts, len(r)))
    table = pd.DataFrame(
        {
            "family": fam[starts],
            "model": mod[starts],
            "start": per[starts],
            "length": lengths,
            "run": run_id[starts],
        }
    )
    table = table.sort_values(["family", "length", "start"], ascending=[True, False, True])
    return table.drop_duplicates("family").set_index("family")[["model", "start", "length"]]
