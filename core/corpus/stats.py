"""Corpus-wide statistics (paper, Sections 4.1.1.4-4.1.1.7 and 4.3): pure functions over frames.

Inputs are the frames of `core.corpus.Corpus`: `families` (one row per family, with lag,
pattern, age_group, n_variants, similarity, n_gh/n_hf/n_common ...) and `switches` (one row per
platform switch with `days`). `switch_frame` joins the family attributes onto the switches.

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

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import association

from core.vocabulary import LAGS, PATTERNS

MATURITY_GROUPS = ("Recent", "Intermediate", "Matured")
SIMILARITY_GROUPS = ("low", "moderate", "high")
CONTRIBUTOR_GROUPS = ("Single-author", "Multiple-authors")
VARIANT_GROUPS = ("single", "multiple")
ORDERS: dict[str, tuple[str, ...]] = {
    "lag": LAGS,
    "pattern": PATTERNS,
    "age_group": MATURITY_GROUPS,
    "variants": VARIANT_GROUPS,
    "similarity_group": SIMILARITY_GROUPS,
    "contributors": CONTRIBUTOR_GROUPS,
}


def _clean(value):
    """Plain Python numbers for JSON (NaN becomes None)."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    return value


@dataclass(frozen=True)
class KruskalResult:
    """Kruskal-Wallis H test of switch days across the groups of `by`."""

    by: str
    statistic: float
    p: float
    df: int
    n: int
    epsilon_squared: float
    groups: dict[str, int]  # group -> number of switches
    method: str = "Kruskal-Wallis H test (scipy.stats.kruskal), effect size epsilon²"

    def to_dict(self) -> dict:
        return _clean(asdict(self))


@dataclass(frozen=True)
class ChiSquareResult:
    """Chi-square test of independence between two family attributes, with Cramér's V."""

    rows: str
    cols: str
    statistic: float
    p: float
    dof: int
    n: int
    cramers_v: float
    table: dict[str, dict[str, int]]  # row value -> column value -> count
    method: str = "chi-square test of independence (scipy), effect size Cramér's V"

    def to_dict(self) -> dict:
        return _clean(asdict(self))


@dataclass(frozen=True)
class SpearmanResult:
    """Spearman rank correlation between two family measures."""

    x: str
    y: str
    rho: float
    p: float
    n: int
    method: str = "Spearman rank correlation (scipy.stats.spearmanr)"

    def to_dict(self) -> dict:
        return _clean(asdict(self))


@dataclass(frozen=True)
class Standing:
    """One measure of a family against the corpus: its value and its percentile (0-100)."""

    value: float | None
    percentile: float | None  # share of corpus families with a value <= this one
    n: int  # corpus families with a value


@dataclass(frozen=True)
class Placement:
    """Where one family stands among the corpus (the "your family in the corpus" panel)."""

    family: str
    pattern: str | None
    age_group: str | None
    delay: Standing  # mean switch days
    similarity: Standing
    n_variants: Standing
    pattern_share_in_group: float | None  # % of families in its maturity group with its pattern
    pattern_rank_in_group: int | None  # 1 = most common pattern in that group
    group_size: int

    def to_dict(self) -> dict:
        return _clean(asdict(self))


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
            "kruskal_wallis": {
                k: v.to_dict() if v else None for k, v in self.kruskal_wallis.items()
            },
            "dunn_bonferroni": self.dunn_bonferroni,
            "dunn_bonferroni_lag": self.dunn_bonferroni_lag,
            "dunn_bonferroni_maturity": self.dunn_bonferroni_maturity,
            "chi_square": {k: v.to_dict() if v else None for k, v in self.chi_square.items()},
            "spearman": {k: v.to_dict() if v else None for k, v in self.spearman.items()},
            "lag_by_maturity": self.lag_by_maturity,
            "pattern_by_maturity": self.pattern_by_maturity,
            "pattern_by_variants": self.pattern_by_variants,
            "published_dunn_max_abs_diff": self.published_dunn_max_abs_diff,
            "notes": list(self.notes),
        }
        return _clean(out)


# --- shares --------------------------------------------------------------------------------


def _ordered(values, by: str) -> list[str]:
    known = ORDERS.get(by, ())
    present = {v for v in values if v is not None and not pd.isna(v)}
    return [v for v in known if v in present] + sorted(present - set(known))


def share(families: pd.DataFrame, by: str, *, keep_all: bool = True) -> dict[str, float]:
    """Percent of families per value of `by` (one decimal), largest first.

    With `keep_all`, every vocabulary value of `by` appears (0.0 when absent).
    """
    counts = families[by].dropna().value_counts()
    total = int(counts.sum())
    names = list(ORDERS.get(by, ())) if keep_all else []
    pct = (counts / total * 100).round(1) if total else counts.astype(float)
    out = {str(k): float(v) for k, v in pct.items()}
    for name in names:
        out.setdefault(name, 0.0)
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], _rank(by, kv[0]))))


def _rank(by: str, name: str) -> int:
    known = ORDERS.get(by, ())
    return known.index(name) if name in known else len(known)


def pattern_share(families: pd.DataFrame) -> dict[str, float]:
    """Figure 22: percent of families per synchronization pattern."""
    return share(families, "pattern")


def lag_share(families: pd.DataFrame) -> dict[str, float]:
    """Figure 20: percent of families per lag (GH First, HF First, Simultaneous)."""
    return share(families, "lag")


def crosstab_share(
    families: pd.DataFrame, rows: str, cols: str, normalize: str = "all"
) -> pd.DataFrame:
    """Percent of families per (rows, cols) cell, one decimal.

    `normalize="all"` divides by all families (the paper's Figures 21 and 24); `"columns"`
    divides within each column (Figure 23: patterns within each maturity group); `"index"`
    within each row.
    """
    data = families.dropna(subset=[rows, cols])
    table = pd.crosstab(data[rows], data[cols])
    table = table.reindex(index=_ordered(table.index, rows), columns=_ordered(table.columns, cols))
    if table.empty:
        return table.astype(float)
    if normalize == "columns":
        pct = table / table.sum(axis=0) * 100
    elif normalize == "index":
        pct = table.div(table.sum(axis=1), axis=0) * 100
    else:
        pct = table / table.to_numpy().sum() * 100
    return pct.round(1)


def _nested(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    return {str(r): {str(c): float(frame.loc[r, c]) for c in frame.columns} for r in frame.index}


# --- switch days ---------------------------------------------------------------------------


def switch_frame(families: pd.DataFrame, switches: pd.DataFrame) -> pd.DataFrame:
    """Switches of the given families with their lag, pattern, age_group and variants.

    Only switches of families present in `families` are kept, so filtering the families
    (a subset, a maturity group, exclusions) filters the switches the same way.
    """
    keys = [c for c in ("corpus", "family") if c in families.columns and c in switches.columns]
    attrs = [c for c in ("lag", "pattern", "age_group", "variants") if c in families.columns]
    return switches.merge(families[keys + attrs], on=keys, how="inner")


def mean_switch_days(switches: pd.DataFrame, by: str) -> dict[str, float]:
    """Mean days per switch for each group of `by` (over all switches, two decimals)."""
    data = switches.dropna(subset=[by])
    means = data.groupby(by)["days"].mean().round(2)
    return {str(k): float(means[k]) for k in _ordered(means.index, by)}


def kruskal(switches: pd.DataFrame, by: str) -> KruskalResult | None:
    """Kruskal-Wallis of switch days across groups of `by` (None with fewer than 2 groups)."""
    data = switches.dropna(subset=[by])
    groups = {str(k): g["days"].to_numpy(dtype=float) for k, g in data.groupby(by)}
    groups = {k: groups[k] for k in _ordered(groups, by) if len(groups[k])}
    if len(groups) < 2:
        return None
    n = sum(len(v) for v in groups.values())
    try:
        result = stats.kruskal(*groups.values())
    except ValueError:  # every value identical
        return None
    h = float(result.statistic)
    return KruskalResult(
        by=by,
        statistic=h,
        p=float(result.pvalue),
        df=len(groups) - 1,
        n=n,
        epsilon_squared=h / (n - 1) if n > 1 else float("nan"),
        groups={k: len(v) for k, v in groups.items()},
    )


def dunn_bonferroni(switches: pd.DataFrame, by: str = "pattern") -> pd.DataFrame:
    """Dunn's post-hoc test with Bonferroni-adjusted p-values of switch days (Table 3)."""
    import scikit_posthocs as sp  # imports matplotlib; loaded only when a Dunn test is asked

    data = switches.dropna(subset=[by])[[by, "days"]]
    if data[by].nunique() < 2:
        return pd.DataFrame()
    data = data.assign(days=data["days"].astype(float))
    matrix = sp.posthoc_dunn(data, val_col="days", group_col=by, p_adjust="bonferroni")
    order = _ordered(matrix.index, by)
    return matrix.loc[order, order]


def compare_dunn(computed: pd.DataFrame, published: pd.DataFrame) -> float | None:
    """Largest absolute difference between two Dunn matrices over their shared cells."""
    if computed.empty or published.empty:
        return None
    rows = [r for r in computed.index if r in published.index]
    cols = [c for c in computed.columns if c in published.columns]
    if not rows or not cols:
        return None
    diff = computed.loc[rows, cols].to_numpy(float) - published.loc[rows, cols].to_numpy(float)
    return float(np.nanmax(np.abs(diff)))


# --- associations --------------------------------------------------------------------------


def chi_square(families: pd.DataFrame, rows: str, cols: str) -> ChiSquareResult | None:
    """Chi-square test of independence of two family attributes, with Cramér's V.

    None when the table has fewer than 2 rows or 2 columns (nothing to test).
    """
    data = families.dropna(subset=[rows, cols])
    table = pd.crosstab(data[rows], data[cols])
    table = table.reindex(index=_ordered(table.index, rows), columns=_ordered(table.columns, cols))
    if table.shape[0] < 2 or table.shape[1] < 2:
        return None
    result = stats.chi2_contingency(table.to_numpy())
    v = association(table.to_numpy(), method="cramer")
    return ChiSquareResult(
        rows=rows,
        cols=cols,
        statistic=float(result.statistic),
        p=float(result.pvalue),
        dof=int(result.dof),
        n=int(table.to_numpy().sum()),
        cramers_v=float(v),
        table={str(r): {str(c): int(table.loc[r, c]) for c in table.columns} for r in table.index},
    )


def chi_square_counts(
    counts: pd.DataFrame, rows: str, cols: str, value: str = "n"
) -> ChiSquareResult | None:
    """`chi_square` for already counted data (one row per (rows, cols, count) record).

    Used for commit-level tables such as platform x change type (paper, Figures 4 and 5),
    where the counts come aggregated. None when a side has fewer than 2 values.
    """
    data = counts.dropna(subset=[rows, cols])
    table = data.pivot_table(index=rows, columns=cols, values=value, aggfunc="sum", fill_value=0)
    table = table.reindex(index=_ordered(table.index, rows), columns=_ordered(table.columns, cols))
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    if table.shape[0] < 2 or table.shape[1] < 2:
        return None
    result = stats.chi2_contingency(table.to_numpy())
    return ChiSquareResult(
        rows=rows,
        cols=cols,
        statistic=float(result.statistic),
        p=float(result.pvalue),
        dof=int(result.dof),
        n=int(table.to_numpy().sum()),
        cramers_v=float(association(table.to_numpy(), method="cramer")),
        table={str(r): {str(c): int(table.loc[r, c]) for c in table.columns} for r in table.index},
    )


def similarity_groups(families: pd.DataFrame) -> pd.Series:
    """Terciles of the similarity score (pandas qcut), labelled low / moderate / high.

    On the paper's 325 families this gives its bins: 0.00-0.33, 0.36-0.47, 0.50-1.00.
    """
    scores = families["similarity"].astype(float)
    if scores.notna().sum() < 3 or scores.nunique() < 3:
        return pd.Series([None] * len(families), index=families.index, dtype=object)
    return pd.qcut(scores, 3, labels=list(SIMILARITY_GROUPS), duplicates="drop").astype(object)


def contributor_groups(families: pd.DataFrame) -> pd.Series:
    """Single-author (at most one person on both platforms) or Multiple-authors.

    The paper labels exactly-one as single; counting families with none as single too
    reproduces its single-author shares per similarity group (37.5 %, 33.6 %, 28.9 %).
    """
    common = families.get("n_common", pd.Series(np.nan, index=families.index))
    return common.map(
        lambda n: None if pd.isna(n) else CONTRIBUTOR_GROUPS[0] if n <= 1 else CONTRIBUTOR_GROUPS[1]
    )


def spearman(families: pd.DataFrame, x: str, y: str) -> SpearmanResult | None:
    """Spearman correlation of two numeric family columns (None with fewer than 3 pairs)."""
    data = families[[x, y]].apply(pd.to_numeric, errors="coerce").dropna()
    if len(data) < 3 or data[x].nunique() < 2 or data[y].nunique() < 2:
        return None
    result = stats.spearmanr(data[x], data[y])
    return SpearmanResult(
        x=x, y=y, rho=float(result.statistic), p=float(result.pvalue), n=len(data)
    )


def pattern_coordination_rank(families: pd.DataFrame) -> pd.Series:
    """Each family's pattern as an ordinal coordination level (1 = least coordinated).

    The paper ranks patterns by their families' mean number of co-active biweekly periods
    (Section 4.3.2.4). SyncLens' own families carry that count (`co_active_periods`); the
    replication data does not, so for those the mean number of switches per family stands in
    (a switch is a hand-over between platforms, which co-activity produces).
    """
    measure = "co_active_periods"
    # Every family needs the measure; a merged corpus (paper + mine) uses the proxy for all.
    if measure not in families or families[measure].isna().any():
        measure = "n_switches"
    means = families.groupby("pattern")[measure].mean()
    ranks = means.rank(method="dense")
    return families["pattern"].map(ranks)


def contributor_spearman(families: pd.DataFrame) -> dict[str, SpearmanResult | None]:
    """Spearman of pattern coordination level vs contributors on GH and on HF (Fig. 25)."""
    data = families.assign(coordination=pattern_coordination_rank(families))
    proxy = "co_active_periods" not in families or families["co_active_periods"].isna().any()
    basis = (
        "mean switches per family (proxy: the data has no co-active periods)"
        if proxy
        else "mean co-active periods"
    )
    out: dict[str, SpearmanResult | None] = {}
    for platform, column in (("GH", "n_gh"), ("HF", "n_hf")):
        result = spearman(data, "coordination", column) if column in data else None
        out[platform] = (
            None
            if result is None
            else replace(result, method=f"{result.method}; patterns ranked by {basis}")
        )
    return out


# --- filters and groups (the corpus page) ---------------------------------------------------


def with_groups(families: pd.DataFrame) -> pd.DataFrame:
    """`families` plus `similarity_group` (terciles) and `contributors` (single/multiple)."""
    return families.assign(
        similarity_group=similarity_groups(families), contributors=contributor_groups(families)
    )


def filter_families(
    families: pd.DataFrame,
    *,
    corpus: str | None = None,
    age_group: str | None = None,
    lag: str | None = None,
    pattern: str | None = None,
    variants: str | None = None,
) -> pd.DataFrame:
    """The families matching every filter given (None = no filter on that column).

    Pass the result with the full switches frame to any switch statistic: `switch_frame`
    keeps only the switches of the families present.
    """
    mask = pd.Series(True, index=families.index)
    for column, value in (
        ("corpus", corpus),
        ("age_group", age_group),
        ("lag", lag),
        ("pattern", pattern),
        ("variants", variants),
    ):
        if value is not None:
            mask &= families[column] == value
    return families[mask]


def similarity_histogram(families: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """Figure 6: percent of families per similarity bin (equal-width bins over 0-1).

    Columns: left, right, n, percent (one decimal). Families without a score are left out.
    """
    scores = pd.to_numeric(families["similarity"], errors="coerce").dropna()
    # Rounded edges, so a score of exactly 0.6 falls in [0.6, 0.8) and not below it.
    edges = np.round(np.linspace(0.0, 1.0, bins + 1), 10)
    counts, _ = np.histogram(scores, bins=edges)
    total = counts.sum()
    return pd.DataFrame(
        {
            "left": edges[:-1],
            "right": edges[1:],
            "n": counts,
            "percent": np.round(counts / total * 100, 1) if total else np.zeros(bins),
        }
    )


# --- one family in the corpus --------------------------------------------------------------


def percentile(values, value) -> float | None:
    """Percent of `values` that are <= `value` (scipy `percentileofscore`, kind="weak")."""
    data = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    if value is None or pd.isna(value) or data.empty:
        return None
    return round(float(stats.percentileofscore(data, float(value), kind="weak")), 1)


def _standing(families: pd.DataFrame, column: str, value) -> Standing:
    data = pd.to_numeric(families.get(column, pd.Series(dtype=float)), errors="coerce").dropna()
    value = None if value is None or pd.isna(value) else float(value)
    return Standing(value=value, percentile=percentile(data, value), n=len(data))


def place_family(corpus: pd.DataFrame, family_row) -> Placement:
    """Where a family stands in a corpus of families (a `Corpus.families` frame).

    `family_row` is a mapping or Series with at least `family`, and any of `pattern`,
    `age_group`, `mean_switch_days`, `similarity`, `n_variants`. Percentiles are the share
    of corpus families with a value at or below the family's; the pattern share is taken
    within the family's maturity group (the whole corpus when it has no group).
    """
    row = dict(family_row)
    group = row.get("age_group")
    group = None if group is None or pd.isna(group) else group
    peers = corpus[corpus["age_group"] == group] if group else corpus
    pattern = row.get("pattern")
    counts = peers["pattern"].value_counts()
    share_in_group = rank = None
    if pattern and len(peers):
        share_in_group = round(float(counts.get(pattern, 0)) / len(peers) * 100, 1)
        ranks = counts.rank(method="min", ascending=False)
        rank = int(ranks[pattern]) if pattern in ranks else None
    return Placement(
        family=str(row.get("family")),
        pattern=pattern,
        age_group=group,
        delay=_standing(corpus, "mean_switch_days", row.get("mean_switch_days")),
        similarity=_standing(corpus, "similarity", row.get("similarity")),
        n_variants=_standing(corpus, "n_variants", row.get("n_variants")),
        pattern_share_in_group=share_in_group,
        pattern_rank_in_group=rank,
        group_size=len(peers),
    )


def placement_table(placement: Placement) -> pd.DataFrame:
    """A placement as rows of (measure, value, percentile, corpus families): the CSV download."""
    rows = [
        ("mean days per switch", placement.delay),
        ("change-type similarity", placement.similarity),
        ("number of variants", placement.n_variants),
    ]
    out = [
        {"measure": name, "value": s.value, "percentile": s.percentile, "corpus_families": s.n}
        for name, s in rows
    ]
    out.append(
        {
            "measure": f"share of its pattern ({placement.pattern}) in its maturity group "
            f"({placement.age_group or 'all families'})",
            "value": placement.pattern_share_in_group,
            "percentile": None,
            "corpus_families": placement.group_size,
        }
    )
    return pd.DataFrame(out)


def report_row(report) -> dict:
    """A family's corpus row from a `core.report.family.FamilyReport` (one not in the mine corpus).

    Same keys `place_family` reads: family, pattern, lag, age_group, mean_switch_days,
    similarity, n_variants.
    """
    analysis = report.analysis
    switches = report.switches
    days = switches["days"].mean() if switches is not None and len(switches) else None
    return {
        "family": report.name,
        "pattern": analysis.pattern if analysis else None,
        "lag": analysis.lag if analysis else None,
        "age_group": report.maturity,
        "mean_switch_days": None if days is None or pd.isna(days) else float(days),
        "similarity": report.similarity,
        "n_variants": analysis.n_variants if analysis else len(report.variants),
    }


# --- the whole report ----------------------------------------------------------------------


def corpus_report(
    families: pd.DataFrame,
    switches: pd.DataFrame,
    *,
    sources: tuple[str, ...] = ("paper",),
    exclusions: bool = True,
    published_dunn: pd.DataFrame | None = None,
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
    notes = []
    if not exclusions:
        notes.append(
            "Exclusions off: family shares include the paper's 13 excluded families; "
            "the replication package has no switches for them."
        )
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
        dunn_bonferroni=_nested(dunn),
        dunn_bonferroni_lag=_nested(dunn_bonferroni(sw, "lag")),
        dunn_bonferroni_maturity=_nested(dunn_bonferroni(sw, "age_group")),
        chi_square=tests,
        spearman=rho,
        lag_by_maturity=_nested(crosstab_share(families, "lag", "age_group", "all")),
        pattern_by_maturity=_nested(crosstab_share(families, "pattern", "age_group", "columns")),
        pattern_by_variants=_nested(crosstab_share(families, "pattern", "variants", "all")),
        published_dunn_max_abs_diff=(
            compare_dunn(dunn, published_dunn) if published_dunn is not None else None
        ),
        notes=tuple(notes),
    )
