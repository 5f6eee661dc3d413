"""The whole corpus report (`corpus-report`): every corpus-wide share, delay and test."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from core.corpus import paper
from core.corpus.stats.chi_square import ChiSquareResult, chi_square
from core.corpus.stats.groups import with_groups
from core.corpus.stats.kruskal import KruskalResult, compare_dunn, dunn_bonferroni, kruskal
from core.corpus.stats.plain import plain
from core.corpus.stats.shares import crosstab_share, lag_share, nested, pattern_share
from core.corpus.stats.spearman import SpearmanResult, contributor_spearman
from core.corpus.stats.switches import mean_switch_days, switch_frame


@dataclass(frozen=True)
class CorpusReport:
    """Everything `corpus-report` prints; `to_dict` gives the JSON contract."""

    sources: tuple[str, ...]
    exclusions: bool
    n_families: int
    n_switches: int
    pattern_share: dict[str, float]
    lag_share: dict[str, float]
    mean_switch_days_by_lag: dict[str, float]
    mean_switch_days_by_pattern: dict[str, float]
    mean_switch_days_by_maturity: dict[str, float]
    kruskal_wallis: dict[str, KruskalResult | None]
    dunn_bonferroni: dict[str, dict[str, float]]
    dunn_bonferroni_lag: dict[str, dict[str, float]]
    dunn_bonferroni_maturity: dict[str, dict[str, float]]
    chi_square: dict[str, ChiSquareResult | None]
    spearman: dict[str, SpearmanResult | None]
    lag_by_maturity: dict[str, dict[str, float]]
    pattern_by_maturity: dict[str, dict[str, float]]
    pattern_by_variants: dict[str, dict[str, float]]
    published_dunn_max_abs_diff: float | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        def tests(results: dict) -> dict:
            return {k: v.to_dict() if v else None for k, v in results.items()}

        out = {
            "sources": list(self.sources),
            "exclusions": self.exclusions,
            "n_families": self.n_families,
            "n_switches": self.n_switches,
            "pattern_share": self.pattern_share,
            "lag_share": self.lag_share,
            "mean_switch_days_by_lag": self.mean_switch_days_by_lag,
            "mean_switch_days_by_pattern": self.mean_switch_days_by_pattern,
            "mean_switch_days_by_maturity": self.mean_switch_days_by_maturity,
            "kruskal_wallis": tests(self.kruskal_wallis),
            "dunn_bonferroni": self.dunn_bonferroni,
            "dunn_bonferroni_lag": self.dunn_bonferroni_lag,
            "dunn_bonferroni_maturity": self.dunn_bonferroni_maturity,
            "chi_square": tests(self.chi_square),
            "spearman": tests(self.spearman),
            "lag_by_maturity": self.lag_by_maturity,
            "pattern_by_maturity": self.pattern_by_maturity,
            "pattern_by_variants": self.pattern_by_variants,
            "published_dunn_max_abs_diff": self.published_dunn_max_abs_diff,
            "notes": list(self.notes),
        }
        return plain(out)


def corpus_report(
    families: pd.DataFrame,
    switches: pd.DataFrame,
    *,
    sources: tuple[str, ...] = ("paper",),
    exclusions: bool = True,
    published_dunn: pd.DataFrame | None = None,
    notes: tuple[str, ...] = (),
) -> CorpusReport:
    """Every corpus-wide figure and test for these families and their switches."""
    families = with_groups(families)
    sw = switch_frame(families, switches)
    dunn = dunn_bonferroni(sw, "pattern")
    tests = {
        "lag_by_maturity": chi_square(families, "lag", "age_group"),
        "pattern_by_maturity": chi_square(families, "pattern", "age_group"),
        "pattern_by_variants": chi_square(families, "pattern", "variants"),
        "similarity_by_maturity": chi_square(families, "similarity_group", "age_group"),
        "contributors_by_similarity": chi_square(families, "contributors", "similarity_group"),
    }
    rho = {f"pattern_vs_contributors_{k}": v for k, v in contributor_spearman(families).items()}
    return CorpusReport(
        sources=sources,
        exclusions=exclusions,
        n_families=len(families),
        n_switches=len(sw),
        pattern_share=pattern_share(families),
        lag_share=lag_share(families),
        mean_switch_days_by_lag=mean_switch_days(sw, "lag"),
        mean_switch_days_by_pattern=mean_switch_days(sw, "pattern"),
        mean_switch_days_by_maturity=mean_switch_days(sw, "age_group"),
        kruskal_wallis={
            "lag": kruskal(sw, "lag"),
            "pattern": kruskal(sw, "pattern"),
            "maturity": kruskal(sw, "age_group"),
        },
        dunn_bonferroni=nested(dunn),
        dunn_bonferroni_lag=nested(dunn_bonferroni(sw, "lag")),
        dunn_bonferroni_maturity=nested(dunn_bonferroni(sw, "age_group")),
        chi_square=tests,
        spearman=rho,
        lag_by_maturity=nested(crosstab_share(families, "lag", "age_group", "all")),
        pattern_by_maturity=nested(crosstab_share(families, "pattern", "age_group", "columns")),
        pattern_by_variants=nested(crosstab_share(families, "pattern", "variants", "all")),
        published_dunn_max_abs_diff=(
            compare_dunn(dunn, published_dunn) if published_dunn is not None else None
        ),
        notes=(*notes, *(() if exclusions else (paper.EXCLUSIONS_OFF,))),
    )
