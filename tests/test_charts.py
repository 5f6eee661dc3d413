"""Figures are checked by their data: rows, points, colours, lines and hover text."""

import pandas as pd
from conftest import commits

from core.engine.analysis import analyze, prepare
from core.engine.delays import switches_frame
from core.engine.similarity import label_shares
from core.figures.family import (
    delay_histogram,
    label_share_figure,
    timeline_cells,
    timeline_figure,
)
from core.figures.palette import GH_COLOR, HF_COLOR


def family_frame():
    frame = commits(
        [
            ("GH", "", "2024-01-01T10:00:00Z"),
            ("GH", "", "2024-01-02T10:00:00Z"),
            ("HF", "org/b", "2024-01-03T10:00:00Z"),
            ("HF", "org/a", "2024-02-20T10:00:00Z"),
            ("GH", "", "2024-03-01T10:00:00Z"),
        ],
        family="f",
    )
    frame["title"] = [
        "init",
        "add <script>alert(1)</script>",
        "Upload model",
        "Update README.md",
        "fix",
    ]
    frame["label"] = [
        "Project Metadata",
        "Model Structure",
        "Model Structure",
        "External Documentation",
        None,
    ]
    return frame


def test_commits_are_aggregated_to_one_point_per_row_and_period():
    cells = timeline_cells(prepare(family_frame()))
    assert len(cells) == 4
    github_p1 = cells[(cells["row"] == "GitHub") & (cells["period"] == 1)].iloc[0]
    assert github_p1["n"] == 2


def test_hover_text_escapes_commit_html():
    cells = timeline_cells(prepare(family_frame()))
    text = " ".join(cells["titles"])
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_timeline_rows_colours_and_co_active_lines():
    frame = family_frame()
    result = analyze(frame)[0]
    fig = timeline_figure(prepare(frame), pd.Timestamp(result.t0), result.co_active_periods)
    by_name = {t.name: t for t in fig.data}
    assert by_name["GitHub"].marker.color == GH_COLOR
    assert by_name["Hugging Face"].marker.color == HF_COLOR
    assert list(fig.layout.yaxis.categoryarray)[-1] == "GitHub"  # drawn on top
    assert by_name["both platforms active"].line.dash == "dash"
    assert [x for x in by_name["both platforms active"].x if x is not None] == [1, 1]
    assert fig.layout.xaxis.ticktext[0] == "Wk2"
    assert fig.layout.xaxis2.ticktext[0] == "2024-01-01"


def test_colour_by_change_type_has_a_trace_per_label():
    frame = family_frame()
    result = analyze(frame)[0]
    fig = timeline_figure(
        prepare(frame), pd.Timestamp(result.t0), result.co_active_periods, color_by="label"
    )
    names = {t.name for t in fig.data}
    assert {"Model Structure", "External Documentation", "Project Metadata"} <= names


def test_forty_variants_stay_readable():
    rows = [("GH", "", f"2024-01-{d:02d}") for d in range(1, 28)]
    rows += [("HF", f"org/v{i}", f"2024-01-{1 + i % 27:02d}") for i in range(40)]
    frame = commits(rows, family="big")
    result = analyze(frame)[0]
    fig = timeline_figure(prepare(frame), pd.Timestamp(result.t0), result.co_active_periods)
    assert len(fig.layout.yaxis.categoryarray) == 41
    assert fig.layout.height <= 1440


def test_share_and_delay_figures():
    data = prepare(family_frame())
    fig = label_share_figure(label_shares(data))
    assert {t.name for t in fig.data} == {"GitHub", "Hugging Face"}
    hist = delay_histogram(switches_frame(data))
    assert sum(len(t.x) for t in hist.data) == len(switches_frame(data))
