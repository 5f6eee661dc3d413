"""Algorithms 2-4 on the paper's worked examples and the SPEC's boundary cases."""

from datetime import UTC, datetime, timedelta

import pytest
from conftest import commits

from core.engine.analysis import analyze

T0 = datetime(2023, 1, 2, 9, 0, tzinfo=UTC)


def at(period: int, day: int = 0) -> str:
    """A time inside `period` (1-based), `day` days after its start."""
    return (T0 + timedelta(days=14 * (period - 1) + day)).isoformat()


def family(gh: list[int], hf: dict[str, list[int]]):
    rows = [("GH", "", at(p)) for p in gh]
    rows += [("HF", model, at(p)) for model, periods in hf.items() for p in periods]
    return analyze(commits(rows))[0]


def test_table1_hkunlp_instructor_rare_complete_synchronization():
    # HF has <= 3 biweekly activities, all aligned with GH; GH sporadic over a longer time.
    result = family(
        gh=[1, 2, 4, 7, 9, 12, 15],
        hf={"hkunlp/instructor-large": [4, 9], "hkunlp/instructor-xl": [9]},
    )
    assert (result.sync_type, result.intensity, result.pattern) == ("CS", "R", "Rare")
    assert result.lag == "GH First"


def test_table1_benjamin_segment_sporadic_partial_is_disperse():
    # HF starts first; activities irregular and partially aligned.
    result = family(gh=[3, 6, 8, 12], hf={"benjamin/wtp-canine-s-1l": [1, 3, 5, 8, 10]})
    assert result.lag == "HF First"
    assert (result.sync_type, result.intensity, result.pattern) == ("PS", "S", "Disperse")


def test_table1_codellama_rare_asynchronous_is_rare_disjoint():
    result = family(gh=[2, 3, 5, 6, 20, 21], hf={"meta-llama/CodeLlama-7b-hf": [1, 10, 14]})
    assert result.lag == "HF First"
    assert (result.sync_type, result.intensity, result.pattern) == ("AS", "R", "Rare Disjoint")


def test_figure9_partial_synchronization_with_sporadic_intensity():
    # GH from week 2; HF from week 22 (period 11); weeks 22-24 overlap; an 8-week HF burst;
    # HF alone in weeks 66 and 78; quiet weeks 40-54.
    variants = {f"org/model-{i}": [11, 12, 13, 14, 15] for i in range(10)}
    variants["org/model-0"] += [33, 39]
    result = family(gh=[1, 2, 4, 6, 8, 11, 12, 19, 28, 29, 30], hf=variants)
    assert result.lag == "GH First"
    assert result.sync_type == "PS"
    assert result.intensity == "S"  # overlaps in 11-12 only: the burst runs past GitHub
    assert result.pattern == "Disperse"
    assert any("without GitHub activity" in line for line in result.explanation)


def test_frequent_needs_five_consecutive_co_active_periods_of_one_variant():
    result = family(gh=list(range(1, 12)), hf={"a/x": [3, 4, 5, 6, 7], "a/y": [9]})
    assert (result.sync_type, result.intensity, result.pattern) == ("CS", "F", "Frequent")
    assert "a/x has 5 consecutive co-active periods from period 3" in " ".join(result.explanation)
    four = family(gh=list(range(1, 12)), hf={"a/x": [3, 4, 5, 6, 8]})
    assert four.intensity == "S"


def test_dense_partial_is_partial_with_a_frequent_run():
    result = family(gh=list(range(1, 10)), hf={"a/x": [2, 3, 4, 5, 6, 15]})
    assert result.pattern == "Dense Partial"


def test_cross_variant_synchronization_needs_three_periods_with_three_variants():
    hf = {f"o/v{i}": [5, 7, 9] for i in range(3)}
    result = family(gh=[1, 2], hf=hf)
    assert (result.sync_type, result.intensity, result.pattern) == ("VS", "R", "Rare Disjoint")
    two_periods = family(gh=[1, 2], hf={f"o/v{i}": [5, 7] for i in range(3)})
    assert two_periods.sync_type == "AS"


def test_sporadic_disjoint():
    result = family(gh=[1, 2, 3], hf={"o/v": [5, 7, 9, 11]})
    assert (result.sync_type, result.intensity, result.pattern) == ("AS", "S", "Sporadic Disjoint")


def test_identical_timestamps_on_both_sides_are_simultaneous_and_complete():
    result = analyze(
        commits([("GH", "", "2024-05-01T00:00:00Z"), ("HF", "a/b", "2024-05-01T00:00:00Z")])
    )[0]
    assert (result.lag, result.pattern, result.n_periods) == ("Simultaneous", "Rare", 1)
    assert [(s.source, s.target, s.days) for s in result.switches] == [("GH", "HF", 0)]


def test_a_single_commit_per_side():
    result = analyze(
        commits([("HF", "a/b", "2024-05-01T00:00:00Z"), ("GH", "", "2024-06-01T00:00:00Z")])
    )[0]
    assert (result.lag, result.sync_type, result.pattern) == ("HF First", "AS", "Rare Disjoint")
    assert result.switches[0].days == 31
    assert result.mean_switch_days == 31


@pytest.mark.parametrize("platform", ["GH", "HF"])
def test_one_platform_only_has_no_pattern_but_a_reason(platform):
    result = analyze(commits([(platform, "a/b" if platform == "HF" else "", "2024-01-01")]))[0]
    assert result.pattern is None and result.sync_type is None
    assert result.reason and "only" in result.reason
