"""The Family page's sections, laid out from a `FamilyReport`: header, pattern card, timeline,
lag and delays, change types, commits, family facts and exports. Layout only."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go
import sqlite_utils
import streamlit as st

from core.errors import SyncLensError
from core.figures.delay_histogram import delay_histogram
from core.figures.family import label_share_figure, timeline_figure
from core.ingest.choose import save_choice
from core.ingest.fetch import cache_age, family_status
from core.labeling.labels import correct_commits
from core.markup import st_text
from core.records import Family
from core.report.commit_table import commit_table, export_csv, filter_commits, with_location
from core.report.family import FamilyReport
from core.report.upload import UploadedFamilies
from core.vocabulary import CHANGE_TYPES
from ui import state


def members_table(family: Family) -> pd.DataFrame:
    """Who is in a freshly resolved family and how SyncLens found each one."""
    return pd.DataFrame(
        [{"variant": m.model_id, "found via": m.source, "detail": m.detail} for m in family.members]
    )


def pick_uploaded_family(files: UploadedFamilies) -> FamilyReport | None:
    """Every family of an uploaded file summed up, and the one the user picks to show."""
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
        picked = st.selectbox("Show the family", files.families, key="upload_family")
        return files.reports[picked]
    return next(iter(files.reports.values()))


def label_with_claude(db: sqlite_utils.Database, family: Family) -> str:
    """Label with Claude (cached texts are not sent again); the labeler actually used."""
    with st.status("Labeling commits with Claude …", expanded=False) as status:
        try:
            stats = state.label_family(db, family, "claude")
        except SyncLensError as err:
            status.update(label="Claude labeling failed; showing rules labels", state="error")
            st.error(str(err))
            return "rules"
        status.update(
            label=f"Claude labels: {stats.n_cached + stats.n_new} texts "
            f"({stats.n_new} new, {stats.requests} requests, "
            f"{stats.input_tokens + stats.output_tokens} tokens)",
            state="complete",
        )
    return "claude"


def family_header(db: sqlite_utils.Database, family: Family, report: FamilyReport) -> bool:
    """Name, sources and cache age; True when the user asks for a refresh."""
    head = st.columns([5, 2], vertical_alignment="center")
    head[0].subheader(report.name)
    age = cache_age(db, family)
    when = (
        "never fetched completely"
        if age is None
        else f"cached {(datetime.now(UTC) - age).days} days ago ({age:%Y-%m-%d %H:%M} UTC)"
    )
    head[0].caption(
        f"GitHub `{family.github_repo or '—'}` · {len(family.variants)} HF variant(s) · {when}"
    )
    refresh = head[1].button("Refresh from GitHub and the Hub", width="stretch")
    with st.expander("Sources and fetch status"):
        st.dataframe(pd.DataFrame(family_status(db, family)), hide_index=True, width="stretch")
    return refresh


def pattern_card(report: FamilyReport) -> None:
    """The pattern, its labels, the paper's figures for it, and the facts that decided it."""
    card = report.pattern_card()
    with st.container(border=True, key="pattern-card"):
        if card.pattern is None:
            st.markdown("#### No synchronization pattern")
            st.write(f"SyncLens needs commits on both platforms: {card.reason}.")
        else:
            st.markdown(f"#### {card.headline}")
            m = st.columns(4)
            m[0].metric(f"Pattern ({card.code})", card.pattern)
            m[1].metric("Synchronization", card.sync_type or "—", help=card.sync)
            m[2].metric("Intensity", card.intensity or "—", help=card.intensity_words)
            m[3].metric("Lag", card.lag or "—")
            mean = card.paper_mean_days
            st.caption(
                f"In the paper's 325 families, {card.paper_share}% are {card.pattern}"
                + (
                    f"; their changes took {mean} days on average to reach the other platform."
                    if mean is not None
                    else "."
                )
                + f" {card.lag} families were {card.paper_lag_share}% of the corpus "
                f"({card.paper_lag_mean_days} days on average)."
            )
        st.markdown("**Why:**")
        if report.analysis:
            st.markdown("\n".join(f"- {st_text(line)}" for line in report.analysis.explanation))


def timeline(report: FamilyReport) -> go.Figure:
    """The biweekly timeline (the paper's Figure 9), coloured by platform or change type."""
    analysis = report.analysis
    assert analysis is not None
    color_by = st.segmented_control(
        "Colour by", ["platform", "change type"], default="platform", key="color_by"
    )
    fig = timeline_figure(
        report.commits,
        pd.Timestamp(analysis.t0),
        analysis.co_active_periods,
        color_by="label" if color_by == "change type" else "platform",
        title=f"{report.name}: biweekly commits on GitHub and Hugging Face",
    )
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
    st.caption(
        "Dots: biweekly periods with commits (size = number of commits). Dashed lines: "
        "periods where both platforms are active. Drag to pan, scroll to zoom, hover for "
        "the commits."
    )
    return fig


def sections(
    db: sqlite_utils.Database, report: FamilyReport, family: Family | None, fig: go.Figure
) -> None:
    """The tabs under the timeline."""
    tabs = st.tabs(["Lag and delays", "Change types", "Commits", "Family facts", "Export"])
    with tabs[0]:
        delays(report)
    with tabs[1]:
        change_types(report)
    with tabs[2]:
        commits(db, report, family)
    with tabs[3]:
        facts(db, report, family)
    with tabs[4]:
        exports(report, fig)


def delays(report: FamilyReport) -> None:
    d = report.delays
    cols = st.columns(4)
    cols[0].metric("Moved first", (report.analysis.lag if report.analysis else None) or "—")
    cols[1].metric("Switches", d.n_switches)
    cols[2].metric(
        "GitHub → HF (mean / median days)",
        "—" if d.gh_to_hf_mean is None else f"{d.gh_to_hf_mean} / {d.gh_to_hf_median}",
    )
    cols[3].metric(
        "HF → GitHub (mean / median days)",
        "—" if d.hf_to_gh_mean is None else f"{d.hf_to_gh_mean} / {d.hf_to_gh_median}",
    )
    if not d.n_switches:
        st.write("No switches: the commits never alternate between the platforms.")
        return
    st.plotly_chart(delay_histogram(report.switches), width="stretch")
    shown = report.switches.assign(
        prev=report.switches["prev"].dt.strftime("%Y-%m-%d %H:%M"),
        next=report.switches["next"].dt.strftime("%Y-%m-%d %H:%M"),
    )
    st.dataframe(shown.drop(columns=["family"]), hide_index=True, width="stretch")


def change_types(report: FamilyReport) -> None:
    if not report.labeled:
        st.write("No change-type labels (the commits carry no text).")
        return
    sim = report.similarity
    st.metric(
        "Jaccard similarity of change types (GitHub vs HF)",
        "—" if sim is None else f"{sim:.2f}",
        help="Shared change types / all change types seen on either platform.",
    )
    st.plotly_chart(label_share_figure(report.label_shares), width="stretch")
    if not report.variant_labels.empty:
        st.markdown("**Per variant**")
        pivot = report.variant_labels.pivot_table(
            index="model", columns="label", values="n", fill_value=0
        )
        st.dataframe(pivot, width="stretch")


def commits(db: sqlite_utils.Database, report: FamilyReport, family: Family | None) -> None:
    """The searchable commit table; labels can be corrected in place (cached families)."""
    frame = with_location(report.commits)
    f = st.columns([3, 2, 2, 3])
    search = f[0].text_input("Search text", key="commit_search")
    where = f[1].multiselect("Repository", sorted(frame["where"].unique()))
    labels = f[2].multiselect("Change type", [*CHANGE_TYPES])
    lo, hi = frame["timestamp"].min().date(), frame["timestamp"].max().date()
    span = f[3].date_input("Dates", (lo, hi), min_value=lo, max_value=hi)
    start, end = span if isinstance(span, tuple) and len(span) == 2 else (None, None)
    view = filter_commits(frame, search=search, where=where, labels=labels, start=start, end=end)
    table = commit_table(view)
    st.caption(
        f"{len(table)} of {len(frame)} commits. Edit a label to correct it; "
        "corrections win over every labeler and survive re-labeling."
    )
    if "label" not in table.columns or family is None:
        st.dataframe(table, hide_index=True, width="stretch")
        return
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        key="commit_editor",
        disabled=[c for c in table.columns if c != "label"],
        column_config={
            "label": st.column_config.SelectboxColumn("label", options=list(CHANGE_TYPES)),
            "timestamp": st.column_config.DatetimeColumn("date", format="YYYY-MM-DD HH:mm"),
        },
    )
    changed = edited["label"] != table["label"]
    if changed.any() and st.button(f"Save {int(changed.sum())} correction(s)"):
        rows = view.set_index("sha").loc[edited.loc[changed, "sha"]].reset_index()
        try:
            correct_commits(db, rows, edited.loc[changed, "label"].tolist())
        except SyncLensError as err:
            st.error(str(err))
        else:
            st.rerun()


def facts(db: sqlite_utils.Database, report: FamilyReport, family: Family | None) -> None:
    """Maturity, contributors on each side, the variants, and editing the variant list."""
    c = report.contributors
    cols = st.columns(4)
    cols[0].metric(
        "Maturity",
        report.maturity or "—",
        help="Mean variant age: Recent ≤ 113 days, Intermediate ≤ 430, Matured.",
    )
    cols[1].metric("GitHub contributors", len(c.gh))
    cols[2].metric("HF contributors", len(c.hf))
    cols[3].metric("On both platforms", len(c.both))
    if c.both:
        st.write("Active on both (matched by name): " + ", ".join(st_text(p) for p in c.both))
    st.dataframe(
        pd.DataFrame([v.__dict__ for v in report.variants]),
        hide_index=True,
        width="stretch",
        column_config={
            "created": st.column_config.DatetimeColumn(format="YYYY-MM-DD"),
            "first_commit": st.column_config.DatetimeColumn(format="YYYY-MM-DD"),
            "last_commit": st.column_config.DatetimeColumn(format="YYYY-MM-DD"),
        },
    )
    if family is None:
        return
    with st.expander("Edit variants"):
        add = st.text_input("Add a variant (HF model id)", key="add_variant")
        remove = st.multiselect("Remove variants", family.variants, key="remove_variant")
        if st.button("Save variants"):
            save_choice(db, family, add=[add] if add else [], remove=remove)
            st.success("Saved. Refresh to fetch new variants' commits.")
            st.rerun()


def exports(report: FamilyReport, fig: go.Figure) -> None:
    slug = report.name.replace("/", "_").replace(":", "_")
    cols = st.columns(3)
    cols[0].download_button(
        "Commits with labels (CSV)",
        export_csv(report.commits),
        f"{slug}-commits.csv",
        "text/csv",
        width="stretch",
    )
    cols[1].download_button(
        "Analysis (JSON)",
        json.dumps(report.to_dict(), indent=2, default=str),
        f"{slug}-analysis.json",
        "application/json",
        width="stretch",
    )
    cols[2].download_button(
        "Timeline (interactive HTML)",
        fig.to_html(include_plotlyjs="cdn"),
        f"{slug}-timeline.html",
        "text/html",
        width="stretch",
    )
    st.caption("For a PNG of the timeline, use the camera icon in the chart's toolbar.")
