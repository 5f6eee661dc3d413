"""The page's "Similarity" section: change-type similarity GH vs HF, by maturity and authors.

The paper's Figures 6, 7 and 8.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.corpus import paper
from core.corpus import stats as cs
from core.figures.corpus.bars import grouped_bars
from core.figures.corpus.chart import (
    SECTIONS,
    Chart,
    SectionData,
    cell,
    chi_text,
    download_table,
    families_text,
    join,
    layout,
    missing,
    pct,
)
from core.figures.palette import CONTRIBUTOR_COLORS, SIMILARITY_COLORS

SECTION = SECTIONS[3]


def similarity_chart(families: pd.DataFrame) -> Chart:
    """Figure 6: percent of families per Jaccard similarity bin (0.1 wide)."""
    key, title = "similarity", "Change-type similarity, GitHub vs Hugging Face"
    hist = cs.similarity_histogram(families)
    if hist["n"].sum() == 0:
        return missing(
            key,
            SECTION,
            title,
            "No family has a similarity score: label the commits of your families (analyse "
            "families with text) to see change types and their similarity.",
        )
    labels = [f"{a:.1f}–{b:.1f}" for a, b in zip(hist["left"], hist["right"], strict=True)]
    fig = go.Figure(
        go.Bar(
            x=(hist["left"] + hist["right"]) / 2,
            width=hist["right"] - hist["left"],
            y=hist["percent"],
            marker_color="#6a51a3",
            text=[pct(v) for v in hist["percent"]],
            textposition="outside",
            cliponaxis=False,
            customdata=list(zip(labels, hist["n"], strict=True)),
            hovertemplate=(
                "similarity %{customdata[0]}: %{y:.1f}% (%{customdata[1]} families)<extra></extra>"
            ),
            marker_line={"color": "white", "width": 1},
        )
    )
    layout(
        fig,
        340,
        xaxis={
            "title": "Jaccard similarity of change types",
            "tickvals": [*hist["left"], 1.0],
            "tickformat": ".1f",
            "range": [0, 1],
        },
        yaxis={"title": "% of families", "range": [0, hist["percent"].max() * 1.2]},
    )
    scores = pd.to_numeric(families["similarity"], errors="coerce").dropna()
    above = (scores > 0.3).mean() * 100
    peak = hist.loc[hist["percent"].idxmax()]
    caption = (
        f"{families_text(len(scores))}; {pct(above)} above 0.3, median {scores.median():.2f}, "
        f"most in {peak['left']:.1f}–{peak['right']:.1f} ({pct(peak['percent'])}). "
        "Jaccard similarity of the change-type sets on GitHub and HF, 0.1-wide bins. "
        f"{paper.SIMILARITY.caption()}"
    )
    table = hist.assign(bin=labels)[["bin", "left", "right", "n", "percent"]]
    return Chart(key, SECTION, title, fig, caption, table)


def similarity_by_maturity_chart(families: pd.DataFrame) -> Chart:
    """Figure 7: similarity terciles (low/moderate/high) within each maturity group."""
    key, title = "similarity_by_maturity", "Similarity by maturity"
    data = cs.with_groups(families)
    table = cs.crosstab_share(data, "age_group", "similarity_group", "index")
    if table.empty:
        return missing(
            key,
            SECTION,
            title,
            "Needs similarity scores (labeled commits) and maturity groups for at least three "
            "families.",
        )
    fig = grouped_bars(
        table, SIMILARITY_COLORS, "maturity group", "% of the maturity group's families"
    )
    test = cs.chi_square(data, "similarity_group", "age_group")
    rows = join(
        f"{g}: low {cell(table, g, 'low')}, high {cell(table, g, 'high')}" for g in table.index
    )
    caption = (
        f"{rows}. Similarity terciles (pandas qcut); chi-square test of independence, "
        f"{chi_text(test)}. {paper.SIMILARITY_BY_MATURITY.caption()}"
    )
    return Chart(key, SECTION, title, fig, caption, download_table(table, "age_group"))


def contributors_similarity_chart(families: pd.DataFrame) -> Chart:
    """Figure 8: similarity terciles within single- and multiple-author families."""
    key, title = "contributors_similarity", "Cross-platform contributors vs similarity"
    data = cs.with_groups(families)
    table = cs.crosstab_share(data, "contributors", "similarity_group", "index")
    if table.empty:
        return missing(
            key,
            SECTION,
            title,
            "Needs similarity scores and contributor counts (families fetched with author "
            "data, commits labeled).",
        )
    by_group = table.T
    fig = grouped_bars(
        by_group, CONTRIBUTOR_COLORS, "similarity group", "% of the contributor group's families"
    )
    test = cs.chi_square(data, "contributors", "similarity_group")
    single = join(f"{g} {cell(by_group, g, 'Single-author')}" for g in by_group.index)
    multi = join(f"{g} {cell(by_group, g, 'Multiple-authors')}" for g in by_group.index)
    caption = (
        f"Single-author families by similarity: {single}; multiple-author: {multi}. "
        f"Chi-square test of independence, {chi_text(test)}. "
        f"{paper.CONTRIBUTORS_SIMILARITY.caption()}"
    )
    return Chart(key, SECTION, title, fig, caption, download_table(table, "contributors"))


def charts(data: SectionData) -> list[Chart]:
    """The section's charts, in page order."""
    return [
        similarity_chart(data.families),
        similarity_by_maturity_chart(data.families),
        contributors_similarity_chart(data.families),
    ]
