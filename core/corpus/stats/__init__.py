"""Corpus-wide statistics (paper, Sections 4.1.1.4-4.1.1.7 and 4.3): pure functions over frames.

Inputs are the frames of `core.corpus.Corpus`: `families` (one row per family, with lag,
pattern, age_group, n_variants, similarity, n_gh/n_hf/n_common ...) and `switches` (one row per
platform switch with `days`). `switch_frame` joins the family attributes onto the switches.

One module per kind of result: `groups` (maturity, variants, similarity terciles,
contributors; the page's filters), `shares`, `switches` (days per switch), `kruskal`
(Kruskal-Wallis and Dunn), `chi_square`, `spearman`, `change_types` (the user's labeled
families), `placement` (one family among the corpus) and `report` (all of it, for
`corpus-report`).

Conventions, chosen to reproduce the paper from its replication data:
* shares are percentages of families, rounded to one decimal (pandas rounding);
* mean switch days are means over all switches of the families in a group (two decimals);
* Kruskal-Wallis (scipy) and Dunn with Bonferroni adjustment (scikit-posthocs) compare the
  switch days, one observation per switch, as the published dunn_test_results.csv does;
* chi-square tests use scipy's `chi2_contingency` (Yates' correction only for 2x2 tables, as
  scipy does by default) with Cramér's V from `scipy.stats.contingency.association`;
* effect sizes sit beside p-values: epsilon² = H / (n - 1) for Kruskal-Wallis, Cramér's V for
  chi-square, rho for Spearman.
"""

from core.corpus.stats.change_types import (
    labeled,
    pattern_label_matrix,
    platform_shares,
    platform_tests_by_pattern,
)
from core.corpus.stats.chi_square import (
    ChiSquareResult,
    GoodnessOfFit,
    chi_square,
    chi_square_counts,
    goodness_of_fit,
)
from core.corpus.stats.groups import (
    CONTRIBUTOR_GROUPS,
    MATURITY_GROUPS,
    ORDERS,
    SIMILARITY_GROUPS,
    VARIANT_GROUPS,
    Filters,
    contributor_groups,
    filter_families,
    ordered,
    similarity_groups,
    with_groups,
)
from core.corpus.stats.kruskal import (
    ALPHA,
    KruskalResult,
    compare_dunn,
    dunn_bonferroni,
    kruskal,
    significant_pairs,
)
from core.corpus.stats.placement import (
    Placement,
    Standing,
    differences,
    family_row,
    label_comparison,
    percentile,
    percentile_words,
    place_family,
    placement_table,
    report_row,
)
from core.corpus.stats.report import CorpusReport, corpus_report
from core.corpus.stats.shares import (
    count_table,
    crosstab_share,
    lag_share,
    nested,
    pattern_share,
    share,
    share_table,
    similarity_histogram,
)
from core.corpus.stats.spearman import (
    SpearmanResult,
    contributor_spearman,
    pattern_coordination_rank,
    spearman,
)
from core.corpus.stats.switches import mean_switch_days, switch_frame, switch_summary

__all__ = [
    "ALPHA",
    "CONTRIBUTOR_GROUPS",
    "MATURITY_GROUPS",
    "ORDERS",
    "SIMILARITY_GROUPS",
    "VARIANT_GROUPS",
    "ChiSquareResult",
    "CorpusReport",
    "Filters",
    "GoodnessOfFit",
    "KruskalResult",
    "Placement",
    "SpearmanResult",
    "Standing",
    "chi_square",
    "chi_square_counts",
    "compare_dunn",
    "contributor_groups",
    "contributor_spearman",
    "corpus_report",
    "count_table",
    "crosstab_share",
    "differences",
    "dunn_bonferroni",
    "family_row",
    "filter_families",
    "goodness_of_fit",
    "kruskal",
    "label_comparison",
    "labeled",
    "lag_share",
    "mean_switch_days",
    "nested",
    "ordered",
    "pattern_coordination_rank",
    "pattern_label_matrix",
    "pattern_share",
    "percentile",
    "percentile_words",
    "place_family",
    "placement_table",
    "platform_shares",
    "platform_tests_by_pattern",
    "report_row",
    "share",
    "share_table",
    "significant_pairs",
    "similarity_groups",
    "similarity_histogram",
    "spearman",
    "switch_frame",
    "switch_summary",
    "with_groups",
]
