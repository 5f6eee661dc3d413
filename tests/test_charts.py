"""Figures are checked by their data: rows, points, colours, lines and hover text."""

import pandas as pd
import pytest
from conftest import commits

from core.engine.analysis import analyze, prepare
from core.engine.delays import switches_frame
from core.engine.similarity import label_shares
from core.figures.delay_histogram import day_bins, delay_histogram
from core.figures.family import (
    both_sides_start,
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
    assert sum(sum(t.y) for t in hist.data) == len(switches_frame(data))


def switches(gh_to_hf: list[int], hf_to_gh: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {"source": ["GH"] * len(gh_to_hf) + ["HF"] * len(hf_to_gh), "days": gh_to_hf + hf_to_gh}
    )


def test_both_directions_share_whole_day_bins_on_one_axis():
    fig = delay_histogram(switches([0, 1, 1, 3], [2, 5]))
    down, up = fig.data
    assert list(down.x) == list(up.x) == [0, 1, 2, 3, 4, 5]  # one bar per day, same places
    assert list(down.y) == [1, 2, 0, 1, 0, 0] and list(up.y) == [0, 0, 1, 0, 0, 1]
    assert fig.layout.xaxis.matches == "x2"  # the rows pan and zoom together
    assert down.customdata[1] == "1 day" and up.customdata[5] == "5 days"


def test_long_delays_get_wider_round_bins():
    bins = day_bins(switches([0, 13, 400], [7]))
    assert bins.width == 14 and bins.starts[1] == 14
    assert list(bins.counts["GH"][:2]) == [2, 0] and bins.counts["HF"][0] == 1
    assert bins.label(1) == "14–27 days"


def test_when_every_delay_is_zero_the_bar_stays_narrow():
    fig = delay_histogram(switches([0, 0, 0], [0]))
    assert list(fig.data[0].x) == [0] and list(fig.data[0].y) == [3]
    assert list(fig.layout.xaxis.range) == [-0.5, 6.5]  # a week wide: "same day" reads as such


def test_a_direction_without_switches_says_so():
    fig = delay_histogram(switches([2, 3], []))
    assert [a.text for a in fig.layout.annotations] == ["no HF → GitHub switches"]


def test_legend_markers_have_one_size():
    frame = family_frame()
    result = analyze(frame)[0]
    fig = timeline_figure(prepare(frame), pd.Timestamp(result.t0), result.co_active_periods)
    assert fig.layout.legend.itemsizing == "constant"


def test_the_view_opens_where_both_platforms_are_active_keeping_period_numbers():
    frame = commits(
        [
            ("GH", "", "2019-03-27T10:00:00Z"),  # a lone early commit, as in gpt-neox
            ("GH", "", "2023-01-02T10:00:00Z"),
            ("HF", "org/a", "2023-01-20T10:00:00Z"),
            ("GH", "", "2023-03-01T10:00:00Z"),
        ],
        family="f",
    )
    data = prepare(frame)
    result = analyze(frame)[0]
    start = both_sides_start(data)
    assert start == int(data.loc[data["platform"] == "HF", "period"].min()) > 90
    fig = timeline_figure(data, pd.Timestamp(result.t0), result.co_active_periods)
    assert fig.layout.xaxis.range[0] == start - 0.7
    assert start in fig.layout.xaxis.tickvals
    whole = timeline_figure(
        data, pd.Timestamp(result.t0), result.co_active_periods, start_at_both=False
    )
    assert whole.layout.xaxis.range[0] == pytest.approx(0.3)
    assert both_sides_start(data[data["platform"] == "GH"]) is None


def test_model_ids_and_titles_are_shown_as_text_not_markup():
    frame = family_frame()
    frame.loc[2, "model"] = '<a href="https://evil.example">x</a>'
    result = analyze(frame)[0]
    fig = timeline_figure(
        prepare(frame), pd.Timestamp(result.t0), result.co_active_periods, title="<b>f</b>"
    )
    rows = set(fig.layout.yaxis.categoryarray)
    assert '&lt;a href="https://evil.example"&gt;x&lt;/a&gt;' in rows
    assert not any("<a" in r for r in rows)
    assert fig.layout.title.text == "&lt;b&gt;f&lt;/b&gt;"
