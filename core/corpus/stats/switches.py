"""Platform switches of a set of families: joined to their groups, and days per switch."""

from __future__ import annotations

import pandas as pd

from core.corpus.stats.groups import ordered


def switch_frame(families: pd.DataFrame, switches: pd.DataFrame) -> pd.DataFrame:
    """Switches of the given families with their lag, pattern, age_group and variants.

    Only switches of families present in `families` are kept, so filtering the families
    (a subset, a maturity group, exclusions) filters the switches the same way.
    """
    keys = [c for c in ("corpus", "family") if c in families.columns and c in switches.columns]
    attrs = [c for c in ("lag", "pattern", "age_group", "variants") if c in families.columns]
    return switches.merge(families[keys + attrs], on=keys, how="inner")


def mean_switch_days(switches: pd.DataFrame, by: str) -> dict[str, float]:
    """Mean days per switch for each group of `by` (over all switches, two decimals)."""
    data = switches.dropna(subset=[by])
    means = data.groupby(by)["days"].mean().round(2)
    return {str(k): float(means[k]) for k in ordered(means.index, by)}


def switch_summary(switches: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per group of `by`: switches, mean, median, quartiles and max of the days per switch."""
    data = switches.dropna(subset=[by])
    grouped = data.groupby(by)["days"]
    table = pd.DataFrame(
        {
            "switches": grouped.size(),
            "mean_days": grouped.mean().round(2),
            "median_days": grouped.median(),
            "q1_days": grouped.quantile(0.25),
            "q3_days": grouped.quantile(0.75),
            "max_days": grouped.max(),
        }
    )
    return table.reindex(ordered(table.index, by)).rename_axis(by).reset_index()
