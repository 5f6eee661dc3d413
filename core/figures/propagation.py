"""Propagation figures: the per-file matrix, and linked commits drawn over the family timeline.

Pure functions: data in, `plotly.graph_objects.Figure` out. `link_overlay` takes the timeline
that `core.figures.family.timeline_figure` drew and adds what exact propagation knows: a line
between each pair of linked commits' dots, and each dot's counterparts in its hover; a
highlighted dot's links are drawn bold and its counterparts ringed.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.figures.family import GITHUB_ROW
from core.figures.palette import GH_COLOR, HF_COLOR, LINE_COLOR
from core.records import GH

LINK_COLOR = "#7c3aed"  # violet: apart from the grey co-active lines
HIGHLIGHT_COLOR = "#d62728"
CELL_COLORS = {"carried": "#59a14f", "late": "#f0a202", "never": "#d62728", "from HF": "#9467bd"}
MAX_COUNTERPARTS = 6
Cell = tuple[str, int]  # (timeline row, period)


def link_cells(links: pd.DataFrame, commits: pd.DataFrame) -> pd.DataFrame:
    """Links placed on the timeline: one row per pair of (row, period) cells, with how many
    file versions (or stated links) join them and the shortest delay."""
    if links.empty or commits.empty:
        return pd.DataFrame(
            columns=["src_row", "src_period", "dst_row", "dst_period", "n", "hours", "kind"]
        )
    rows = np.where(commits["platform"] == GH, GITHUB_ROW, commits["model"])
    where = pd.DataFrame(
        {"sha": commits["sha"], "row": rows, "period": commits["period"]}
    ).drop_duplicates(["sha", "row"])
    gh = where[where["row"] == GITHUB_ROW].drop_duplicates("sha").set_index("sha")
    hf = where[where["row"] != GITHUB_ROW].set_index(["row", "sha"])
    src_gh = links["direction"].str.startswith("GH").to_numpy()
    gh_sha = np.where(src_gh, links["source_sha"], links["target_sha"])
    hf_sha = np.where(src_gh, links["target_sha"], links["source_sha"])
    placed = pd.DataFrame(
        {
            "gh_period": gh["period"].reindex(gh_sha).to_numpy(),
            "hf_period": hf["period"]
            .reindex(list(zip(links["variant"], hf_sha, strict=True)))
            .to_numpy(),
            "variant": links["variant"].to_numpy(),
            "src_gh": src_gh,
            "hours": links["delay_hours"].to_numpy(dtype=float),
            "kind": links["kind"].to_numpy(),
        }
    ).dropna(subset=["gh_period", "hf_period"])
    placed["src_row"] = np.where(placed["src_gh"], GITHUB_ROW, placed["variant"])
    placed["dst_row"] = np.where(placed["src_gh"], placed["variant"], GITHUB_ROW)
    placed["src_period"] = np.where(placed["src_gh"], placed["gh_period"], placed["hf_period"])
    placed["dst_period"] = np.where(placed["src_gh"], placed["hf_period"], placed["gh_period"])
    keys = ["src_row", "src_period", "dst_row", "dst_period"]
    return (
        placed.groupby(keys, sort=False)
        .agg(n=("hours", "size"), hours=("hours", "min"), kind=("kind", "min"))
        .reset_index()
        .astype({"src_period": int, "dst_period": int})
    )


def link_overlay(
    fig: go.Figure,
    links: pd.DataFrame,
    commits: pd.DataFrame,
    *,
    highlight: Cell | None = None,
) -> go.Figure:
    """Draw `links` over a family timeline (in place, and returned): grey lines between linked
    commits' dots, each dot's counterparts added to its hover, the links of `highlight`
    ((row, period)) in bold with its counterparts ringed."""
    cells = link_cells(links, commits)
    if cells.empty:
        return fig
    xs, ys = _segments(cells)
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            name="linked commits (same content)",
            line={"color": LINK_COLOR, "width": 1.5},
            opacity=0.45,
            hoverinfo="skip",
        )
    )
    # lines under the dots: move the new trace to the back, after the co-active lines
    fig.data = (fig.data[-1], *fig.data[:-1])
    _add_counterparts_to_hover(fig, cells)
    if highlight is not None:
        _highlight(fig, cells, highlight)
    return fig


def counterparts(cells: pd.DataFrame) -> dict[Cell, list[str]]:
    """For each timeline cell, one line per linked cell on the other platform."""
    out: dict[Cell, list[str]] = defaultdict(list)
    for r in cells.itertuples(index=False):
        delay = _delay(r.hours)
        what = f"{r.n} file version(s)" if r.kind == "content" else "named in the message"
        out[(r.src_row, r.src_period)].append(
            f"→ {r.dst_row} Wk{2 * r.dst_period}: {what}, {delay}"
        )
        out[(r.dst_row, r.dst_period)].append(
            f"← {r.src_row} Wk{2 * r.src_period}: {what}, {delay}"
        )
    return out


def _add_counterparts_to_hover(fig: go.Figure, cells: pd.DataFrame) -> None:
    lines = counterparts(cells)
    for trace in fig.data:
        if trace.mode != "markers" or trace.customdata is None or trace.xaxis == "x2":
            continue
        extra = []
        for x, y in zip(trace.x, trace.y, strict=True):
            found = lines.get((y, int(x)), [])
            shown = found[:MAX_COUNTERPARTS] + (
                [f"… and {len(found) - MAX_COUNTERPARTS} more"]
                if len(found) > MAX_COUNTERPARTS
                else []
            )
            extra.append("<br><b>Linked:</b><br>" + "<br>".join(shown) if shown else "")
        trace.customdata = np.column_stack([np.asarray(trace.customdata, dtype=object), extra])
        trace.hovertemplate = trace.hovertemplate.replace(
            "<extra></extra>", f"%{{customdata[{trace.customdata.shape[1] - 1}]}}<extra></extra>"
        )


def _segments(cells: pd.DataFrame) -> tuple[list[int | None], list[str | None]]:
    """x and y of one line per pair of linked cells, gaps between them (one trace for all)."""
    xs: list[int | None] = []
    ys: list[str | None] = []
    for r in cells.itertuples(index=False):
        xs += [r.src_period, r.dst_period, None]
        ys += [r.src_row, r.dst_row, None]
    return xs, ys


def _highlight(fig: go.Figure, cells: pd.DataFrame, at: Cell) -> None:
    mine = cells[
        ((cells["src_row"] == at[0]) & (cells["src_period"] == at[1]))
        | ((cells["dst_row"] == at[0]) & (cells["dst_period"] == at[1]))
    ]
    if mine.empty:
        return
    xs, ys = _segments(mine)
    ends = pd.concat(
        [
            mine[["src_row", "src_period"]].set_axis(["row", "period"], axis=1),
            mine[["dst_row", "dst_period"]].set_axis(["row", "period"], axis=1),
        ]
    ).drop_duplicates()
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            name="links of the highlighted commit",
            line={"color": HIGHLIGHT_COLOR, "width": 3},
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=ends["period"],
            y=ends["row"],
            mode="markers",
            name="counterparts",
            marker={
                "size": 22,
                "color": "rgba(0,0,0,0)",
                "line": {"color": HIGHLIGHT_COLOR, "width": 2},
            },
            hoverinfo="skip",
        )
    )


def matrix_figure(matrix: pd.DataFrame, variants: tuple[str, ...]) -> go.Figure:
    """Files x variants: green carried, orange late (darker the later), red never, purple
    first on the Hub; blank where the variant does not carry the file."""
    fig = go.Figure()
    if matrix.empty:
        return fig
    files = sorted(matrix["path"].unique())
    shown = [v for v in variants if v in set(matrix["variant"])]
    text = matrix.pivot(index="path", columns="variant", values="cell").reindex(
        index=files, columns=shown
    )
    status = matrix.pivot(index="path", columns="variant", values="status").reindex(
        index=files, columns=shown
    )
    order = list(CELL_COLORS)
    z = status.apply(lambda col: col.map({s: i for i, s in enumerate(order)})).to_numpy(float)
    n = len(order)
    scale = []
    for i, name in enumerate(order):
        scale += [[i / n, CELL_COLORS[name]], [(i + 1) / n, CELL_COLORS[name]]]
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=shown,
            y=files,
            text=text.fillna("").to_numpy(),
            texttemplate="%{text}",
            colorscale=scale,
            zmin=-0.5,
            zmax=n - 0.5,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y} → %{x}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        height=min(1200, 120 + 26 * len(files)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        plot_bgcolor="white",
        xaxis={"side": "top", "tickangle": 0},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return fig


def delay_figure(status: pd.DataFrame) -> go.Figure:
    """Exact delays (hours, log scale) of the GitHub file versions that reached each variant."""
    reached = status[status["status"] == "reached"]
    fig = go.Figure()
    for i, (variant, part) in enumerate(reached.groupby("variant", sort=True)):
        fig.add_trace(
            go.Box(
                x=part["delay_hours"].clip(lower=0.1),
                name=variant,
                boxpoints="all",
                jitter=0.4,
                marker_color=HF_COLOR if i % 2 else GH_COLOR,
                line_color=LINE_COLOR,
                hovertemplate="%{x:.1f} h<extra>" + variant + "</extra>",
            )
        )
    fig.update_layout(
        height=max(220, 60 + 40 * reached["variant"].nunique()),
        margin={"l": 10, "r": 10, "t": 30, "b": 30},
        showlegend=False,
        plot_bgcolor="white",
        xaxis={"title": "hours from GitHub to the variant (log)", "type": "log"},
    )
    return fig


def _delay(hours: float) -> str:
    if hours != hours:
        return "delay unknown"
    if hours < 0:
        return f"{_delay(-hours)} before"
    if hours < 24:
        return "within the hour" if hours < 1 else f"{math.floor(hours)} h later"
    return f"{hours / 24:.0f} d later"
