"""Plotly figures for the corpus page, one module per section of the page.

The paper's Figures 4-8 and 18-25 and Table 3, each chart with a caption and the table behind it.

Pure functions over the frames of `core.corpus.Corpus` (already filtered by the page): data in,
a `Chart` out — the figure, a one-line caption (the computed numbers, the statistical method,
and the paper's own figure for comparison, from `core.corpus.paper`) and the table behind the
figure (the CSV download). A chart whose data is missing has `figure=None` and says in `needs`
what would provide it. The statistics come from `core.corpus.stats`.

`section_charts` builds one section (what the page shows at a time); `corpus_charts` all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from core.corpus import MINE, PAPER, Corpus
from core.corpus import stats as cs
from core.figures.corpus import change_types, contributors, delays, lags, patterns, similarity
from core.figures.corpus.change_types import (
    NEED_LABELS,
    change_types_by_maturity_chart,
    change_types_by_pattern_chart,
    change_types_chart,
)
from core.figures.corpus.chart import SECTIONS, Chart, SectionData
from core.figures.corpus.contributors import contributors_pattern_chart
from core.figures.corpus.delays import dunn_chart, switch_days_chart
from core.figures.corpus.lags import lag_by_maturity_chart, lags_chart
from core.figures.corpus.patterns import patterns_by_maturity_chart, patterns_chart, variants_chart
from core.figures.corpus.similarity import (
    contributors_similarity_chart,
    similarity_by_maturity_chart,
    similarity_chart,
)


@dataclass(frozen=True)
class Section:
    """One section of the corpus page: its title, short label, URL key and chart builder."""

    title: str
    label: str
    key: str
    build: Callable[[SectionData], list[Chart]]


PAGE_SECTIONS = (
    Section(SECTIONS[0], "Patterns", "patterns", patterns.charts),
    Section(SECTIONS[1], "Lags", "lags", lags.charts),
    Section(SECTIONS[2], "Time to reflect changes", "delays", delays.charts),
    Section(SECTIONS[3], "Similarity", "similarity", similarity.charts),
    Section(SECTIONS[4], "Contributors", "contributors", contributors.charts),
    Section(SECTIONS[5], "Change types (yours)", "change-types", change_types.charts),
)
BY_KEY = {s.key: s for s in PAGE_SECTIONS}


def section_data(
    families: pd.DataFrame,
    switches: pd.DataFrame,
    *,
    change_types: pd.DataFrame | None = None,
    published_dunn: pd.DataFrame | None = None,
) -> SectionData:
    """The charts' input; `switches` may be the whole corpus' (only the families' are kept)."""
    return SectionData(families, cs.switch_frame(families, switches), change_types, published_dunn)


def page_data(
    corpus: Corpus, filters: cs.Filters, change_types: pd.DataFrame | None = None
) -> SectionData:
    """The charts' input for one choice on the page: the corpus' families that pass the
    filters, with the user's label counts when the corpus holds their families, and the
    paper's published Dunn matrix only where it applies (the paper's 325 families, unfiltered).
    """
    unfiltered = not filters.any and corpus.sources == (PAPER,) and corpus.exclusions
    return section_data(
        filters.apply(corpus.families),
        corpus.switches,
        change_types=change_types if MINE in corpus.sources else None,
        published_dunn=corpus.published_dunn if unfiltered else None,
    )


def section_charts(key: str, data: SectionData) -> list[Chart]:
    """The charts of one section (`Section.key`), in page order."""
    return BY_KEY[key].build(data)


def corpus_charts(
    families: pd.DataFrame,
    switches: pd.DataFrame,
    *,
    change_types: pd.DataFrame | None = None,
    published_dunn: pd.DataFrame | None = None,
) -> list[Chart]:
    """Every corpus chart for these (filtered) families, in the page's order.

    `switches` may be the whole corpus' switches: only those of `families` are used.
    `change_types` is `core.corpus.mine_change_types` (labels of the user's families).
    """
    data = section_data(
        families, switches, change_types=change_types, published_dunn=published_dunn
    )
    return [chart for section in PAGE_SECTIONS for chart in section.build(data)]


__all__ = [
    "BY_KEY",
    "NEED_LABELS",
    "PAGE_SECTIONS",
    "SECTIONS",
    "Chart",
    "Section",
    "SectionData",
    "change_types_by_maturity_chart",
    "change_types_by_pattern_chart",
    "change_types_chart",
    "contributors_pattern_chart",
    "contributors_similarity_chart",
    "corpus_charts",
    "dunn_chart",
    "lag_by_maturity_chart",
    "lags_chart",
    "page_data",
    "patterns_by_maturity_chart",
    "patterns_chart",
    "section_charts",
    "section_data",
    "similarity_by_maturity_chart",
    "similarity_chart",
    "switch_days_chart",
    "variants_chart",
]
