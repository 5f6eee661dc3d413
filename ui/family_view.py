"""The Family page's upper half, laid out from a `FamilyReport`: examples, header, pattern card
(with the paper's labels beside SyncLens's) and the timeline. Layout only; the sections under
the timeline are `ui.family_sections`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go
import sqlite_utils
import streamlit as st

from core.demo import is_demo
from core.engine.periods import period_label
from core.errors import SyncLensError
from core.figures.family import both_sides_start
from core.ingest.resolve import cached_family
from core.ingest.status import cache_age, family_status
from core.markup import st_text
from core.records import Family
from core.report.family import FamilyReport
from core.report.paper import PAPER_VIEW, Labels, PaperComparison, labels_of, paper_labels
from core.report.upload import UploadedFamilies
from ui import state

PAPER_VIEW_KEY = "paper_view"
COLOR_OPTIONS = ["platform", "change type"]  # as they read in the URL: ?color=change+type


def members_table(family: Family) -> pd.DataFrame:
    """Who is in a freshly resolved family and how SyncLens found each one."""
    return pd.DataFrame(
        [{"variant": m.model_id, "found via": m.source, "detail": m.detail} for m in family.members]
    )


OFFLINE, ONLINE = ":material/offline_pin:", ":material/cloud_download:"
EXAMPLES_KEY = "example"


def examples(db: sqlite_utils.Database, names: list[str], use: Callable[[str], None]) -> None:
    """The examples as one row of pills, cached ones (they open offline) first and marked."""
    cached = {name: cached_family(db, name) is not None for name in names}
    ordered = sorted(names, key=lambda name: not cached[name])

    def picked() -> None:
        choice = st.session_state[EXAMPLES_KEY]
        st.session_state[EXAMPLES_KEY] = None  # a pill is a button here, not a state
        if choice:
            use(choice)

    st.pills(
        f"Examples — {OFFLINE} in your cache, opens offline · {ONLINE} needs network",
        ordered,
        format_func=lambda name: f"{OFFLINE if cached[name] else ONLINE} {name}",
        key=EXAMPLES_KEY,
        on_change=picked,
    )


def uploaded_family(
    data: bytes, filename: str, *, paper_view: bool
) -> tuple[FamilyReport, tuple] | None:
    """The report (and its cache key) of the family the user picks from an uploaded commits
    CSV; None when there is none."""
    name = filename.rsplit(".", 1)[0]
    try:
        files = state.upload(data, name, paper_view)
    except SyncLensError as err:
        st.error(st_text(err))
        return None
    picked = pick_uploaded_family(files)
    if picked is None:
        return None
    report = state.uploaded_report(data, name, paper_view, picked)
    return report, state.upload_key(data, name, paper_view, picked)


def pick_uploaded_family(files: UploadedFamilies) -> str | None:
    """Every family of an uploaded file summed up; the name of the one the user picks."""
    if files.bad_rows:
        st.warning(
            f"{len(files.bad_rows)} row(s) of {st_text(files.name)} could not be used and were "
            f"skipped (first: {st_text(str(files.bad_rows[0]))})."
        )
    if not files.reports:
        st.error(f"{st_text(files.name)} has no usable commits.")
        return None
    if len(files.families) > 1:
        st.markdown(f"**{len(files.families)} families in {st_text(files.name)}**")
        st.dataframe(files.summary(), hide_index=True, width="stretch", key="upload_summary")
        return st.selectbox("Show the family", files.families, key="upload_family")
    return files.families[0]


def label_with_claude(db: sqlite_utils.Database, family: Family, name: str = "claude") -> str:
    """Label with Claude, or `hybrid` (learned, Claude for the unsure texts); cached texts are
    not sent again. Returns the labeler actually used."""
    with st.status("Labeling commits with Claude …", expanded=False) as status:
        try:
            stats = state.label_family(db, family, name)
        except SyncLensError as err:
            status.update(label="Claude labeling failed; showing learned labels", state="error")
            st.error(st_text(err))
            return "learned"
        status.update(
            label=f"{name.capitalize()} labels: {stats.n_cached + stats.n_new} texts "
            f"({stats.n_new} new, {stats.requests} requests, "
            f"{stats.input_tokens + stats.output_tokens} tokens)",
            state="complete",
        )
    return name


def family_header(db: sqlite_utils.Database, family: Family) -> bool:
    """Name, sources and cache age; True when the user asks for a refresh."""
    head = st.columns([5, 2], vertical_alignment="center")
    head[0].subheader(st_text(family.name))
    if is_demo(db, family):
        when = (
            "demo data shipped with SyncLens (public metadata, see core/demo/data/README.md); "
            "Refresh fetches the live histories"
        )
    else:
        age = cache_age(db, family)
        when = (
            "never fetched completely"
            if age is None
            else f"cached {(datetime.now(UTC) - age).days} days ago ({age:%Y-%m-%d %H:%M} UTC)"
        )
    head[0].caption(
        f"GitHub {st_text(family.github_repo or '—')} · {len(family.variants)} HF variant(s) · "
        + when
    )
    refresh = head[1].button("Refresh from GitHub and the Hub", width="stretch")
    sources = st.expander("Sources and fetch status", key="sources", on_change="rerun")
    if sources.open:
        sources.dataframe(pd.DataFrame(family_status(db, family)), hide_index=True, width="stretch")
    return refresh


def fetch_gaps(db: sqlite_utils.Database, family: Family) -> bool:
    """Say first, plainly, which repositories were never fetched; True when the user asks
    to fetch them now."""
    missing = [row for row in family_status(db, family) if row["fetched_at"] is None]
    if not missing:
        return False
    names = ", ".join(st_text(f"{row['platform']} {row['repo']}") for row in missing)
    total = len(family.variants) + (1 if family.github_repo else 0)
    st.warning(
        f"**Not fetched yet: {len(missing)} of {total} repositories** ({names}). "
        "What follows covers only what is cached; nothing here is complete until they are "
        f"fetched (or run: python -m core fetch {st_text(family.name)}).",
        icon=":material/cloud_off:",
    )
    return st.button("Fetch them now", type="primary", key="fetch_missing")


def pattern_card(report: FamilyReport) -> None:
    """The pattern and its labels in one table, with the paper's own labels for this family
    when it studied it (and SyncLens's in the paper's view), the paper's corpus figures, the
    paper's-view toggle and the facts that decided it."""
    card = report.pattern_card()
    comparison = report.paper
    with st.container(border=True, key="pattern-card"):
        if card.pattern is None:
            st.markdown("#### No synchronization pattern")
            st.write(f"SyncLens needs commits on both platforms: {st_text(card.reason)}.")
        else:
            st.markdown(f"#### {card.headline}")
            st.markdown(labels_table(report))
            mean = card.paper_mean_days
            st.caption(
                f"{card.sync} · {card.intensity_words}. In the paper's 325 families, "
                f"{card.paper_share}% are {card.pattern}"
                + (
                    f"; their changes took {mean} days on average to reach the other platform."
                    if mean is not None
                    else "."
                )
                + f" {card.lag} families were {card.paper_lag_share}% of the corpus "
                f"({card.paper_lag_mean_days} days on average)."
            )
        if comparison is not None:
            st.caption(paper_notes(comparison))
        if report.analysis is None:  # nothing cached: no view to change
            return
        st.toggle(
            "Paper's view",
            key=PAPER_VIEW_KEY,
            help=f"Re-run the analysis as the paper saw the data: {PAPER_VIEW}.",
        )
        st.markdown(
            "**Why:**\n\n" + "\n".join(f"- {st_text(line)}" for line in report.analysis.explanation)
        )


def labels_table(report: FamilyReport) -> str:
    """SyncLens's labels, then the paper's and SyncLens's in the paper's view when the paper
    studied the family, as one Markdown table (cells that differ from the paper in bold)."""
    comparison = report.paper
    view = " (paper's view)" if report.paper_view else ""
    rows: list[tuple[str, Labels, tuple[str, ...]]] = [
        (f"SyncLens{view}", labels_of(report.analysis), ())
    ]
    if comparison is not None:
        target = paper_labels(comparison.paper)
        rows = [
            (rows[0][0], comparison.ours, comparison.differs),
            (f"Paper ({st_text(comparison.paper.family)})", target, ()),
        ]
        if comparison.paper_view is not None:
            again = comparison.paper_view
            rows.append(("SyncLens, paper's view", again, again.differs_from(target)))
    lines = [
        "| | Pattern | Sync | Intensity | Lag | Switches (mean days) |",
        "|---|---|---|---|---|---|",
    ]
    return "\n".join(lines + [_labels_row(name, labels, bold) for name, labels, bold in rows])


def paper_notes(comparison: PaperComparison) -> str:
    """How the paper's family was found, and whether (and likely why) the labels differ."""
    paper = comparison.paper
    notes = [
        f"The paper's labels: its family {st_text(paper.family)}, matched by {paper.matched_by}."
    ]
    if paper.excluded:
        notes.append("One of the 13 families the paper left out of its analysis.")
    if comparison.agrees:
        notes.append("SyncLens finds the paper's labels.")
    else:
        notes.append(st_text(comparison.reason))
        if comparison.paper_view is not None:
            notes.append(
                "Turning on the paper's view closes the gap."
                if comparison.paper_view_agrees
                else "The paper's view does not close the gap."
            )
    return " ".join(notes)


def _labels_row(name: str, labels: Labels, bold: tuple[str, ...]) -> str:
    def cell(field: str) -> str:
        value = getattr(labels, field) or "—"
        return f"**{value}**" if field in bold else value

    days = "—" if labels.mean_switch_days is None else f"{labels.mean_switch_days:g}"
    return (
        f"| {name} | {cell('pattern')} | {cell('sync_type')} | {cell('intensity')} | "
        f"{cell('lag')} | {labels.n_switches} ({days}) |"
    )


def timeline(
    report: FamilyReport,
    key: tuple,
    overlay: Callable[[go.Figure], go.Figure] | None = None,
) -> go.Figure:
    """The biweekly timeline (the paper's Figure 9), coloured by platform or change type;
    `key` names the report for the figure cache, `overlay` draws more on a copy of it
    (ui.propagation_view: linked commits)."""
    options = st.columns([3, 4], vertical_alignment="bottom")
    color = options[0].segmented_control(
        "Colour by",
        COLOR_OPTIONS,
        default=COLOR_OPTIONS[0],
        key="color",
        bind="query-params",
    )
    from_both = options[1].toggle(
        "Start where both platforms are active",
        value=True,
        key="from_both",
        bind="query-params",
        help="Open the view at the first period by which GitHub and Hugging Face have both "
        "had a commit; earlier periods keep their numbers and stay one pan or double-click "
        "away.",
    )
    color_by = "label" if color == "change type" else "platform"
    fig = state.timeline_figure(key, color_by, from_both, report)
    if overlay is not None:
        fig = overlay(go.Figure(fig))  # the cached figure is shared: never drawn on
    st.plotly_chart(
        fig,
        width="stretch",
        key="timeline",
        config={
            "scrollZoom": True,
            "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": "timeline"},
        },
    )
    caption = (
        "Dots: biweekly periods with commits (size = number of commits). Dashed lines: "
        "periods where both platforms are active. Drag to pan, scroll to zoom, hover for "
        "the commits."
    )
    start = both_sides_start(report.commits) if from_both else None
    if start is not None and start > 1:
        hidden = int((report.commits["period"] < start).sum())
        caption += (
            f" The view opens at period {start} ({period_label(start)}), where both platforms "
            f"have had a commit; {hidden} earlier commit(s) are to the left "
            "(double-click the chart to see everything)."
        )
    st.caption(caption)
    return fig
