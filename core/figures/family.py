"""Plotly figures for a family: the biweekly timeline (paper, Figure 9) and change-type shares.

Pure functions: data in, `plotly.graph_objects.Figure` out. Commits are aggregated to one
point per (row, period) before plotting, so a family with 40 variants and ten years of history
draws a few thousand points at most.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.engine.periods import PERIOD_DAYS, period_label
from core.figures.palette import GH_COLOR, HF_COLOR, LABEL_COLORS, LINE_COLOR, UNLABELED
from core.vocabulary import CHANGE_TYPES

GITHUB_ROW = "GitHub"
MAX_HOVER_TITLES = 5


def timeline_cells(commits: pd.DataFrame) -> pd.DataFrame:
    """One row per (timeline row, period): commit count, dominant label, first titles, authors.

    `commits` has `platform`, `model`, `period`, `timestamp` and optionally `title`, `text`,
    `label`, `author_name`/`authors`. The timeline row is "GitHub" or the HF model id.
    """
    data = commits.copy()
    rows = pd.Series(np.where(data["platform"] == "GH", GITHUB_ROW, data["model"]), data.index)
    data["row"] = _inert(rows.astype(str))
    if "label" not in data.columns:
        data["label"] = None
    data["label"] = data["label"].fillna(UNLABELED)
    title = (
        data["title"]
        if "title" in data.columns
        else data.get("text", pd.Series("", index=data.index))
    )
    data["hover_title"] = title.fillna("").astype(str).str.slice(0, 80)
    who = data["author_name"] if "author_name" in data.columns else pd.Series("", index=data.index)
    data["who"] = who.fillna("").astype(str)
    data = data.sort_values("timestamp", kind="stable")
    label_part = data["label"].where(data["label"] == UNLABELED, " [" + data["label"] + "]")
    label_part = label_part.where(data["label"] != UNLABELED, "")
    who_part = ("— " + data["who"]).where(data["who"] != "", "")
    line = (data["hover_title"] + label_part + " " + who_part).str.strip()
    data["line"] = _inert(line)
    keys = ["row", "period"]
    grouped = data.groupby(keys, sort=False)
    cells = grouped.agg(
        platform=("platform", "first"),
        n=("platform", "size"),
        start=("timestamp", "min"),
        end=("timestamp", "max"),
    )
    counts = data.groupby([*keys, "label"], sort=False).size().rename("k").reset_index()
    top = counts.sort_values("k", ascending=False, kind="stable").drop_duplicates(keys)
    cells["label"] = top.set_index(keys)["label"]
    shown = data[grouped.cumcount() < MAX_HOVER_TITLES]
    cells["titles"] = shown.groupby(keys, sort=False)["line"].agg("<br>".join)
    more = cells["n"] - MAX_HOVER_TITLES
    cells["titles"] = cells["titles"].where(
        more <= 0, cells["titles"] + "<br>… and " + more.astype(str) + " more"
    )
    return cells.reset_index()


def _inert(text: pd.Series) -> pd.Series:
    """Text from a repository as plotly text: its `<a>`, `<b>`, ... shown, never rendered."""
    return text.str.replace("&", "&amp;").str.replace("<", "&lt;").str.replace(">", "&gt;")


def row_order(cells: pd.DataFrame) -> list[str]:
    """GitHub on top, then variants by their first active period (then name)."""
    hf = cells[cells["row"] != GITHUB_ROW].groupby("row")["period"].min()
    variants = sorted(hf.index, key=lambda r: (hf[r], r))
    return [GITHUB_ROW, *variants] if (cells["row"] == GITHUB_ROW).any() else variants


def both_sides_start(commits: pd.DataFrame) -> int | None:
    """The first period by which both platforms have had a commit (None: one platform only)."""
    firsts = commits.groupby("platform")["period"].min()
    return int(firsts.max()) if len(firsts) == 2 else None


def timeline_figure(
    commits: pd.DataFrame,
    t0: pd.Timestamp,
    co_active: list[int] | tuple[int, ...],
    *,
    color_by: str = "platform",
    title: str | None = None,
    start_at_both: bool = True,
) -> go.Figure:
    """The family's biweekly timeline: a dot per row and active period, sized by commits.

    x is the biweekly period (labelled Wk2, Wk4, ... like the paper, calendar dates on the
    top axis and in the hover); dashed vertical lines mark periods where both platforms are
    active. `color_by` is "platform" (blue GitHub, orange HF) or "label" (change type).
    With `start_at_both` the view opens at `both_sides_start` (earlier periods stay one pan
    or double-click away, with their own numbers), so a lone early commit does not push the
    activity into a corner.
    """
    cells = timeline_cells(commits)
    order = row_order(cells)
    last = int(cells["period"].max()) if not cells.empty else 1
    first = (both_sides_start(commits) or 1) if start_at_both else 1
    # Dots never grow much wider than a period's slot, so long histories stay readable.
    biggest = float(np.clip(900 / max(last, 1), 9, 34))
    size = 6 + (biggest - 6) * np.sqrt(cells["n"].to_numpy() / max(cells["n"].max(), 1))
    cells["size"] = size
    starts = pd.Timestamp(t0) + pd.to_timedelta((cells["period"] - 1) * PERIOD_DAYS, unit="D")
    ends = starts + pd.Timedelta(days=PERIOD_DAYS - 1)
    cells["dates"] = starts.dt.strftime("%Y-%m-%d") + " – " + ends.dt.strftime("%Y-%m-%d")
    fig = go.Figure()
    # Co-active periods: one dashed trace with gaps, instead of hundreds of shapes.
    if co_active:
        xs, ys = [], []
        for p in co_active:
            xs += [p, p, None]
            ys += [order[0], order[-1], None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name="both platforms active",
                line={"color": LINE_COLOR, "dash": "dash", "width": 1},
                hoverinfo="skip",
            )
        )
    hover = (
        "<b>%{y}</b> · %{customdata[0]} (period %{x})<br>%{customdata[1]}"
        "<br>%{customdata[2]} commit(s)<br>%{customdata[3]}<extra></extra>"
    )
    groups = (
        [
            ("GitHub", cells["platform"] == "GH", GH_COLOR),
            ("Hugging Face", cells["platform"] == "HF", HF_COLOR),
        ]
        if color_by == "platform"
        else [
            (label, cells["label"] == label, LABEL_COLORS.get(label, "#333"))
            for label in [*CHANGE_TYPES, UNLABELED]
            if (cells["label"] == label).any()
        ]
    )
    for name, mask, color in groups:
        part = cells[mask]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["period"],
                y=part["row"],
                mode="markers",
                name=name,
                marker={
                    "size": part["size"],
                    "color": color,
                    "opacity": 0.85,
                    "line": {"width": 0.5, "color": "white"},
                },
                customdata=np.stack(
                    [part["period"].map(period_label), part["dates"], part["n"], part["titles"]],
                    axis=-1,
                ),
                hovertemplate=hover,
            )
        )
    ticks = _ticks(first, last)
    fig.add_trace(
        go.Scatter(
            x=[1, last],
            y=[order[0], order[0]],
            xaxis="x2",
            mode="markers",
            marker={"opacity": 0},
            showlegend=False,
            hoverinfo="skip",
        )
    )
    # Pixel layout: the plot area grows with the rows; the legend sits under the axis title
    # and the bottom margin grows with its rows (about four entries fit in a row).
    plot = min(1200, 40 + 30 * len(order))
    legend_rows = int(np.ceil((len(groups) + bool(co_active)) / 4))
    top, bottom = (80 if title else 50), 72 + 22 * legend_rows
    fig.update_layout(
        title=None
        if title is None
        else {"text": _inert(pd.Series([title])).iloc[0], "y": 0.99, "yanchor": "top"},
        height=plot + top + bottom,
        margin={"l": 10, "r": 10, "t": top, "b": bottom},
        plot_bgcolor="white",
        hovermode="closest",
        dragmode="pan",
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -62 / plot,
            "x": 0,
            "yref": "paper",
            "itemsizing": "constant",
        },
        xaxis={
            "title": {"text": "biweekly period", "standoff": 4},
            "tickvals": ticks,
            "ticktext": [period_label(p) for p in ticks],
            "range": [first - 0.7, last + 0.7],
            "showgrid": True,
            "gridcolor": "#eef0f2",
            "zeroline": False,
        },
        xaxis2={
            "overlaying": "x",
            "side": "top",
            "matches": "x",
            "tickvals": ticks[::2],  # dates are wider than "Wk12": every other tick
            "ticktext": [_day(t0, p) for p in ticks[::2]],
            "tickangle": 0,
            "showgrid": False,
        },
        yaxis={
            "categoryorder": "array",
            "categoryarray": list(reversed(order)),
            "automargin": True,
            "showgrid": True,
            "gridcolor": "#f3f4f6",
        },
    )
    return fig


def _day(t0: pd.Timestamp, period: int, end: bool = False) -> str:
    start = pd.Timestamp(t0) + pd.Timedelta(days=(period - 1) * PERIOD_DAYS)
    if end:
        start += pd.Timedelta(days=PERIOD_DAYS - 1)
    return start.strftime("%Y-%m-%d")


def _ticks(first: int, last: int, target: int = 14) -> list[int]:
    """About `target` ticks over the view (first..last), on a grid through `first`."""
    step = max(1, int(np.ceil((last - first + 1) / target)))
    return list(range(1 + (first - 1) % step, last + 1, step))


def label_share_figure(shares: pd.DataFrame) -> go.Figure:
    """GitHub vs HF share of commits per change type (columns platform, label, share, n)."""
    fig = go.Figure()
    order = (
        shares.groupby("label")["share"].max().sort_values().index.tolist()
        if not shares.empty
        else []
    )
    for platform, name, color in (("GH", "GitHub", GH_COLOR), ("HF", "Hugging Face", HF_COLOR)):
        part = shares[shares["platform"] == platform].set_index("label").reindex(order)
        fig.add_trace(
            go.Bar(
                y=order,
                x=part["share"].fillna(0),
                name=name,
                orientation="h",
                marker_color=color,
                customdata=part["n"].fillna(0),
                hovertemplate="%{y}: %{x:.1f}% (%{customdata} commits)<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        height=max(260, 40 + 34 * len(order)),
        margin={"l": 10, "r": 10, "t": 30, "b": 30},
        plot_bgcolor="white",
        xaxis={"title": "% of the platform's labeled commits", "gridcolor": "#eee"},
        legend={"orientation": "h", "y": 1.08},
    )
    return fig


def standalone_html(fig: go.Figure) -> str:
    """The figure as one HTML file with plotly.js embedded, so it opens with no network."""
    return fig.to_html(
        include_plotlyjs=True, full_html=True, config={"displaylogo": False, "scrollZoom": True}
    )
