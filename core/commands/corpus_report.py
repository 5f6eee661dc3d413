"""`python -m core corpus-report`: the paper's corpus-wide figures, recomputed from the cache."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas and scipy load only when the command runs, not for every command
    from core.corpus.stats import CorpusReport

DESCRIPTION = """\
Recompute the paper's corpus-wide results from the corpus in the cache. When the cache has no
paper corpus yet, the copy shipped with SyncLens is loaded into it first (a line on stderr
says so); `python -m core corpus import [FOLDER]` replaces it with the CSVs themselves.

--format json prints one JSON object with: n_families, n_switches, pattern_share and lag_share
(percent of families, one decimal), mean_switch_days_by_lag / _by_pattern / _by_maturity (mean
over all switches of the families in each group, two decimals), kruskal_wallis (lag, pattern,
maturity: statistic, p, df, n, epsilon_squared), dunn_bonferroni (pattern x pattern adjusted
p-values; also _lag and _maturity), chi_square (lag/pattern by maturity, pattern by single vs
multiple variants, similarity by maturity, contributors by similarity: statistic, p, dof,
cramers_v, table), spearman, lag_by_maturity, pattern_by_maturity, pattern_by_variants.

--source paper (default) uses the replication data, mine the families analysed in SyncLens
(`corpus import --mine`), all both together (a family in both counts once, with SyncLens's
labels; `notes` names them). The paper's 13 exclusions are applied unless --no-exclusions is
given.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "corpus-report",
        help="corpus-wide shares, delays and tests as JSON",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--source",
        choices=["paper", "mine", "all"],
        default="paper",
        help="which corpus to report on (default: paper)",
    )
    p.add_argument(
        "--no-exclusions", action="store_true", help="keep the families the paper excluded"
    )
    p.add_argument(
        "--format", choices=["json", "table"], default="json", help="output format (default: json)"
    )
    p.set_defaults(func=run)


def build(db, source: str = "paper", *, exclusions: bool = True) -> CorpusReport:
    """Load the corpus and compute the report (what `run` prints; used by the benchmark)."""
    from core.corpus import PAPER, load_corpus
    from core.corpus.stats import corpus_report

    corpus = load_corpus(db, source, exclusions=exclusions)
    published = corpus.published_dunn if corpus.sources == (PAPER,) and exclusions else None
    notes = tuple(
        f"{mine} is in both corpora (the paper's {theirs}): counted once, with SyncLens's labels."
        for mine, theirs in corpus.overlap
    )
    return corpus_report(
        corpus.families,
        corpus.switches,
        sources=corpus.sources,
        exclusions=exclusions,
        published_dunn=published,
        notes=notes,
    )


def run(args: argparse.Namespace) -> int:
    from core import store
    from core.corpus import MINE, ensure_paper_corpus

    db = store.open_db(args.db)
    if args.source != MINE:
        loaded = ensure_paper_corpus(db)
        if loaded is not None:
            print(f"The cache had no paper corpus: loaded {loaded.origin}.", file=sys.stderr)
    report = build(db, args.source, exclusions=not args.no_exclusions)
    if args.format == "json":
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")  # one write
    else:
        sys.stdout.write(table(report))
    return 0


def _rows(title: str, values: dict[str, float], published: dict, unit: str) -> list[str]:
    lines = [title]
    for name, value in values.items():
        ref = published.get(name)
        ref_text = f"   (paper {ref}{unit})" if ref is not None else ""
        lines.append(f"  {name:<18} {value:>8}{unit}{ref_text}")
    return lines


def table(report: CorpusReport) -> str:
    """A plain-text summary with the paper's own figures beside ours."""
    from core.corpus import paper

    lines = [
        f"{report.n_families} families, {report.n_switches} switches "
        f"(sources: {', '.join(report.sources)}; exclusions "
        f"{'applied' if report.exclusions else 'off'})",
        "",
    ]
    lines += _rows("Patterns (% of families)", report.pattern_share, paper.PATTERN_SHARE, " %")
    lines += _rows("Lag (% of families)", report.lag_share, paper.LAG_SHARE, " %")
    lines += _rows(
        "Mean days per switch, by lag", report.mean_switch_days_by_lag, paper.DAYS_BY_LAG, " d"
    )
    lines += _rows(
        "Mean days per switch, by pattern",
        report.mean_switch_days_by_pattern,
        paper.DAYS_BY_PATTERN,
        " d",
    )
    lines += _rows(
        "Mean days per switch, by maturity", report.mean_switch_days_by_maturity, {}, " d"
    )
    lines.append("Kruskal-Wallis (switch days)")
    for name, kw in report.kruskal_wallis.items():
        if kw:
            lines.append(
                f"  by {name:<9} H = {kw.statistic:.2f}, df = {kw.df}, "
                f"p = {kw.p:.3g}, epsilon² = {kw.epsilon_squared:.3f}"
            )
    lines.append("Chi-square tests")
    for name, chi in report.chi_square.items():
        if chi:
            lines.append(
                f"  {name:<27} chi² = {chi.statistic:.2f}, dof = {chi.dof}, "
                f"p = {chi.p:.3g}, Cramér's V = {chi.cramers_v:.3f}"
            )
    if report.dunn_bonferroni:
        lines.append("Dunn-Bonferroni p-values of switch days by pattern (< = p < 0.05)")
        names = list(report.dunn_bonferroni)
        lines.append("  " + " " * 18 + " ".join(f"{n[:6]:>6}" for n in names))
        for row in names:
            cells = " ".join(
                f"{'<' if report.dunn_bonferroni[row][col] < 0.05 else 'x':>6}"
                if row != col
                else f"{'-':>6}"
                for col in names
            )
            lines.append(f"  {row:<18}{cells}")
    lines.extend(report.notes)
    return "\n".join(lines) + "\n"
