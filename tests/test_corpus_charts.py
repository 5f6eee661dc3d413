"""Corpus charts: figure data and captions come from the data given (core.figures.corpus, one module per page section)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from seed import seed

from core import store
from core.corpus import import_mine, import_replication, load_corpus, mine_change_types
from core.corpus import stats as cs
from core.figures import corpus as cc
from core.labeling.labels import label_commits
from core.labeling.rules import RulesLabeler


@pytest.fixture(scope="module")
def paper(tmp_path_factory):
    from conftest import SHARED

    if not SHARED.is_dir():
        pytest.skip("../shared is not next to the repository")
    db = store.open_db(tmp_path_factory.mktemp("corpus") / "paper.db")
    import_replication(db, SHARED / "corpus")
    return load_corpus(db)


def bars(fig, name=None):
    return [t for t in fig.data if t.type == "bar" and (name is None or t.name == name)]


def test_pattern_distribution_reproduces_figure_22(paper):
    chart = cc.patterns_chart(paper.families)
    (bar,) = bars(chart.figure)
    shares = dict(zip(bar.y, bar.x, strict=True))
    assert shares["Disperse"] == 39.4 and shares["Dense Partial"] == 1.5
    assert "Disperse 39.4%" in chart.caption and "Fig. 22" in chart.caption
    assert "χ² goodness of fit" in chart.caption
    assert chart.table.set_index("pattern").loc["Sparse", "paper_percent"] == 15.4


def test_lag_distribution_reproduces_figure_20(paper):
    chart = cc.lags_chart(paper.families)
    (bar,) = bars(chart.figure)
    assert dict(zip(bar.y, bar.x, strict=True)) == {
        "HF First": 20.9,
        "Simultaneous": 23.1,
        "GH First": 56.0,
    }
    assert chart.caption.startswith("325 families: GH First 56.0%, Simultaneous 23.1%")


def test_a_subset_gives_the_subsets_numbers(paper):
    matured = cs.filter_families(paper.families, age_group="Matured")
    chart = cc.patterns_chart(matured)
    expected = cs.pattern_share(matured)
    (bar,) = bars(chart.figure)
    assert dict(zip(bar.y, bar.x, strict=True)) == expected
    assert chart.caption.startswith(f"{len(matured)} families: Disperse {expected['Disperse']}%")


def test_switch_days_by_lag_name_the_test_and_the_papers_means(paper):
    sw = cs.switch_frame(paper.families, paper.switches)
    chart = cc.switch_days_chart(sw, "lag")
    boxes = [t for t in chart.figure.data if t.type == "box"]
    assert [b.name for b in boxes] == ["GH First", "HF First", "Simultaneous"]
    # Boxes are drawn on days + 1 (log axis); every switch is there.
    assert sum(len(b.y) for b in boxes) == 3863 and min(min(b.y) for b in boxes) == 1
    result = cs.kruskal(sw, "lag")
    assert f"H={result.statistic:.1f}" in chart.caption
    assert "GH First 15.82, HF First 22.35, Simultaneous 9.32 (3,863 switches)" in chart.caption
    assert "Dunn–Bonferroni post-hoc: 3 of 3 pairs differ" in chart.caption
    assert chart.table.set_index("lag").loc["HF First", "mean_days"] == 22.35


def test_dunn_matrix_heatmap_is_table_3(paper):
    sw = cs.switch_frame(paper.families, paper.switches)
    chart = cc.dunn_chart(sw, paper.published_dunn)
    (heat,) = chart.figure.data
    z = np.array(heat.z, dtype=float)
    # Lower triangle only, as Table 3: rows from the 2nd pattern, columns up to the 7th.
    assert z.shape == (7, 7) and heat.y[0] == "Intermittent" and heat.x[-1] == "Rare Disjoint"
    assert np.isnan(z[np.triu_indices_from(z, k=1)]).all()
    assert not np.isnan(z[np.tril_indices_from(z)]).any()
    assert "Kruskal–Wallis H=880.3, p=8.8e-186, ε²=0.23" in chart.caption
    assert "Dunn–Bonferroni" in chart.caption and "Paper: Table 3" in chart.caption
    sig, pairs = cs.significant_pairs(cs.dunn_bonferroni(sw, "pattern"))
    assert f"{sig} of {pairs} pattern pairs differ" in chart.caption
    assert "largest |Δp|" in chart.caption


def test_single_vs_multi_variant_bars_point_opposite_ways(paper):
    chart = cc.variants_chart(paper.families)
    single, multiple = bars(chart.figure)
    assert (np.array(single.x) <= 0).all() and (np.array(multiple.x) >= 0).all()
    row = dict(zip(single.y, -np.array(single.x), strict=True))
    assert row["Disperse"] == 15.7 and "Disperse 15.7% vs 23.7%" in chart.caption
    assert "Cramér's V" in chart.caption


def test_similarity_histogram_and_groups(paper):
    chart = cc.similarity_chart(paper.families)
    (bar,) = bars(chart.figure)
    hist = cs.similarity_histogram(paper.families)
    assert list(bar.y) == list(hist["percent"]) and bar.customdata[3][0] == "0.3–0.4"
    assert bar.x[3] == pytest.approx(0.35) and bar.width[3] == pytest.approx(0.1)
    assert "77.5% above 0.3" in chart.caption and "Paper (Fig. 6)" in chart.caption

    by_maturity = cc.similarity_by_maturity_chart(paper.families)
    low = bars(by_maturity.figure, "low")[0]
    assert dict(zip(low.x, low.y, strict=True))["Recent"] == 52.7
    assert "Recent: low 52.7%" in by_maturity.caption

    contributors = cc.contributors_similarity_chart(paper.families)
    test = cs.chi_square(cs.with_groups(paper.families), "contributors", "similarity_group")
    assert f"χ²={test.statistic:.2f}" in contributors.caption
    assert "Single-author families by similarity: low 37.5%" in contributors.caption


def test_contributors_per_pattern_boxes(paper):
    chart = cc.contributors_pattern_chart(paper.families)
    gh, hf = chart.figure.data
    assert (gh.name, hf.name) == ("GitHub", "Hugging Face")
    assert gh.marker.color == "#1f77b4" and hf.marker.color == "#f0a202"
    assert chart.table.set_index("pattern").loc["Frequent", "median_gh"] == 48.5
    assert "Spearman" in chart.caption and "ρ=" in chart.caption


def test_maturity_charts_name_their_chi_square(paper):
    lag = cc.lag_by_maturity_chart(paper.families)
    assert "GH First: Recent 18.5%, Intermediate 15.7%, Matured 21.8%" in lag.caption
    patterns = cc.patterns_by_maturity_chart(paper.families)
    test = cs.chi_square(paper.families, "pattern", "age_group")
    assert f"χ²={test.statistic:.2f}, df={test.dof}" in patterns.caption
    assert "Rare 35.5% → 1.0%" in patterns.caption


def test_charts_without_their_data_say_what_is_needed(paper):
    charts = cc.corpus_charts(paper.families, paper.switches)
    assert [c.section for c in charts] == sorted((c.section for c in charts), key=cc.SECTIONS.index)
    missing = {c.key: c.needs for c in charts if not c.available}
    assert set(missing) == {
        "change_types",
        "change_types_by_maturity",
        "change_types_pattern_gh",
        "change_types_pattern_hf",
    }
    assert all("analyse families with text" in n for n in missing.values())
    empty = cc.corpus_charts(paper.families.iloc[0:0], paper.switches)
    assert not any(c.available for c in empty)
    assert "No families match the filters." in {c.needs for c in empty}


# --- change types of the user's own families -----------------------------------------------


def mine_families() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "corpus": "mine",
            "family": ["a", "b"],
            "pattern": ["Disperse", "Frequent"],
            "age_group": ["Recent", "Matured"],
        }
    )


def label_counts() -> pd.DataFrame:
    rows = [
        ("a", "GH", "", "Model Structure", 6),
        ("a", "GH", "", "External Documentation", 2),
        ("a", "HF", "a/m1", "External Documentation", 3),
        ("a", "HF", "a/m1", "Output Data", 1),
        ("a", "HF", "a/m2", "Output Data", 4),
        ("b", "GH", "", "Model Structure", 3),
        ("b", "GH", "", "Training Infrastructure", 1),
        ("b", "HF", "b/m1", "External Documentation", 5),
    ]
    return pd.DataFrame(rows, columns=["family", "platform", "model", "label", "n"])


def test_change_types_per_platform_figure_4():
    chart = cc.change_types_chart(label_counts(), mine_families())
    gh = bars(chart.figure, "GitHub")[0]
    shares = dict(zip(gh.y, gh.x, strict=True))
    assert shares["Model Structure"] == pytest.approx(75.0)  # 9 of 12 GH commits
    assert "GH: Model Structure 75.0%" in chart.caption
    test = cs.chi_square_counts(label_counts(), "platform", "label")
    assert f"χ²={test.statistic:.2f}" in chart.caption and "Paper (Fig. 4)" in chart.caption


def test_change_types_by_maturity_figure_5():
    chart = cc.change_types_by_maturity_chart(label_counts(), mine_families())
    assert {t.name for t in chart.figure.data} == {"GitHub", "Hugging Face"}
    assert len(chart.figure.data) == 4  # two groups x two platforms
    assert set(chart.table["age_group"]) == {"Recent", "Matured"}


def test_hf_pattern_heatmap_uses_the_median_model_share_figure_19():
    counts, props = cs.pattern_label_matrix(
        label_counts().merge(mine_families(), on="family"), "HF"
    )
    # Disperse: model a/m1 has 3/4 documentation, a/m2 none -> median 0.375
    assert props.loc["Disperse", "External Documentation"] == pytest.approx(0.375)
    assert counts.loc["Disperse", "Output Data"] == 5
    chart = cc.change_types_by_pattern_chart(label_counts(), mine_families(), "HF")
    (heat,) = chart.figure.data
    assert list(heat.y) == ["Frequent", "Disperse"]
    assert np.allclose(heat.z, np.log2(counts.to_numpy(float) + 1))


def test_gh_pattern_heatmap_rows_sum_to_one_figure_18():
    chart = cc.change_types_by_pattern_chart(label_counts(), mine_families(), "GH")
    (heat,) = chart.figure.data
    assert np.allclose(np.nansum(np.array(heat.text, dtype=float), axis=1), 1.0)
    assert "Model Structure leads in 2 of 2 patterns" in chart.caption
    assert "chi-square on the 4 coarse change groups" in chart.caption


def test_paper_families_have_no_change_types():
    paper_only = mine_families().assign(corpus="paper")
    assert not cc.change_types_chart(label_counts(), paper_only).available
    assert cc.change_types_chart(None, mine_families()).needs == cc.NEED_LABELS


def test_mine_change_types_reads_labels_of_the_mine_corpus(fresh_db, shared):
    family = seed(fresh_db, "Qwen_Qwen")
    assert mine_change_types(fresh_db).empty
    label_commits(fresh_db, store.family_commits(fresh_db, family), RulesLabeler())
    import_mine(fresh_db)
    counts = mine_change_types(fresh_db)
    assert set(counts["family"]) == {family.name}
    assert set(counts["platform"]) == {"GH", "HF"}
    assert counts["n"].sum() == len(store.family_commits(fresh_db, family))
    assert (counts.loc[counts["platform"] == "GH", "model"] == "").all()


def test_placement_table_and_report_row(paper):
    row = {
        "family": "x",
        "pattern": "Disperse",
        "age_group": "Matured",
        "mean_switch_days": 1.72,
        "similarity": 0.54,
        "n_variants": 4,
    }
    placement = cs.place_family(paper.families, row)
    table = cs.placement_table(placement)
    assert list(table["measure"][:3]) == [
        "mean days per switch",
        "change-type similarity",
        "number of variants",
    ]
    assert table.loc[0, "percentile"] == placement.delay.percentile
    assert table.loc[3, "value"] == placement.pattern_share_in_group


def test_chi_square_counts_matches_chi_square_on_rows():
    rows = pd.DataFrame({"a": list("xxxyyy") * 5, "b": list("pqqppq") * 5})
    counted = rows.value_counts().rename("n").reset_index()
    assert cs.chi_square_counts(counted, "a", "b").statistic == pytest.approx(
        cs.chi_square(rows, "a", "b").statistic
    )
    assert cs.chi_square_counts(counted[counted["a"] == "x"], "a", "b") is None


def test_report_row_places_a_cached_family_not_yet_in_the_mine_corpus(fresh_db, shared, paper):
    from core.report.family import build_report

    family = seed(fresh_db, "Qwen_Qwen")
    report = build_report(fresh_db, family, labeler=RulesLabeler())
    row = cs.report_row(report)
    assert row["family"] == family.name and row["pattern"] == report.analysis.pattern
    assert row["mean_switch_days"] == pytest.approx(report.switches["days"].mean())
    placement = cs.place_family(paper.families, row)
    assert placement.delay.n == 325 and placement.delay.percentile is not None
