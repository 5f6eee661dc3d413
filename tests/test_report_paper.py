"""The paper's labels beside SyncLens's, and the one-sentence reason when they differ."""

from conftest import commits

from core.corpus import PaperFamily
from core.engine.analysis import analyze
from core.report.paper import PaperEvidence, compare_with_paper, paper_window

NAME = "org/model"


def paper(pattern, sync, intensity, lag) -> PaperFamily:
    return PaperFamily(
        family="org_model",
        github_repo="org/model",
        pattern=pattern,
        sync_type=sync,
        intensity=intensity,
        lag=lag,
        mean_switch_days=1.0,
        n_switches=2,
        excluded=False,
        matched_by="HF variants",
    )


def evidence(*days: str, variants=("org/a",)) -> PaperEvidence:
    return PaperEvidence(frozenset(days), frozenset(v.casefold() for v in variants))


def compare(frame, found, proof, **options):
    frame = frame.assign(family=NAME) if "family" not in frame else frame
    ours = analyze(frame)[0]
    variants = tuple(sorted(set(frame.loc[frame["platform"] == "HF", "model"])))
    return compare_with_paper(frame, ours, found, proof, name=NAME, variants=variants, **options)


# GitHub in period 1 only; the HF commit an hour into period 2, the same day as its start.
ACROSS_MIDNIGHT = commits(
    [
        ("GH", "", "2024-01-01T12:00:00Z"),
        ("GH", "", "2024-01-05T12:00:00Z"),
        ("HF", "org/a", "2024-01-15T13:00:00Z"),
    ]
)


def test_the_same_labels_need_no_reason():
    same = analyze(ACROSS_MIDNIGHT.assign(family=NAME))[0]
    found = paper(same.pattern, same.sync_type, same.intensity, same.lag)
    result = compare(ACROSS_MIDNIGHT, found, evidence("2024-01-15"))
    assert result.agrees and result.reason is None and result.paper_view is None
    assert result.lines()[-1] == "  SyncLens finds the paper's labels."


def test_day_resolution_explains_a_commit_that_crosses_a_period_boundary():
    found = paper("Rare", "CS", "R", "Simultaneous")  # what day-truncated times give
    result = compare(ACROSS_MIDNIGHT, found, evidence("2024-01-15"))
    assert result.differs == ("pattern", "sync_type", "lag")
    assert result.reason.startswith("The paper had Hugging Face times to the day only")
    assert result.paper_view_agrees is True
    assert "closes the gap" in result.lines()[-1]


def test_the_papers_window_explains_a_lone_commit_before_2016():
    frame = commits(
        [
            ("GH", "", "2015-06-01T10:00:00Z"),  # the paper dropped commits before 2016
            ("GH", "", "2024-01-01T00:00:00Z"),
            ("HF", "org/a", "2024-01-02T00:00:00Z"),
        ]
    )
    inside = analyze(paper_window(frame).assign(family=NAME))[0]
    found = paper(inside.pattern, inside.sync_type, inside.intensity, inside.lag)
    result = compare(frame, found, evidence("2024-01-02"))
    assert not result.agrees
    assert result.reason == (
        "The paper's data ended on 2024-10-13: without the 1 before 2016, "
        "SyncLens finds the paper's labels."
    )


def test_days_the_hub_no_longer_lists_are_named():
    found = paper("Frequent", "CS", "F", "GH First")
    result = compare(ACROSS_MIDNIGHT, found, evidence("2024-01-15", "2024-03-01", "2024-04-02"))
    assert result.paper_view_agrees is False
    assert result.reason.startswith(
        "The Hub no longer lists HF commits on 2 of the 3 days the paper saw HF activity "
        "(first: 2024-03-01)"
    )


def test_other_variants_are_the_reason_before_missing_days():
    found = paper("Frequent", "CS", "F", "GH First")
    proof = evidence("2024-03-01", variants=("org/a", "org/b"))
    result = compare(ACROSS_MIDNIGHT, found, proof)
    assert result.reason == (
        "The paper followed 2 HF variant(s) and SyncLens follows 1: 1 of the paper's are "
        "not in this family and 0 here were not in the paper's."
    )


def test_data_made_from_the_switch_table_lacks_the_commits_between_switches():
    found = paper("Frequent", "CS", "F", "GH First")
    result = compare(ACROSS_MIDNIGHT, found, evidence("2024-01-15"))
    assert result.reason.startswith("These HF commits fall only on the 1 day(s) the paper's")


def test_a_side_with_no_commits_is_the_reason_said_first():
    only_hub = commits(
        [("HF", "org/a", "2024-01-15T13:00:00Z"), ("HF", "org/a", "2024-02-15T09:00:00Z")]
    )
    found = paper("Intermittent", "CS", "S", "Simultaneous")
    result = compare(only_hub, found, evidence("2024-01-15"))
    assert result.reason.startswith("No GitHub commits are cached for this family")


def test_in_the_papers_view_the_remaining_gap_is_explained_without_a_rerun():
    found = paper("Frequent", "CS", "F", "GH First")
    result = compare(ACROSS_MIDNIGHT, found, evidence("2024-02-01"), in_paper_view=True)
    assert result.in_paper_view and result.paper_view is None
    data = result.to_dict()
    assert data["pattern"] == "Frequent" and data["synclens_in_paper_view"] is True
    assert data["differs"] == list(result.differs) and data["reason"] == result.reason
