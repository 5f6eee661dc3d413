"""A corpus chart (figure, caption, the table behind it) and the formatting every section shares."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.corpus.stats import ChiSquareResult, KruskalResult
from core.csvsafe import csv_text

SECTIONS = (
    "Synchronization patterns",
    "Lags",
    "Time to reflect changes",
    "Change-type similarity",
    "Contributors",
    "Change types of your families",
)
CORPUS_NAMES = {"paper": "paper's corpus", "mine": "your families"}


@dataclass(frozen=True)
class Chart:
    """One corpus figure with its caption and the table behind it.

    `wide` charts take the page's full width; the others sit two to a row.
    """

    key: str
    section: str
    title: str
    figure: go.Figure | None
    caption: str
    table: pd.DataFrame
    needs: str | None = None  # why there is no figure, and what would give one
    wide: bool = False

    @property
    def available(self) -> bool:
        return self.figure is not None

    @cached_property
    def csv(self) -> bytes:
        """The table as CSV bytes (built on first use, then kept with the chart)."""
        return csv_text(self.table).encode()


@dataclass(frozen=True)
class SectionData:
    """What a section's charts are drawn from: the families shown, their switches (joined to
    the families' groups by `switch_frame`), the user's label counts (`mine_change_types`) and
    the paper's published Dunn matrix (only for the unfiltered paper corpus)."""

    families: pd.DataFrame
    switches: pd.DataFrame
    change_types: pd.DataFrame | None = None
    published_dunn: pd.DataFrame | None = None


def missing(key: str, section: str, title: str, needs: str, *, wide: bool = False) -> Chart:
    """A chart that cannot be drawn, saying what would provide its data."""
    return Chart(key, section, title, None, "", pd.DataFrame(), needs, wide)


def fmt_p(p: float | None) -> str:
    """A p-value as the paper writes it: three decimals, scientific below 0.001."""
    if p is None or pd.isna(p):
        return "p=n/a"
    return f"p={p:.1e}" if p < 0.001 else f"p={p:.3f}"


def kruskal_text(result: KruskalResult | None) -> str:
    """ "Kruskal–Wallis H=880.3, p=8.8e-186, ε²=0.23" (or why there is no test)."""
    if result is None:
        return "Kruskal–Wallis: fewer than two groups with switches"
    return (
        f"Kruskal–Wallis H={result.statistic:.1f}, {fmt_p(result.p)}, "
        f"ε²={result.epsilon_squared:.2f}"
    )


def chi_text(result: ChiSquareResult | None) -> str:
    """ "χ²=6.76, df=2, p=0.034, Cramér's V=0.15" (or why there is no test)."""
    if result is None:
        return "χ² test: fewer than two groups on a side"
    return (
        f"χ²={result.statistic:.2f}, df={result.dof}, {fmt_p(result.p)}, "
        f"Cramér's V={result.cramers_v:.2f}"
    )


def families_text(n: int) -> str:
    """ "1 family", "325 families"."""
    return f"{n:,} famil{'y' if n == 1 else 'ies'}"


def pct(value: float) -> str:
    return f"{value:.1f}%"


def join(items: Iterable[str]) -> str:
    return ", ".join(items)


def cell(table: pd.DataFrame, row: str, col: str) -> str:
    """One percent cell of a table, or a dash when the table has no such cell."""
    try:
        return pct(float(table.loc[row, col]))
    except KeyError:
        return "—"


def download_table(table: pd.DataFrame, index_name: str) -> pd.DataFrame:
    """A percent table with its index as the first column (the CSV download)."""
    out = table.copy()
    out.index.name = index_name
    out.columns = [str(c) for c in out.columns]
    return out.reset_index()


CHAR_PX = 7.4  # mean width of one character of the charts' 13 px font
TITLE_PX = 24  # an axis title and its gap


def _categories(fig: go.Figure, axis: str) -> list[str]:
    """The category labels the traces draw along `axis` ("x" or "y")."""
    out: list[str] = []
    for trace in fig.data:
        values = getattr(trace, axis, None)
        if values is None and axis == "x" and trace.type == "box" and trace.y is not None:
            values = [trace.name]  # a box without x sits at its name
        if values is None:
            continue
        labels = [v for v in values if v is not None]
        if labels and all(isinstance(v, str) for v in labels):
            out.extend(labels)
    return out


def _fixed_margins(fig: go.Figure) -> None:
    """Margins computed from the labels, so plotly need not measure and redraw.

    Plotly's axis `automargin` measures every tick label and draws the figure again until
    the margins settle: it was most of a corpus chart's drawing time. The widths here are
    estimates from the label lengths; long category labels along x are drawn at -30°.
    """
    x_labels, y_labels = _categories(fig, "x"), _categories(fig, "y")
    x_title = bool(fig.layout.xaxis.title.text)
    y_title = bool(fig.layout.yaxis.title.text)
    longest_x = max((len(v) for v in x_labels), default=0)
    angle = fig.layout.xaxis.tickangle
    if angle is None and longest_x > 7 and len(set(x_labels)) > 3:
        angle = -30
        fig.update_xaxes(tickangle=angle)
    slant = abs(np.sin(np.radians(angle or 0)))
    bottom = 22 + CHAR_PX * longest_x * slant + (TITLE_PX if x_title else 0)
    left = (
        CHAR_PX * max(len(v) for v in y_labels) + 14
        if y_labels
        else 42 + (TITLE_PX if y_title else 0)
    )
    if x_labels and angle:  # a slanted first label reaches left of the plot
        left = max(left, CHAR_PX * len(x_labels[0]) * np.cos(np.radians(angle)) - 10)
    fig.update_layout(margin={"l": round(left), "r": 16, "t": 40, "b": round(bottom)})
    fig.update_xaxes(automargin=False)
    fig.update_yaxes(automargin=False)


def layout(fig: go.Figure, height: int, **kwargs) -> go.Figure:
    """The corpus charts' common look: white plot, legend on top, light grid, fixed margins."""
    fig.update_layout(
        height=height,
        plot_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": {"text": ""}},
        font={"size": 13},
        hoverlabel={"namelength": -1},
        **kwargs,
    )
    fig.update_xaxes(gridcolor="#eef0f2", zerolinecolor="#d0d4da")
    fig.update_yaxes(gridcolor="#eef0f2", zerolinecolor="#d0d4da")
    _fixed_margins(fig)
    return fig
