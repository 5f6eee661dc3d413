"""Platform switches: adjacent commits on different platforms, whole days apart."""

from conftest import commits

from core.engine.delays import summarize_delays, switches_frame


def test_switches_in_time_order_with_whole_days():
    frame = commits(
        [
            ("GH", "", "2023-12-06T13:06:47Z"),
            ("HF", "a/b", "2023-12-23T00:00:00Z"),
            ("GH", "", "2023-12-23T21:07:20Z"),
            ("GH", "", "2023-12-24T01:00:00Z"),
        ],
        family="augmxnt_shisa",
    )
    sw = switches_frame(frame)
    # The paper's switch table for augmxnt_shisa starts with exactly these two rows.
    assert sw[["source", "target", "days"]].values.tolist() == [["GH", "HF", 16], ["HF", "GH", 0]]


def test_ties_put_github_first_whatever_the_input_order():
    a = commits(
        [("HF", "a/b", "2024-01-01"), ("GH", "", "2024-01-01"), ("HF", "a/b", "2024-01-01")],
        family="f",
    )
    assert switches_frame(a)[["source", "target"]].values.tolist() == [["GH", "HF"]]


def test_delay_summary_per_direction():
    frame = commits(
        [
            ("GH", "", "2024-01-01"),
            ("HF", "a/b", "2024-01-11"),
            ("GH", "", "2024-01-13"),
            ("HF", "a/b", "2024-01-20"),
        ],
        family="f",
    )
    summary = summarize_delays(switches_frame(frame))
    assert (summary.n_switches, summary.gh_to_hf_mean, summary.hf_to_gh_mean) == (3, 8.5, 2.0)
    assert summary.median_days == 7.0
