"""The page's "Patterns" section: patterns overall, by maturity and by number of variants.

The paper's Figures 22, 23 and 24.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.corpus import paper
from core.corpus import stats as cs
from core.figures.corpus.bars import grouped_bars, share_chart
from core.figures.corpus.chart import (
    SECTIONS,
    Chart,
    SectionData,
    cell,
    chi_text,
    download_table,
    join,
    layout,
    missing,
    pct,
)
from core.figures.palette import MATURITY_COLORS
from core.vocabulary import PATTERNS

SECTION = SECTIONS[0]


def patterns_chart(families: pd.DataFrame) -> Chart:
    """Figure 22: percent of families per synchronization pattern."""
    return share_chart(
        families,
        "pattern",
        "patterns",
        SECTION,
        "Synchronization patterns",
        paper.PATTERN_SHARE,
        paper.PATTERNS_FIG,
        {},
    )


def patterns_by_maturity_chart(families: pd.DataFrame) -> Chart:
    """Figure 23: percent of families per pattern within each maturity group."""
    key, title = "patterns_by_maturity", "Patterns by maturity"
    table = cs.crosstab_share(families, "pattern", "age_group", "columns")
    if table.empty:
        return missing(key, SECTION, title, "No family has a maturity group.")
    fig = grouped_bars(
        table, MATURITY_COLORS, "", "% of the maturity group's families", 380, labels=False
    )
    test = cs.chi_square(families, "pattern", "age_group")
    first, last = table.columns[0], table.columns[-1]
    shown = [p for p in ("Rare", "Sparse", "Disperse", "Sporadic Disjoint") if p in table.index]
    if first == last:
        trend = f"{first}: " + join(f"{p} {cell(table, p, first)}" for p in shown)
    else:
        trend = f"{first} → {last}: " + join(
            f"{p} {cell(table, p, first)} → {cell(table, p, last)}" for p in shown
        )
    caption = (
        f"{trend}. Chi-square test of independence, {chi_text(test)}. "
        f"{paper.PATTERNS_BY_MATURITY.caption()}"
    )
    return Chart(key, SECTION, title, fig, caption, download_table(table, "pattern"))


def variants_chart(families: pd.DataFrame) -> Chart:
    """Figure 24: patterns in single- vs multi-variant families (percent of all families).

    Drawn as the paper's bidirectional bars: single-variant families to the left.
    """
    key, title = "variants", "Single- vs multi-variant families"
    table = cs.crosstab_share(families, "pattern", "variants", "all")
    if table.empty:
        return missing(key, SECTION, title, "No family has a number of variants.")
    table = table.reindex(columns=list(cs.VARIANT_GROUPS), fill_value=0.0)
    order = [p for p in reversed(PATTERNS) if p in table.index]
    fig = go.Figure()
    for group, sign, color in (("single", -1, "#9aa5b1"), ("multiple", 1, "#4c566a")):
        values = table.loc[order, group]
        fig.add_trace(
            go.Bar(
                y=order,
                x=sign * values,
                orientation="h",
                name=f"{group}-variant families",
                marker_color=color,
                text=[pct(v) for v in values],
                textposition="outside",
                cliponaxis=False,
                customdata=values,
                hovertemplate=f"%{{y}} · {group}: %{{customdata:.1f}}% of all families<extra></extra>",
            )
        )
    top = float(table.to_numpy().max()) * 1.3 or 1.0
    ticks = [t for t in (-40, -30, -20, -10, 0, 10, 20, 30, 40) if abs(t) <= top]
    layout(
        fig,
        90 + 34 * len(order),
        barmode="relative",
        xaxis={
            "title": "% of all families (single ← → multiple)",
            "range": [-top, top],
            "tickvals": ticks,
            "ticktext": [str(abs(t)) for t in ticks],
        },
    )
    test = cs.chi_square(families, "pattern", "variants")
    rows = join(
        f"{p} {cell(table, p, 'single')} vs {cell(table, p, 'multiple')}"
        for p in ("Disperse", "Sparse")
        if p in table.index
    )
    caption = (
        f"Single vs multiple: {rows}. Chi-square test of independence, {chi_text(test)}. "
        f"{paper.VARIANTS.caption()}"
    )
    return Chart(key, SECTION, title, fig, caption, download_table(table, "pattern"))


def charts(data: SectionData) -> list[Chart]:
    """The section's charts, in page order."""
    return [
        patterns_chart(data.families),
        patterns_by_maturity_chart(data.families),
        variants_chart(data.families),
    ]
