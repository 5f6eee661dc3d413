"""The page's "Contributors" section: contributors per family and platform, by pattern.

The paper's Fig. 25, with the Spearman test of coordination vs contributors.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.corpus import paper
from core.corpus import stats as cs
from core.figures.corpus.chart import (
    SECTIONS,
    Chart,
    SectionData,
    fmt_p,
    join,
    layout,
    missing,
)
from core.figures.palette import GH_COLOR, HF_COLOR
from core.vocabulary import PATTERNS

SECTION = SECTIONS[4]
COUNT_TICKS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]
SHOWN = ("Frequent", "Disperse", "Sparse")


def contributors_pattern_chart(families: pd.DataFrame) -> Chart:
    """Figure 25: distinct contributors per family on GitHub and on HF, by pattern."""
    key, title = "contributors_pattern", "Contributors per family, by pattern"
    if not {"n_gh", "n_hf"} <= set(families) or families[["n_gh", "n_hf"]].isna().all().all():
        return missing(
            key,
            SECTION,
            title,
            "No contributor counts: fetch families with author data (the paper's "
            "family_author_comparison.csv, or your families' commits).",
            wide=True,
        )
    data = families.dropna(subset=["pattern"])
    order = [p for p in PATTERNS if p in set(data["pattern"])]
    fig = go.Figure()
    for column, name, color in (("n_gh", "GitHub", GH_COLOR), ("n_hf", "Hugging Face", HF_COLOR)):
        part = data.dropna(subset=[column])
        part = part[part[column] > 0]
        fig.add_trace(
            go.Box(
                x=part["pattern"],
                y=part[column],
                name=name,
                marker_color=color,
                boxpoints="outliers",
                marker={"size": 3},
                hoverinfo="y",
            )
        )
    layout(
        fig,
        400,
        boxmode="group",
        xaxis={"categoryorder": "array", "categoryarray": order, "tickangle": -25},
        yaxis={
            "type": "log",
            "title": "distinct contributors (log scale)",
            "tickvals": COUNT_TICKS,
            "ticktext": [str(t) for t in COUNT_TICKS],
        },
    )
    table = (
        data.groupby("pattern")
        .agg(
            families=("family", "size"),
            median_gh=("n_gh", "median"),
            median_hf=("n_hf", "median"),
            mean_gh=("n_gh", "mean"),
            mean_hf=("n_hf", "mean"),
        )
        .reindex(order)
        .round(2)
        .reset_index()
    )
    rho = cs.contributor_spearman(families)
    tests = join(f"{p} ρ={r.rho:.2f}, {fmt_p(r.p)}" for p, r in rho.items() if r is not None)
    basis = next((f" ({r.method.split('; ', 1)[-1]})" for r in rho.values() if r is not None), "")
    medians = join(
        f"{p} {g:g}/{h:g}"
        for p, g, h in zip(table["pattern"], table["median_gh"], table["median_hf"], strict=True)
        if p in SHOWN
    )
    caption = (
        f"Median GH/HF contributors: {medians}. Spearman rank correlation of pattern "
        f"coordination level vs contributors: {tests or 'needs two patterns'}{basis}. "
        f"{paper.CONTRIBUTORS_PATTERN.caption()}"
    )
    return Chart(key, SECTION, title, fig, caption, table, wide=True)


def charts(data: SectionData) -> list[Chart]:
    """The section's charts, in page order."""
    return [contributors_pattern_chart(data.families)]
