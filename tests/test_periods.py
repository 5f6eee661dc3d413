"""Biweekly periods: whole days first, then 14-day bins from the family's first commit."""

import pandas as pd
from conftest import commits

from core.engine.periods import assign_periods, period_label, truncate_hf_to_date


def periods_of(rows):
    return assign_periods(commits(rows, family="f"))["period"].tolist()


def test_fourteen_days_after_t0_is_period_two():
    assert periods_of(
        [("GH", "", "2024-01-01T00:00:00Z"), ("HF", "a/b", "2024-01-15T00:00:00Z")]
    ) == [1, 2]


def test_thirteen_days_and_23_59_is_still_period_one():
    assert periods_of(
        [("GH", "", "2024-01-01T00:00:00Z"), ("HF", "a/b", "2024-01-14T23:59:00Z")]
    ) == [1, 1]


def test_same_instant_with_different_offsets_is_the_same_time():
    frame = assign_periods(
        commits(
            [
                ("GH", "", "2024-01-01T12:00:00+02:00"),
                ("HF", "a/b", "2024-01-01T10:00:00Z"),
                ("HF", "a/b", "2024-01-15T05:00:00-05:00"),
            ],
            family="f",
        )
    )
    assert frame["timestamp"].iloc[0] == frame["timestamp"].iloc[1]
    assert frame["period"].tolist() == [1, 1, 2]


def test_periods_are_per_family():
    frame = pd.concat(
        [
            commits([("GH", "", "2020-01-01")], family="old"),
            commits([("GH", "", "2024-01-01"), ("GH", "", "2024-02-01")], family="new"),
        ]
    )
    assert assign_periods(frame)["period"].tolist() == [1, 1, 3]


def test_paper_compatible_truncates_only_hf_times_to_the_utc_date():
    frame = commits([("GH", "", "2024-01-01T18:00:00Z"), ("HF", "a/b", "2024-01-01T18:00:00Z")])
    out = truncate_hf_to_date(frame)
    assert out["timestamp"].dt.hour.tolist() == [18, 0]


def test_period_labels_follow_the_paper_axis():
    assert [period_label(p) for p in (1, 2, 11)] == ["Wk2", "Wk4", "Wk22"]
