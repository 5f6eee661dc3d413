"""The Family page's sections under the timeline: lag and delays, change types, commits,
family facts and exports. One opens at a time, none at first; only the open one runs (its name
is in the URL: `section`), so the page costs little more to draw than its timeline."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import sqlite_utils
import streamlit as st

from core.errors import SyncLensError
from core.figures.family import label_share_figure, standalone_html
from core.ingest.choose import save_choice
from core.labeling.corrections import correct_commits
from core.markup import st_text
from core.records import Family
from core.report.commit_table import commit_table, export_csv, filter_commits, with_location
from core.report.family import FamilyReport
from core.vocabulary import CHANGE_TYPES
from ui import propagation_view, state

SECTIONS = (
    "Lag and delays",
    "Change types",
    "Propagation",
    "Commits",
    "Family facts",
    "Export",
)


def sections(
    db: sqlite_utils.Database,
    report: FamilyReport,
    family: Family | None,
    fig: go.Figure,
    key: tuple,
) -> None:
    """The sections under the timeline, closed until one is picked; only the open one is
    computed and drawn (`key` names the report for the figure cache)."""
    draw = {
        "Lag and delays": lambda: delays(report, key),
        "Change types": lambda: change_types(report),
        "Propagation": lambda: propagation_view.section(db, report, family),
        "Commits": lambda: commits(db, report, family),
        "Family facts": lambda: facts(db, report, family),
        "Export": lambda: exports(report, fig),
    }
    open_section = st.segmented_control(
        "More about this family",
        SECTIONS,
        key="section",
        bind="query-params",
        help="Open one section; click it again to close it. The open section is in the URL.",
    )
    if open_section is not None:
        with st.container(border=True, key="open-section"):
            draw[open_section]()


def delays(report: FamilyReport, key: tuple) -> None:
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
    if not report.switches["days"].any():
        st.caption("Every change reached the other platform within a day (0 days).")
    st.plotly_chart(state.delay_figure(key, report), width="stretch", key="delays")
    table = st.expander(f"Every switch ({d.n_switches})", key="switch_table", on_change="rerun")
    if table.open:  # a data grid is costly to draw: only when asked for
        shown = report.switches.assign(
            prev=report.switches["prev"].dt.strftime("%Y-%m-%d %H:%M"),
            next=report.switches["next"].dt.strftime("%Y-%m-%d %H:%M"),
        )
        table.dataframe(shown.drop(columns=["family"]), hide_index=True, width="stretch")


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
    st.plotly_chart(label_share_figure(report.label_shares), width="stretch", key="shares")
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
    shown = f"{len(table)} of {len(frame)} commits."
    if "label" not in table.columns or family is None:  # an upload: nothing to correct
        st.caption(shown)
        st.dataframe(table, hide_index=True, width="stretch")
        return
    st.caption(
        f"{shown} Edit a label to correct it; corrections win over every labeler and survive "
        "re-labeling. A correction is for a text: it applies to every commit with the same "
        "text, on both platforms and in every family."
    )
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
    # None != None: an unlabeled row (no text) is unchanged until a label is chosen for it
    changed = edited["label"].fillna("") != table["label"].fillna("")
    if changed.any():
        st.caption(_correction_reach(frame, view, edited.loc[changed, "sha"]))
    if changed.any() and st.button(f"Save {int(changed.sum())} correction(s)"):
        rows = view.set_index("sha").loc[edited.loc[changed, "sha"]].reset_index()
        try:
            correct_commits(db, rows, edited.loc[changed, "label"].tolist())
        except SyncLensError as err:
            st.error(st_text(err))
        else:
            st.rerun()


def _correction_reach(frame: pd.DataFrame, view: pd.DataFrame, shas: pd.Series) -> str:
    """How many of this family's commits share the texts being corrected."""
    key = "text_hash" if "text_hash" in frame.columns else "text"
    if key not in frame.columns:
        return ""
    texts = set(view.loc[view["sha"].isin(shas), key])
    reach = int(frame[key].isin(texts).sum())
    return f"Saving changes the label of {reach} commit(s) of this family that share these texts."


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
            try:
                save_choice(db, family, add=[add.strip()] if add.strip() else [], remove=remove)
            except SyncLensError as err:  # e.g. not a Hub model id: say so, keep the family
                st.error(st_text(err))
                return
            st.success("Saved. Refresh to fetch new variants' commits.")
            st.rerun()


def exports(report: FamilyReport, fig: go.Figure) -> None:
    """Downloads built only when clicked: commits CSV, analysis JSON, self-contained HTML."""
    slug = report.name.replace("/", "_").replace(":", "_")
    cols = st.columns(3)
    cols[0].download_button(
        "Commits with labels (CSV)",
        lambda: export_csv(report.commits),
        f"{slug}-commits.csv",
        "text/csv",
        width="stretch",
        on_click="ignore",
    )
    cols[1].download_button(
        "Analysis (JSON)",
        lambda: json.dumps(report.to_dict(), indent=2, default=str),
        f"{slug}-analysis.json",
        "application/json",
        width="stretch",
        on_click="ignore",
    )
    cols[2].download_button(
        "Timeline (interactive HTML)",
        lambda: standalone_html(fig),
        f"{slug}-timeline.html",
        "text/html",
        width="stretch",
        on_click="ignore",
    )
    st.caption(
        "The HTML file embeds plotly.js (about 4.7 MB) and opens offline. For a PNG of the "
        "timeline, use the camera icon in the chart's toolbar."
    )
