"""Days for a change to reach the other platform: one histogram per direction, same bins.

Both directions are counted in the same whole-day bins (1 day wide, or a round number of
days when the delays run long) and drawn as two rows over one shared x axis, so a bar in
one row lines up with the bar for the same days in the other. When every delay is 0 days
the axis still spans a week, so the single bar reads as "same day", not as a full-width block.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures.palette import GH_COLOR, HF_COLOR

DIRECTIONS = (("GH", "GitHub → HF", GH_COLOR), ("HF", "HF → GitHub", HF_COLOR))
BIN_WIDTHS = (1, 2, 3, 7, 14, 30, 60, 90, 180, 365)  # days
MAX_BINS = 40
MIN_SPAN_DAYS = 7


@dataclass(frozen=True)
class DayBins:
    """Whole-day bins [start, start + width) shared by both directions, with their counts."""

    width: int
    starts: np.ndarray  # first day of each bin
    counts: dict[str, np.ndarray]  # source platform -> switches per bin

    def label(self, i: int) -> str:
        first = int(self.starts[i])
        if self.width == 1:
            return f"{first} day" + ("" if first == 1 else "s")
        return f"{first}–{first + self.width - 1} days"


def day_bins(switches: pd.DataFrame) -> DayBins:
    """Count each direction's switches in the same integer-day bins (`days` >= 0)."""
    days = switches["days"].astype(int).to_numpy() if not switches.empty else np.array([], int)
    top = int(days.max()) if days.size else 0
    width = next((w for w in BIN_WIDTHS if top // w + 1 <= MAX_BINS), BIN_WIDTHS[-1])
    n_bins = top // width + 1
    counts = {}
    for source, _, _ in DIRECTIONS:
        mine = days[(switches["source"] == source).to_numpy()] if days.size else days
        counts[source] = np.bincount(mine // width, minlength=n_bins)[:n_bins]
    return DayBins(width=width, starts=np.arange(n_bins) * width, counts=counts)


def delay_histogram(switches: pd.DataFrame) -> go.Figure:
    """Two aligned histograms of switch delays (GitHub → HF above, HF → GitHub below)."""
    bins = day_bins(switches)
    span = max(float(bins.starts[-1] + bins.width), MIN_SPAN_DAYS)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12)
    for row, (source, name, color) in enumerate(DIRECTIONS, start=1):
        counts = bins.counts[source]
        fig.add_trace(
            go.Bar(
                x=bins.starts + bins.width / 2 - 0.5,
                y=counts,
                width=bins.width * 0.9,
                name=name,
                marker_color=color,
                customdata=[bins.label(i) for i in range(len(counts))],
                hovertemplate="%{customdata}: %{y} switch(es)<extra>" + name + "</extra>",
            ),
            row=row,
            col=1,
        )
        total = int(counts.sum())
        fig.update_yaxes(
            title_text=f"{name}<br>({total})",
            rangemode="tozero",
            gridcolor="#eee",
            row=row,
            col=1,
        )
        if total == 0:
            fig.add_annotation(
                text=f"no {name} switches",
                showarrow=False,
                xref=f"x{'' if row == 1 else row} domain",
                yref=f"y{'' if row == 1 else row} domain",
                x=0.5,
                y=0.5,
                font={"color": "#6b7280"},
            )
    fig.update_xaxes(range=[-0.5, span - 0.5], gridcolor="#eee", zeroline=False)
    fig.update_xaxes(title_text="days until the other platform changed", row=2, col=1)
    fig.update_layout(
        height=320,
        margin={"l": 10, "r": 10, "t": 20, "b": 40},
        plot_bgcolor="white",
        showlegend=False,
        bargap=0,
    )
    return fig
