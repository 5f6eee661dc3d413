"""Bar shapes several sections share: shares beside the paper's marks, grouped percent bars.

Shares of families with the paper's published values marked (Figures 20 and 22), and grouped
percent bars of a cross-tabulation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.corpus import paper
from core.corpus import stats as cs
from core.figures.corpus.chart import (
    CORPUS_NAMES,
    Chart,
    families_text,
    fmt_p,
    join,
    layout,
    missing,
    pct,
)
from core.figures.palette import CORPUS_COLORS

PAPER_MARK = {
    "symbol": "line-ns-open",
    "size": 20,
    "color": "black",
    "line": {"width": 3, "color": "black"},
}


def grouped_bars(
    table: pd.DataFrame,
    colors: dict[str, str],
    x_title: str,
    y_title: str,
    height: int = 360,
    labels: bool = True,
) -> go.Figure:
    """One bar trace per column of a percent table, x = its index (values on the bars)."""
    fig = go.Figure()
    for col in table.columns:
        fig.add_trace(
            go.Bar(
                x=list(table.index),
                y=table[col],
                name=str(col),
                marker_color=colors.get(col),
                text=[pct(v) for v in table[col]] if labels else None,
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"%{{x}} · {col}: %{{y:.1f}}%<extra></extra>",
            )
        )
    top = float(np.nanmax(table.to_numpy())) if table.size else 1.0
    return layout(
        fig,
        height,
        barmode="group",
        xaxis={"title": x_title},
        yaxis={"title": y_title, "range": [0, top * 1.15]},
    )


def share_chart(
    families: pd.DataFrame,
    by: str,
    key: str,
    section: str,
    title: str,
    published: dict[str, float],
    figure: paper.Published,
    colors: dict[str, str],
) -> Chart:
    """Percent of families per value of `by`, one bar series per corpus, the paper's marks."""
    if families.empty:
        return missing(key, section, title, "No families match the filters.")
    table = cs.share_table(families, by)
    order = sorted(cs.ORDERS[by], key=lambda n: published.get(n, 0))  # largest on top
    fig = go.Figure()
    corpora = [c for c in ("paper", "mine") if f"{c}_percent" in table]
    several = len(corpora) > 1
    for corpus in corpora:
        rows = table.set_index(by).reindex(order)
        color = (
            CORPUS_COLORS[corpus]
            if several
            else [colors.get(n, CORPUS_COLORS["paper"]) for n in order]
        )
        fig.add_trace(
            go.Bar(
                y=order,
                x=rows[f"{corpus}_percent"],
                orientation="h",
                name=CORPUS_NAMES[corpus],
                marker_color=color,
                # Padded clear of the paper's mark; zero shares stay unlabelled.
                text=[f"   {pct(v)}" if v else "" for v in rows[f"{corpus}_percent"]],
                textfont={"size": 11},
                textposition="outside",
                cliponaxis=False,
                customdata=rows[f"{corpus}_families"],
                hovertemplate="%{y}: %{x:.1f}% (%{customdata} families)<extra></extra>",
                showlegend=several,
            )
        )
    fig.add_trace(
        go.Scatter(
            y=order,
            x=[published.get(n) for n in order],
            mode="markers",
            marker=PAPER_MARK,
            name=f"paper, published ({figure.ref.split(',')[0]})",
            hovertemplate="%{y}: %{x:.1f}% in the paper<extra></extra>",
        )
    )
    top = max([*table[[f"{c}_percent" for c in corpora]].to_numpy().ravel(), *published.values()])
    layout(
        fig,
        90 + (52 if several else 34) * len(order),
        barmode="group",
        uniformtext={"minsize": 10, "mode": "show"},
        xaxis={"title": "% of families", "range": [0, top * 1.18]},
    )
    shares = cs.share(families, by)
    computed = join(f"{n} {pct(v)}" for n, v in shares.items() if v > 0)
    fit = cs.goodness_of_fit(families, by, published)
    fit_text = (
        f"χ² goodness of fit vs the paper's shares: χ²={fit.statistic:.2f}, {fmt_p(fit.p)}"
        if fit
        else ""
    )
    caption = (
        f"{families_text(len(families))}: {computed}. Share of families; {fit_text}. "
        f"{figure.caption()}"
    )
    return Chart(key, section, title, fig, caption, table)
