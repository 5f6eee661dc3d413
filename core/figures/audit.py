"""Plotly figures for the audit page: changes never carried over, by change type and platform.

Pure functions: an audit finding in, `plotly.graph_objects.Figure` out.
"""

from __future__ import annotations

import plotly.graph_objects as go

from core.audit import IsolatedChanges
from core.audit.tables import isolated_counts
from core.figures.palette import GH_COLOR, HF_COLOR


def isolated_figure(isolated: IsolatedChanges) -> go.Figure:
    """Horizontal bars: per change type, the commits of each platform that never reached the
    other one within the window. Behaviour-changing types are marked with ⚠ and sorted on top.
    """
    counts = isolated_counts(isolated)
    totals = counts.groupby("change type")["commits"].sum()
    risky = set(counts.loc[counts["behaviour-changing"], "change type"])
    # plotly draws the first category at the bottom: least important first
    order = sorted(totals.index, key=lambda k: (k in risky, totals[k], k))
    names = {k: f"⚠ {k}" if k in risky else k for k in order}
    fig = go.Figure()
    for platform, color in (("GitHub", GH_COLOR), ("Hugging Face", HF_COLOR)):
        part = counts[counts["platform"] == platform].set_index("change type")["commits"]
        part = part.reindex(order, fill_value=0)
        fig.add_trace(
            go.Bar(
                y=[names[k] for k in order],
                x=part.tolist(),
                name=f"{platform} only",
                orientation="h",
                marker_color=color,
                hovertemplate="%{y}: %{x} commits<extra>" + platform + "</extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        height=max(220, 60 + 30 * len(order)),
        margin={"l": 10, "r": 10, "t": 30, "b": 30},
        plot_bgcolor="white",
        xaxis={
            "title": f"commits with no commit on the other side within {isolated.window_days} days",
            "gridcolor": "#eee",
            "dtick": 1 if counts["commits"].sum() <= 10 else None,  # whole commits, no 0.5 ticks
        },
        legend={"orientation": "h", "y": 1.1},
    )
    return fig
