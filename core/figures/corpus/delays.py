"""The page's "Time to reflect changes" section: days per switch, and which patterns differ.

Days per switch by lag, pattern and maturity (Section 4.3.3), and the Dunn matrix (Table 3).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.corpus import paper
from core.corpus import stats as cs
from core.figures.corpus.chart import (
    SECTIONS,
    Chart,
    SectionData,
    download_table,
    join,
    kruskal_text,
    layout,
    missing,
)
from core.figures.palette import LAG_COLORS, MATURITY_COLORS

SECTION = SECTIONS[2]
DAY_TICKS = (0, 1, 3, 7, 30, 90, 365, 1000)
BY_NAMES = {"lag": "lag", "pattern": "pattern", "age_group": "maturity"}
MEAN_MARK = {
    "symbol": "diamond",
    "size": 9,
    "color": "#d62728",
    "line": {"width": 1, "color": "white"},
}


def switch_days_chart(switches: pd.DataFrame, by: str) -> Chart:
    """Days per switch by lag, pattern or maturity: boxes on a log(1 + days) axis.

    `switches` is `stats.switch_frame(families, switches)`. Boxes are drawn on
    days + 1 so same-day switches (0 days) stay on the log axis; ticks show plain days.
    Diamonds mark the means.
    """
    name = BY_NAMES[by]
    key, title = f"days_by_{name}", f"Days to reflect changes, by {name}"
    wide = by == "pattern"
    data = switches.dropna(subset=[by])
    if data.empty:
        return missing(
            key,
            SECTION,
            title,
            "No switches between the platforms in the selected families.",
            wide=wide,
        )
    table = cs.switch_summary(data, by)
    order = list(table[by])
    colors = {"lag": LAG_COLORS, "age_group": MATURITY_COLORS}.get(by, {})
    fig = go.Figure()
    for group in order:
        days = data.loc[data[by] == group, "days"].astype(float)
        fig.add_trace(
            go.Box(
                y=days + 1,
                name=group,
                marker_color=colors.get(group, "#6a51a3"),
                boxpoints="outliers",
                marker={"size": 3, "opacity": 0.5},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=order,
            y=table["mean_days"] + 1,
            mode="markers",
            name="mean",
            marker=MEAN_MARK,
            customdata=table[["mean_days", "median_days", "switches"]],
            hovertemplate=(
                "%{x}: mean %{customdata[0]:.2f} days, median %{customdata[1]} "
                "(%{customdata[2]} switches)<extra></extra>"
            ),
        )
    )
    top = float(data["days"].max()) + 1
    ticks = [t for t in DAY_TICKS if t + 1 <= top * 1.5]
    layout(
        fig,
        380,
        showlegend=True,
        yaxis={
            "type": "log",
            "title": "days until the other platform (log scale)",
            "tickvals": [t + 1 for t in ticks],
            "ticktext": [str(t) for t in ticks],
        },
        xaxis={"tickangle": -25 if by == "pattern" else 0},
    )
    result = cs.kruskal(data, by)
    dunn = cs.dunn_bonferroni(data, by) if result is not None and result.p < cs.ALPHA else None
    post = ""
    if dunn is not None and not dunn.empty:
        sig, pairs = cs.significant_pairs(dunn)
        post = f"; Dunn–Bonferroni post-hoc: {sig} of {pairs} pairs differ (p<{cs.ALPHA})"
    means = join(f"{g} {m:.2f}" for g, m in zip(table[by], table["mean_days"], strict=True))
    caption = (
        f"Mean days per switch: {means} ({len(data):,} switches). {kruskal_text(result)}"
        f"{post}. {paper.DAYS[by].caption()}"
    )
    return Chart(key, SECTION, title, fig, caption, table, wide=wide)


def _p_text(p: float) -> str:
    return ("< " if p < cs.ALPHA else "x ") + (f"{p:.0e}" if p < 0.001 else f"{p:.3f}")


def dunn_chart(switches: pd.DataFrame, published: pd.DataFrame | None = None) -> Chart:
    """Table 3 as a heatmap: Dunn–Bonferroni p-values of switch days between patterns.

    Lower triangle only, as in the paper; "<" marks p < 0.05 and "x" a non-significant pair.
    """
    key, title = "dunn", "Which patterns differ in days per switch (Table 3)"
    data = switches.dropna(subset=["pattern"])
    matrix = cs.dunn_bonferroni(data, "pattern")
    if matrix.empty:
        return missing(key, SECTION, title, "Needs switches in at least two patterns.", wide=True)
    names = list(matrix.index)
    values = matrix.to_numpy(dtype=float)
    mask = np.tril(np.ones_like(values, dtype=bool), k=-1)
    z = np.where(mask, -np.log10(np.clip(values, 1e-300, 1)), np.nan)
    text = np.where(mask, np.vectorize(_p_text)(values), "")
    # Drop the first row and the last column: they hold only the diagonal and above.
    z, text, cells = z[1:, :-1], text[1:, :-1], np.where(mask, values, np.nan)[1:, :-1]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=names[:-1],
            y=names[1:],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 11},
            colorscale="Blues",
            zmin=0,
            zmax=max(10.0, float(np.nanmax(z)) if mask.any() else 10.0),
            colorbar={"title": {"text": "−log10 p"}, "thickness": 12},
            customdata=cells,
            hovertemplate="%{y} vs %{x}: p=%{customdata:.3g}<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    layout(
        fig,
        60 + 42 * len(names),
        xaxis={"tickangle": -30, "showgrid": False},
        yaxis={"autorange": "reversed", "showgrid": False},
    )
    result = cs.kruskal(data, "pattern")
    sig, pairs = cs.significant_pairs(matrix)
    compare = ""
    if published is not None and not published.empty:
        diff = cs.compare_dunn(matrix, published)
        psig, ppairs = cs.significant_pairs(published.reindex(index=names, columns=names))
        if diff is not None:
            compare = (
                f" Published matrix (dunn_test_results.csv): {psig} of {ppairs} pairs "
                f"significant; largest |Δp| {diff:.3g}."
            )
    caption = (
        f"{kruskal_text(result)}; Dunn–Bonferroni post-hoc (scikit-posthocs): {sig} of "
        f"{pairs} pattern pairs differ (p<{cs.ALPHA}).{compare} Paper: {paper.DUNN.ref}."
    )
    return Chart(key, SECTION, title, fig, caption, download_table(matrix, "pattern"), wide=True)


def charts(data: SectionData) -> list[Chart]:
    """The section's charts, in page order."""
    return [
        switch_days_chart(data.switches, "lag"),
        switch_days_chart(data.switches, "pattern"),
        dunn_chart(data.switches, data.published_dunn),
        switch_days_chart(data.switches, "age_group"),
    ]
