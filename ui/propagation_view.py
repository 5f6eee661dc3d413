"""The Family page's "Propagation" section and the timeline's linked-commit overlay: exact,
per-file propagation beside the paper's period-based pattern. Layout only."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import sqlite_utils
import streamlit as st

from core.csvsafe import csv_text
from core.figures.family import GITHUB_ROW
from core.figures.propagation import delay_figure, link_cells, link_overlay, matrix_figure
from core.markup import st_text
from core.propagation.build import Propagation
from core.propagation.matrix import matrix_table
from core.propagation.measures import never_arrived
from core.records import Family
from core.report.family import FamilyReport
from ui import state

HIGHLIGHT_KEY = "propagation_highlight"
SOURCE_WORDS = {"git": "blobless git clone", "api": "Hub tree API"}


def timeline_overlay(
    db: sqlite_utils.Database, family: Family | None, report: FamilyReport
) -> Callable[[go.Figure], go.Figure] | None:
    """What the timeline applies to its figure: linked commits, and the one picked below."""
    if family is None:
        return None
    result = state.family_propagation(db, family)
    if result.links.empty:
        return None
    picked = st.session_state.get(HIGHLIGHT_KEY)
    at = (picked[0], int(picked[1])) if picked else None
    return lambda fig: link_overlay(fig, result.links, report.commits, highlight=at)


def section(db: sqlite_utils.Database, report: FamilyReport, family: Family | None) -> None:
    """Which GitHub file version reached which variant, and when; what never did."""
    st.caption(
        "Exact, per file: the same content has the same git blob id on both platforms, so "
        "SyncLens can tell which GitHub change reached which variant and how many hours later. "
        "This explains the pattern above; it does not replace it."
    )
    if family is None:
        st.write("Exact propagation needs a cached family (not an uploaded CSV).")
        return
    result = state.family_propagation(db, family)
    if not result.sources:
        st.info(
            "No file histories yet. Reading them clones each repository without its file "
            "contents (git trees only) — or lists a gated variant's trees through the Hub API."
        )
        if st.button("Read file histories", type="primary", key="read_files"):
            _read(db, family)
        return
    _summary(result)
    if st.button("Refresh file histories", key="refresh_files"):
        _read(db, family)
    tabs = st.tabs(["Per-file matrix", "Per variant", "Never arrived", "Links"])
    with tabs[0]:
        _matrix(result)
    with tabs[1]:
        _variants(result)
    with tabs[2]:
        _never(result)
    with tabs[3]:
        _links(result, report)


def _say(message: str) -> None:
    st.text(message)


def _read(db: sqlite_utils.Database, family: Family) -> None:
    from core.propagation.importer import import_with_clients

    with st.status("Reading file histories …", expanded=True) as status:
        done = import_with_clients(
            db,
            family,
            state.clients(),
            progress=lambda repo, message: _say(f"{repo} — {message}"),
        )
        failed = [d for d in done if d.status == "failed"]
        for d in failed:
            st.error(f"{d.platform} {d.repo}: {d.note}")
        if not failed:
            label = "File histories read"
        elif len(failed) == len(done):
            label = f"No file history could be read ({len(failed)} of {len(done)} failed)"
        else:
            label = f"File histories read, {len(failed)} of {len(done)} failed"
        status.update(label=label, state="error" if failed else "complete", expanded=bool(failed))
    if not failed:  # keep the errors on screen; what was read shows on the next run
        st.rerun()


def _summary(result: Propagation) -> None:
    s = result.summary
    cols = st.columns(4)
    cols[0].metric(
        "GitHub file versions that arrived",
        "—" if s.share is None else f"{s.share:.0%}",
        help="Of the GitHub file versions each variant carries and that were still current "
        "once it existed: reached / (reached + never).",
    )
    cols[1].metric("Median delay", "—" if not s.delays.n else f"{s.delays.median:g} h")
    cols[2].metric("Never arrived", s.never)
    cols[3].metric("Hub edits never sent upstream", s.hub_only_edits)
    how = [
        f"{r['repo']}: "
        + (r["detail"] if r["source"] == "api" and r["detail"] else SOURCE_WORDS[r["source"]])
        for r in result.sources
    ]
    st.caption("Read with " + " · ".join(st_text(h) for h in how))
    if result.missing_histories:
        st.caption("No file history yet for " + ", ".join(map(st_text, result.missing_histories)))


def _matrix(result: Propagation) -> None:
    if result.matrix.empty:
        st.write("No variant carries a file that GitHub has (by path or file name).")
        return
    st.plotly_chart(matrix_figure(result.matrix, result.variants), width="stretch")
    st.caption(
        "Rows: GitHub's current files; columns: variants. carried = arrived within a day; "
        "late N d = arrived N days later; never = the variant holds another version; "
        "from HF = the Hub had it first. Blank: the variant does not carry the file."
    )
    table = matrix_table(result.matrix, result.variants)
    st.download_button(
        "Matrix (CSV)", csv_text(table), f"{result.family}-propagation.csv", "text/csv"
    )


def _variants(result: Propagation) -> None:
    rows = [
        {
            "variant": v.variant,
            "shared files": v.shared_files,
            "GitHub versions": v.gh_versions,
            "reached": v.reached,
            "never": v.never,
            "share": v.share,
            "median h": v.delays.median,
            "p90 h": v.delays.p90,
            "Hub-only edits": v.hub_only_edits,
            "named in messages": v.message_links,
            "sync-bot commits": v.automated_commits,
        }
        for v in result.per_variant
    ]
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={"share": st.column_config.ProgressColumn(format="percent", max_value=1)},
    )
    if result.summary.delays.n:
        st.plotly_chart(delay_figure(result.status), width="stretch")


def _never(result: Propagation) -> None:
    st.markdown("**GitHub changes that never arrived** (by file and change type)")
    st.dataframe(never_arrived(result.status), hide_index=True, width="stretch")
    st.markdown("**Edited on the Hub, never sent upstream**")
    st.dataframe(result.hub_only.drop(columns="key"), hide_index=True, width="stretch")


def _links(result: Propagation, report: FamilyReport) -> None:
    named = result.links[result.links["kind"] == "message"]
    if not result.automated.empty:
        st.caption(
            "Automated mirroring: "
            + ", ".join(
                f"{st_text(v)} ({n} commits by {st_text(b)})"
                for (v, b), n in result.automated.groupby(["variant", "bot"]).size().items()
            )
        )
    if not named.empty:
        st.markdown("**Links stated in Hub commit messages**")
        st.dataframe(named.drop(columns=["key", "matched_by"]), hide_index=True, width="stretch")
    cells = link_cells(result.links, report.commits)
    if cells.empty:
        return
    choices = sorted(
        {(r, int(p)) for r, p in zip(cells["src_row"], cells["src_period"], strict=True)},
        key=lambda c: (c[0] != GITHUB_ROW, c[1], c[0]),
    )
    st.selectbox(
        "Highlight a commit's counterparts on the timeline",
        choices,
        index=None,
        format_func=lambda c: f"{c[0]} · Wk{2 * c[1]}",
        key=HIGHLIGHT_KEY,
        help="Every link is drawn on the timeline; hover a dot to see its counterparts.",
    )
