"""Propagation figures: linked commits over the timeline, the per-file matrix, delays."""

from __future__ import annotations

import pandas as pd

from core.figures.family import timeline_figure
from core.figures.propagation import (
    HIGHLIGHT_COLOR,
    link_cells,
    link_overlay,
    matrix_figure,
)

T0 = pd.Timestamp("2024-01-01", tz="UTC")


def commits() -> pd.DataFrame:
    rows = [
        ("GH", "", "g1", "2024-01-02", 1),
        ("GH", "", "g2", "2024-02-20", 4),
        ("HF", "acme/m-7b", "h1", "2024-01-03", 1),
        ("HF", "acme/m-7b", "h2", "2024-03-01", 5),
        ("HF", "acme/m-1b", "k1", "2024-01-20", 2),
    ]
    frame = pd.DataFrame(rows, columns=["platform", "model", "sha", "timestamp", "period"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    frame["title"] = "a change"
    return frame


def links() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "variant": ["acme/m-7b", "acme/m-7b", "acme/m-7b", "acme/m-1b"],
            "direction": ["GH→HF", "GH→HF", "GH→HF", "HF→GH"],
            "kind": ["content", "content", "message", "content"],
            "source_sha": ["g1", "g2", "g2", "k1"],
            "target_sha": ["h1", "h2", "h2", "g2"],
            "delay_hours": [20.0, 230.0, 230.0, 700.0],
        }
    )


def test_links_become_pairs_of_timeline_cells():
    cells = link_cells(links(), commits())
    pairs = set(
        zip(
            cells["src_row"],
            cells["src_period"],
            cells["dst_row"],
            cells["dst_period"],
            strict=True,
        )
    )
    assert pairs == {
        ("GitHub", 1, "acme/m-7b", 1),
        ("GitHub", 4, "acme/m-7b", 5),
        ("acme/m-1b", 2, "GitHub", 4),
    }
    both = cells[(cells["src_period"] == 4) & (cells["dst_period"] == 5)].iloc[0]
    assert both["n"] == 2 and both["kind"] == "content"  # a content and a message link


def test_the_overlay_draws_lines_under_the_dots_and_names_counterparts_in_the_hover():
    fig = timeline_figure(commits(), T0, [1])
    link_overlay(fig, links(), commits())
    assert fig.data[0].name == "linked commits (same content)"
    github = next(t for t in fig.data if t.name == "GitHub")
    hover = " ".join(str(row[-1]) for row in github.customdata)
    assert "→ acme/m-7b Wk10: 2 file version(s), 10 d later" in hover
    assert "← acme/m-1b Wk4: 1 file version(s), 29 d later" in hover
    assert "%{customdata[4]}" in github.hovertemplate


def test_a_highlighted_commit_has_bold_links_and_ringed_counterparts():
    fig = link_overlay(
        timeline_figure(commits(), T0, []), links(), commits(), highlight=("GitHub", 4)
    )
    bold = next(t for t in fig.data if t.name == "links of the highlighted commit")
    assert bold.line.color == HIGHLIGHT_COLOR
    rings = next(t for t in fig.data if t.name == "counterparts")
    assert set(zip(rings.y, rings.x, strict=True)) == {
        ("GitHub", 4),
        ("acme/m-7b", 5),
        ("acme/m-1b", 2),
    }


def test_no_links_leave_the_timeline_as_it_was():
    fig = timeline_figure(commits(), T0, [])
    before = len(fig.data)
    link_overlay(fig, links().iloc[0:0], commits())
    assert len(fig.data) == before


def test_the_matrix_colours_each_cell_by_status():
    matrix = pd.DataFrame(
        {
            "path": ["config.json", "config.json", "README.md"],
            "variant": ["acme/m-7b", "acme/m-1b", "acme/m-7b"],
            "cell": ["late 9 d", "never", "carried"],
            "status": ["late", "never", "carried"],
        }
    )
    fig = matrix_figure(matrix, ("acme/m-7b", "acme/m-1b"))
    heat = fig.data[0]
    assert list(heat.x) == ["acme/m-7b", "acme/m-1b"] and list(heat.y) == [
        "README.md",
        "config.json",
    ]
    assert heat.text.tolist() == [["carried", ""], ["late 9 d", "never"]]
    assert heat.z[0][0] == 0 and heat.z[1][0] == 1 and heat.z[1][1] == 2
