"""The page's "Lags" section: which platform moved first (Fig. 20), by maturity (Fig. 21)."""

from __future__ import annotations

import pandas as pd

from core.corpus import paper
from core.corpus import stats as cs
from core.figures.corpus.bars import grouped_bars, share_chart
from core.figures.corpus.chart import (
    SECTIONS,
    Chart,
    SectionData,
    cell,
    chi_text,
    download_table,
    join,
    missing,
)
from core.figures.palette import LAG_COLORS

SECTION = SECTIONS[1]


def lags_chart(families: pd.DataFrame) -> Chart:
    """Figure 20: percent of families per lag (which platform moved first)."""
    return share_chart(
        families,
        "lag",
        "lags",
        SECTION,
        "Which platform moved first",
        paper.LAG_SHARE,
        paper.LAGS_FIG,
        LAG_COLORS,
    )


def lag_by_maturity_chart(families: pd.DataFrame) -> Chart:
    """Figure 21: percent of all families per (maturity group, lag)."""
    key, title = "lag_by_maturity", "Lags by maturity"
    table = cs.crosstab_share(families, "age_group", "lag", "all")
    if table.shape[0] < 1 or families["age_group"].isna().all():
        return missing(key, SECTION, title, "No family has a maturity group.")
    fig = grouped_bars(table, LAG_COLORS, "maturity group", "% of all families")
    test = cs.chi_square(families, "lag", "age_group")
    gh = join(f"{g} {cell(table, g, 'GH First')}" for g in table.index)
    caption = (
        f"GH First: {gh} of all families. Chi-square test of independence, {chi_text(test)}."
        f" {paper.LAG_BY_MATURITY.caption()}"
    )
    return Chart(key, SECTION, title, fig, caption, download_table(table, "age_group"))


def charts(data: SectionData) -> list[Chart]:
    """The section's charts, in page order."""
    return [lags_chart(data.families), lag_by_maturity_chart(data.families)]
