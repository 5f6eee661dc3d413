"""The page's "Change types (yours)" section, for the user's labeled families.

Change types per platform (Fig. 4), by maturity (Fig. 5) and by pattern (Figs. 18, 19).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.corpus import paper
from core.corpus import stats as cs
from core.figures.corpus.chart import (
    SECTIONS,
    Chart,
    SectionData,
    chi_text,
    families_text,
    fmt_p,
    join,
    layout,
    missing,
)
from core.figures.family import label_share_figure
from core.figures.palette import GH_COLOR, HF_COLOR
from core.vocabulary import CHANGE_TYPES

SECTION = SECTIONS[5]
NEED_LABELS = (
    "Change types need labeled commits, and the paper's commit-level labels are not public: "
    "analyse families with text in SyncLens (the Family page labels them), then press "
    '*Refresh your families* and choose the source "yours" or "both".'
)
SIDES = (("GH", "GitHub", GH_COLOR), ("HF", "Hugging Face", HF_COLOR))


def _top(shares: pd.DataFrame, platform: str, k: int = 3) -> str:
    part = shares[shares["platform"] == platform].nlargest(k, "share")
    return join(f"{row.label} {row.share:.1f}%" for row in part.itertuples())


def change_types_chart(change_types: pd.DataFrame | None, families: pd.DataFrame) -> Chart:
    """Figure 4: share of each change type among the labeled commits of each platform."""
    key, title = "change_types", "Change types on GitHub and Hugging Face"
    data = cs.labeled(change_types, families)
    if data is None:
        return missing(key, SECTION, title, NEED_LABELS, wide=True)
    shares = cs.platform_shares(data)
    fig = layout(
        label_share_figure(shares),
        max(300, 60 + 30 * shares["label"].nunique()),
        barmode="group",
        xaxis={"title": "% of the platform's labeled commits"},
    )
    test = cs.chi_square_counts(data, "platform", "label")
    caption = (
        f"{int(data['n'].sum()):,} labeled commits of {families_text(data['family'].nunique())}."
        f" GH: {_top(shares, 'GH')}; HF: {_top(shares, 'HF')}. Chi-square test of "
        f"independence (platform × change type), {chi_text(test)}. "
        f"{paper.CHANGE_TYPES.caption()}"
    )
    table = shares.round({"share": 1})[["platform", "label", "n", "share"]]
    return Chart(key, SECTION, title, fig, caption, table, wide=True)


def change_types_by_maturity_chart(
    change_types: pd.DataFrame | None, families: pd.DataFrame
) -> Chart:
    """Figure 5: the platform shares of change types within each maturity group."""
    key, title = "change_types_by_maturity", "Change types by maturity"
    data = cs.labeled(change_types, families)
    if data is None:
        return missing(key, SECTION, title, NEED_LABELS, wide=True)
    data = data.dropna(subset=["age_group"])
    groups = [g for g in cs.MATURITY_GROUPS if g in set(data["age_group"])]
    if not groups:
        return missing(
            key,
            SECTION,
            title,
            "Your labeled families have no maturity group (their variants' creation dates "
            "are unknown).",
            wide=True,
        )
    labels = [t for t in CHANGE_TYPES if t in set(data["label"])]
    fig = make_subplots(
        rows=1, cols=len(groups), shared_yaxes=True, subplot_titles=groups, horizontal_spacing=0.03
    )
    tables, tests = [], []
    for i, group in enumerate(groups, start=1):
        part = data[data["age_group"] == group]
        shares = cs.platform_shares(part)
        tables.append(shares.assign(age_group=group))
        for platform, name, color in SIDES:
            rows = shares[shares["platform"] == platform].set_index("label").reindex(labels)
            fig.add_trace(
                go.Bar(
                    y=labels,
                    x=rows["share"].fillna(0),
                    orientation="h",
                    name=name,
                    marker_color=color,
                    showlegend=i == 1,
                    legendgroup=platform,
                    hovertemplate=f"{group} · %{{y}}: %{{x:.1f}}%<extra>{name}</extra>",
                ),
                row=1,
                col=i,
            )
        result = cs.chi_square_counts(part, "platform", "label")
        tests.append(f"{group} {chi_text(result)}")
    layout(fig, max(320, 80 + 28 * len(labels)), barmode="group")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)))
    caption = (
        f"Chi-square per maturity group (platform × change type): {'; '.join(tests)}. "
        f"{paper.CHANGE_TYPES_BY_MATURITY.caption()}"
    )
    table = pd.concat(tables, ignore_index=True).round({"share": 1})
    columns = ["age_group", "platform", "label", "n", "share"]
    return Chart(key, SECTION, title, fig, caption, table[columns], wide=True)


def change_types_by_pattern_chart(
    change_types: pd.DataFrame | None, families: pd.DataFrame, platform: str
) -> Chart:
    """Figures 18 (GH) and 19 (HF): change types per pattern, colour log2(count + 1)."""
    side = dict((p, n) for p, n, _ in SIDES)[platform]
    key, title = f"change_types_pattern_{platform.lower()}", f"Change types by pattern, {side}"
    data = cs.labeled(change_types, families)
    if data is None:
        return missing(key, SECTION, title, NEED_LABELS, wide=True)
    counts, props = cs.pattern_label_matrix(data, platform)
    if counts.empty:
        return missing(
            key, SECTION, title, f"No labeled {side} commits in your families.", wide=True
        )
    fig = go.Figure(
        go.Heatmap(
            z=np.log2(counts.to_numpy(dtype=float) + 1),
            x=list(counts.columns),
            y=list(counts.index),
            text=props.round(2).to_numpy(),
            texttemplate="%{text:.2f}",
            textfont={"size": 10},
            colorscale="YlOrBr",
            customdata=counts.to_numpy(),
            colorbar={"title": {"text": "log2(n+1)"}, "thickness": 12},
            xgap=1,
            ygap=1,
            hovertemplate="%{y} · %{x}: %{customdata} commits, proportion %{text:.2f}<extra></extra>",
        )
    )
    layout(
        fig,
        max(300, 160 + 36 * len(counts.index)),
        xaxis={"tickangle": -40, "showgrid": False},
        yaxis={"autorange": "reversed", "showgrid": False},
    )
    leaders = props.idxmax(axis=1).value_counts()
    lead = f"{leaders.index[0]} leads in {int(leaders.iloc[0])} of {len(props)} patterns"
    if platform == "GH":
        tests = cs.platform_tests_by_pattern(data)
        method = (
            "Cell text: share of the pattern's GH commits. GH vs HF per pattern, chi-square on "
            "the 4 coarse change groups: "
            + (join(f"{p} χ²={r.statistic:.1f} ({fmt_p(r.p)})" for p, r in tests.items()) or "n/a")
        )
    else:
        method = "Cell text: median over the pattern's models of each model's share"
    caption = f"{lead}. {method}. {paper.CHANGE_TYPES_BY_PATTERN[platform].caption()}"
    table = (
        counts.stack()
        .rename("n")
        .reset_index()
        .merge(props.stack().rename("proportion").round(3).reset_index(), on=["pattern", "label"])
    )
    return Chart(key, SECTION, title, fig, caption, table, wide=True)


def charts(data: SectionData) -> list[Chart]:
    """The section's charts, in page order."""
    return [
        change_types_chart(data.change_types, data.families),
        change_types_by_maturity_chart(data.change_types, data.families),
        change_types_by_pattern_chart(data.change_types, data.families, "GH"),
        change_types_by_pattern_chart(data.change_types, data.families, "HF"),
    ]
