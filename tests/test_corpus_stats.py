"""Corpus-wide statistics reproduce the paper from its replication data (core.corpus.stats)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from core.corpus import import_replication, load_corpus
from core.corpus.stats import (
    chi_square,
    contributor_groups,
    corpus_report,
    crosstab_share,
    dunn_bonferroni,
    filter_families,
    kruskal,
    lag_share,
    mean_switch_days,
    pattern_share,
    percentile,
    place_family,
    similarity_groups,
    similarity_histogram,
    switch_frame,
    with_groups,
)

PAPER_PATTERNS = {
    "Disperse": 39.4,
    "Sparse": 15.4,
    "Rare": 14.2,
    "Sporadic Disjoint": 10.5,
    "Rare Disjoint": 9.2,
    "Intermittent": 7.4,
    "Frequent": 2.5,
    "Dense Partial": 1.5,
}
PAPER_LAGS = {"GH First": 56.0, "Simultaneous": 23.1, "HF First": 20.9}
PAPER_DAYS_BY_LAG = {"GH First": 15.82, "HF First": 22.35, "Simultaneous": 9.32}
PAPER_DAYS_BY_PATTERN = {
    "Frequent": 0.87,
    "Intermittent": 1.17,
    "Dense Partial": 3.68,
    "Sparse": 26.98,
    "Rare Disjoint": 109.39,
    "Sporadic Disjoint": 127.39,
}


@pytest.fixture
def paper(fresh_db, shared):
    import_replication(fresh_db, shared / "corpus")
    return load_corpus(fresh_db)


def test_the_paper_numbers_come_out_of_the_replication_data(paper):
    report = corpus_report(paper.families, paper.switches, published_dunn=paper.published_dunn)
    assert report.n_families == 325
    assert report.n_switches == 3863
    assert report.pattern_share == PAPER_PATTERNS
    assert list(report.pattern_share) == list(PAPER_PATTERNS)  # largest first
    assert report.lag_share == PAPER_LAGS
    assert report.mean_switch_days_by_lag == PAPER_DAYS_BY_LAG
    for name, days in PAPER_DAYS_BY_PATTERN.items():
        assert report.mean_switch_days_by_pattern[name] == days
    assert report.mean_switch_days_by_pattern["Disperse"] == pytest.approx(19.0, abs=0.05)


def test_maturity_and_variant_breakdowns_match_figures_21_23_24(paper):
    fams = paper.families
    lag_by_age = crosstab_share(fams, "lag", "age_group", "all")  # % of all families
    assert lag_by_age.loc["GH First"].to_dict() == {
        "Recent": 18.5,
        "Intermediate": 15.7,
        "Matured": 21.8,
    }
    assert lag_by_age.loc["Simultaneous", "Intermediate"] == 10.2
    within = crosstab_share(fams, "pattern", "age_group", "columns")  # % within each group
    assert (within.loc["Rare", "Recent"], within.loc["Rare", "Matured"]) == (35.5, 1.0)
    # The text's "5.5 %" of matured Sparse families is 6/110; the data has 105 matured -> 5.7.
    assert (within.loc["Sparse", "Recent"], within.loc["Sparse", "Matured"]) == (22.7, 5.7)
    assert within.loc["Disperse", "Recent"] == 15.5
    by_variants = crosstab_share(fams, "pattern", "variants", "all")
    assert by_variants.loc["Disperse"].to_dict() == {"single": 15.7, "multiple": 23.7}
    assert by_variants.loc["Sparse"].to_dict() == {"single": 11.7, "multiple": 3.7}


def test_similarity_terciles_and_single_author_shares_match_figures_7_and_8(paper):
    fams = paper.families.assign(
        similarity_group=similarity_groups(paper.families),
        contributors=contributor_groups(paper.families),
    )
    by_age = crosstab_share(fams, "similarity_group", "age_group", "columns")
    assert by_age["Recent"].to_dict() == {"low": 52.7, "moderate": 22.7, "high": 24.5}
    assert by_age["Matured"].to_dict() == {"low": 24.8, "moderate": 41.0, "high": 34.3}
    single = crosstab_share(fams, "contributors", "similarity_group", "index")
    assert single.loc["Single-author"].to_dict() == {"low": 37.5, "moderate": 33.6, "high": 28.9}


def test_dunn_matrix_matches_the_published_one(paper):
    sw = switch_frame(paper.families, paper.switches)
    computed = dunn_bonferroni(sw, "pattern")
    published = paper.published_dunn.loc[computed.index, computed.columns]
    np.testing.assert_allclose(computed.to_numpy(), published.to_numpy(), rtol=1e-9, atol=1e-300)
    # Table 3's non-significant pairs, as the paper's text lists them.
    assert computed.loc["Frequent", "Intermittent"] > 0.05
    assert computed.loc["Rare Disjoint", "Sporadic Disjoint"] > 0.05


def test_kruskal_wallis_by_lag_and_pattern_with_epsilon_squared(paper):
    sw = switch_frame(paper.families, paper.switches)
    by_lag = kruskal(sw, "lag")
    expected = stats.kruskal(*[g["days"] for _, g in sw.groupby("lag")])
    assert by_lag.statistic == pytest.approx(expected.statistic)
    assert by_lag.p == pytest.approx(expected.pvalue) and by_lag.p < 0.05
    assert by_lag.epsilon_squared == pytest.approx(by_lag.statistic / (3863 - 1))
    assert by_lag.groups == {"GH First": 2295, "HF First": 498, "Simultaneous": 1070}
    assert kruskal(sw, "pattern").df == 7


def test_a_subset_gives_the_subsets_numbers(paper, shared):
    """The hand computation reads the CSVs directly with pandas, not through SyncLens."""
    raw = pd.read_csv(shared / "corpus" / "all_auto_and_manual_patterns.csv")
    raw_sw = pd.read_csv(shared / "corpus" / "GH_HF_commit_time_differences.csv")
    subset = raw[raw["owner"].str[0].str.lower().between("a", "h")]
    subset = subset[subset["family"].isin(raw_sw["family"])]  # the 325 analysed
    names = {
        "Dispersed Alignment": "Disperse",
        "Sparse Alignment": "Sparse",
        "Rare Alignment": "Rare",
        "Sporadic Disjoint": "Sporadic Disjoint",
        "Rare Disjoing": "Rare Disjoint",
        "Intermittent Alignment": "Intermittent",
        "Frequent Alignment": "Frequent",
        "Dense Partial Alignment": "Dense Partial",
    }
    lags = {"Upstream First": "GH First", "Downstream First": "HF First", "No Lag": "Simultaneous"}
    hand = subset.assign(pattern=subset["names"].map(names), lag=subset["Lagged"].map(lags))
    hand_sw = raw_sw.merge(hand[["family", "pattern", "lag"]], on="family")
    expected_patterns = (hand["pattern"].value_counts(normalize=True) * 100).round(1)
    expected_lags = (hand["lag"].value_counts(normalize=True) * 100).round(1)
    expected_days = hand_sw.groupby("pattern")["days_difference"].mean().round(2)
    expected_lag_days = hand_sw.groupby("lag")["days_difference"].mean().round(2)

    fams = paper.families[paper.families["family"].isin(subset["family"])]
    assert 0 < len(fams) == len(subset) < 325
    report = corpus_report(fams, paper.switches)
    assert report.n_families == len(subset) and report.n_switches == len(hand_sw)
    assert {k: v for k, v in report.pattern_share.items() if v} == expected_patterns.to_dict()
    assert report.lag_share == expected_lags.to_dict()
    assert report.mean_switch_days_by_pattern == expected_days.to_dict()
    assert report.mean_switch_days_by_lag == expected_lag_days.to_dict()
    assert report.pattern_share != PAPER_PATTERNS


# --- small hand-built examples --------------------------------------------------------------

FAMILIES = pd.DataFrame(
    {
        "corpus": "paper",
        "family": ["a", "b", "c", "d", "e", "f"],
        "lag": ["GH First", "GH First", "HF First", "Simultaneous", "GH First", "HF First"],
        "pattern": ["Rare", "Rare", "Disperse", "Disperse", "Frequent", "Rare"],
        "age_group": ["Recent", "Recent", "Matured", "Matured", "Recent", "Matured"],
        "variants": ["single", "single", "multiple", "multiple", "single", "multiple"],
        "n_variants": [1, 1, 3, 2, 1, 4],
        "similarity": [0.1, 0.2, 0.5, 0.6, 0.9, 0.3],
        "mean_switch_days": [1.0, 2.0, 10.0, 20.0, 0.5, 3.0],
        "n_common": [0, 1, 2, 3, 1, 5],
    }
)
SWITCHES = pd.DataFrame(
    {
        "corpus": "paper",
        "family": ["a", "a", "b", "c", "c", "c", "d", "e", "f", "zz"],
        "days": [1, 1, 2, 10, 12, 8, 20, 0, 3, 999],
    }
)


def test_shares_are_percent_of_families_and_list_every_name():
    assert pattern_share(FAMILIES) == {
        "Rare": 50.0,
        "Disperse": 33.3,
        "Frequent": 16.7,
        "Intermittent": 0.0,
        "Sparse": 0.0,
        "Dense Partial": 0.0,
        "Rare Disjoint": 0.0,
        "Sporadic Disjoint": 0.0,
    }
    assert lag_share(FAMILIES) == {"GH First": 50.0, "HF First": 33.3, "Simultaneous": 16.7}


def test_mean_switch_days_is_over_switches_not_over_families():
    sw = switch_frame(FAMILIES, SWITCHES)
    assert "zz" not in set(sw["family"])  # a switch of an unknown family never counts
    # Disperse: switches 10, 12, 8 (c) and 20 (d) -> 12.5; the mean of family means is 15.
    assert mean_switch_days(sw, "pattern") == {"Rare": 1.75, "Frequent": 0.0, "Disperse": 12.5}


def test_chi_square_reports_cramers_v_and_the_table():
    result = chi_square(FAMILIES, "pattern", "age_group")
    assert result.table == {
        "Rare": {"Recent": 2, "Matured": 1},
        "Frequent": {"Recent": 1, "Matured": 0},
        "Disperse": {"Recent": 0, "Matured": 2},
    }
    assert result.dof == 2 and result.n == 6
    chi2 = stats.chi2_contingency([[2, 1], [1, 0], [0, 2]])
    assert result.statistic == pytest.approx(chi2.statistic)
    assert result.cramers_v == pytest.approx(np.sqrt(chi2.statistic / 6))
    assert chi_square(FAMILIES[FAMILIES["pattern"] == "Rare"], "pattern", "lag") is None


def test_place_family_gives_percentiles_and_pattern_share_in_its_maturity_group():
    placement = place_family(FAMILIES, FAMILIES.iloc[0])  # family a: Rare, Recent
    assert placement.delay.percentile == percentile(FAMILIES["mean_switch_days"], 1.0) == 33.3
    assert placement.similarity.percentile == 16.7
    assert placement.n_variants.percentile == 50.0
    assert placement.pattern_share_in_group == 66.7  # 2 of the 3 Recent families are Rare
    assert placement.pattern_rank_in_group == 1 and placement.group_size == 3
    outsider = place_family(
        FAMILIES,
        {"family": "mine", "pattern": "Sparse", "mean_switch_days": None, "age_group": None},
    )
    assert outsider.delay.percentile is None and outsider.pattern_share_in_group == 0.0
    assert outsider.group_size == 6
    assert placement.to_dict()["delay"]["percentile"] == 33.3


def test_filters_narrow_families_and_their_switches_follow():
    recent_single = filter_families(FAMILIES, age_group="Recent", variants="single")
    assert list(recent_single["family"]) == ["a", "b", "e"]
    sw = switch_frame(recent_single, SWITCHES)
    assert mean_switch_days(sw, "lag") == {"GH First": 1.0}  # a: 1, 1; b: 2; e: 0
    assert filter_families(FAMILIES, pattern="Dense Partial").empty


def test_similarity_histogram_is_percent_of_families_per_bin():
    hist = similarity_histogram(FAMILIES, bins=5)
    assert list(hist["n"]) == [1, 2, 1, 1, 1]  # 0.1 | 0.2 0.3 | 0.5 | 0.6 | 0.9
    assert list(hist["percent"]) == [16.7, 33.3, 16.7, 16.7, 16.7]
    grouped = with_groups(FAMILIES)
    assert list(grouped["contributors"]) == [
        "Single-author",
        "Single-author",
        "Multiple-authors",
        "Multiple-authors",
        "Single-author",
        "Multiple-authors",
    ]
    assert list(grouped["similarity_group"]) == [
        "low",
        "low",
        "moderate",
        "high",
        "high",
        "moderate",
    ]


def test_percentiles_read_as_ordinals():
    from core.corpus.stats import percentile_words

    words = [percentile_words(v) for v in (21.0, 22.4, 3.0, 11.0, 12.6, 100.0, None)]
    assert words == [
        "21st percentile",
        "22nd percentile",
        "3rd percentile",
        "11th percentile",
        "13th percentile",
        "100th percentile",
        "no value",
    ]
