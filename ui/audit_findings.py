"""The Audit page's findings, each a section laid out from an `AuditReport`: stale variants,
content drift, changes never carried over, and where the family stands. Layout only.

Tables hold text (commit titles, paths and ids are displayed as data, never as Markdown);
links come from `core.audit.links`, which builds them only from validated ids.
"""

from __future__ import annotations

import streamlit as st

from core.audit import AuditReport, CommitRef, StaleVariant
from core.audit.tables import (
    by_type_table,
    commits_table,
    drift_table,
    halves_table,
    missing_files_table,
    one_sided_table,
    placement_table,
    renamed_table,
    stale_table,
)
from core.figures.audit import isolated_figure
from core.markup import st_text

COMMIT_LINK = st.column_config.LinkColumn(
    "commit", display_text=r"/commit/([0-9a-f]{7})", help="Opens the commit"
)
FILE_LINK = st.column_config.LinkColumn(display_text=r"/blob/[^/]+/(.*)$")
DATE = st.column_config.DatetimeColumn(format="YYYY-MM-DD")
MAX_LISTED_NOTE = "The audit lists at most 50 commits per finding; the counts are complete."


def commits_frame(commits: tuple[CommitRef, ...], key: str) -> None:
    st.dataframe(
        commits_table(commits),
        hide_index=True,
        width="stretch",
        key=key,
        column_config={
            "date": DATE,
            "commit": COMMIT_LINK,
            "behaviour-changing": st.column_config.CheckboxColumn(
                "⚠", help="Can change what the model does"
            ),
            "title": st.column_config.TextColumn("title", width="large"),
        },
    )


def stale_section(report: AuditReport) -> None:
    st.header("1. Stale variants", divider="gray")
    st.caption(
        "For each variant: its last commit, the GitHub commits made since, and how many of "
        "them can change what the model does. Days behind = from the variant's last commit to "
        "the newest GitHub commit after it."
    )
    st.dataframe(
        stale_table(report.stale),
        hide_index=True,
        width="stretch",
        key="stale_table",
        column_config={
            "Hub page": st.column_config.LinkColumn(display_text="open", width="small"),
            "last commit": DATE,
            "last commit link": st.column_config.LinkColumn(
                "commit", display_text="open", width="small", help="The variant's last commit"
            ),
            "note": st.column_config.TextColumn("note", width="medium"),
        },
    )
    stale = [s for s in report.stale if s.is_stale]
    for s in sorted(stale, key=lambda s: (-s.behaviour_changing_since, s.model_id)):
        label = (
            f"{s.model_id} — {s.gh_commits_since} GitHub commit(s) since "
            f"{s.last_commit_at:%Y-%m-%d}, {s.behaviour_changing_since} behaviour-changing"
            if s.last_commit_at
            else s.model_id
        )
        with st.expander(st_text(label, 300)):
            st.dataframe(
                by_type_table(s.by_change_type),
                hide_index=True,
                key=f"stale_types_{s.model_id}",
                column_config={"behaviour-changing": st.column_config.CheckboxColumn("⚠")},
            )
            commits_frame(s.commits, f"stale_commits_{s.model_id}")
            if s.gh_commits_since > len(s.commits):
                st.caption(MAX_LISTED_NOTE)
            missing_files_view(s, report.github_repo)
    if not stale and all(s.last_commit_at for s in report.stale):
        st.success("Every variant has a commit after the newest GitHub commit.")


def missing_files_view(s: StaleVariant, github_repo: str | None) -> None:
    """The exact current GitHub files the variant lacks (core.propagation), or why unknown."""
    if s.missing_files is None:
        st.caption(
            "Exact files not checked: file histories are not cached (the Family page's "
            "Propagation section, or `python -m core propagation`, reads them)."
        )
        return
    if not s.missing_files:
        st.caption("Every current GitHub file's content has reached this variant.")
        return
    st.markdown(f"**Current GitHub files that never reached it ({len(s.missing_files)})**")
    st.dataframe(
        missing_files_table(s.missing_files, github_repo),
        hide_index=True,
        key=f"stale_files_{s.model_id}",
        column_config={
            "commit": st.column_config.LinkColumn(display_text="open", width="small"),
            "date": DATE,
        },
    )


def drift_section(report: AuditReport, online: bool) -> None:
    drift = report.drift
    st.header("2. Content drift", divider="gray")
    st.caption(
        "Files on both sides (same path or a known equivalent: model card, config.json, "
        "tokenizer files, modeling_*.py …) compared by git blob id from one file listing per "
        "repository — nothing is downloaded. Equal ids mean identical content."
    )
    if not drift.checked:
        st.info(
            "File contents were not checked"
            + (
                ": turn on **Check file contents online** to compare them."
                if not online
                else " — see **What could not be checked** below."
            )
        )
        return
    m = st.columns(4)
    m[0].metric("Identical", drift.count("identical"))
    m[1].metric("Different", drift.count("different"))
    m[2].metric(
        "Cannot tell",
        drift.count("unknown"),
        help="Different storage on each side (e.g. LFS on the Hub only): telling would need "
        "a download.",
    )
    m[3].metric("Variants compared", len(drift.variants_checked))
    files = {"Hub file": FILE_LINK, "GitHub file": FILE_LINK}
    if drift.comparisons:
        st.dataframe(
            drift_table(drift),
            hide_index=True,
            width="stretch",
            key="drift_table",
            column_config={
                **files,
                "Hub changed": DATE,
                "GitHub changed": DATE,
                "affects the model": st.column_config.CheckboxColumn("affects the model"),
            },
        )
    else:
        st.write("No watched file is present on both sides.")
    with st.expander(f"Renamed files ({len(drift.renamed)})"):
        if drift.renamed:
            st.caption("Same content (equal blob ids) under different paths.")
            st.dataframe(
                renamed_table(drift.renamed),
                hide_index=True,
                width="stretch",
                key="renamed_table",
                column_config=files,
            )
        else:
            st.write("No file was found under another name.")
    one_sided = (*drift.gh_only, *drift.hf_only)
    with st.expander(f"Files on one side only ({len(one_sided)})"):
        if one_sided:
            st.dataframe(
                one_sided_table(one_sided),
                hide_index=True,
                width="stretch",
                key="one_sided_table",
                column_config={"file": FILE_LINK},
            )
        else:
            st.write("Every watched file is on both sides.")
        if drift.n_hf_only_other:
            st.caption(
                f"Not counted: {drift.n_hf_only_other} other Hub files (weights, shards …) "
                "with no GitHub counterpart."
            )


def isolated_section(report: AuditReport) -> None:
    iso = report.isolated
    st.header("3. Changes never carried over", divider="gray")
    st.caption(
        f"Commits with no commit on the other platform within {iso.window_days} days before "
        "or after them (the paper's isolated changes), by change type."
    )
    m = st.columns(3)
    m[0].metric("GitHub only", f"{iso.n_gh} of {iso.n_gh_total}")
    m[1].metric("Hugging Face only", f"{iso.n_hf} of {iso.n_hf_total}")
    m[2].metric(
        "Too recent to judge",
        iso.n_pending,
        help=f"Commits younger than {iso.window_days} days: the other side may still follow.",
    )
    if not (iso.gh_by_type or iso.hf_by_type):
        st.write(
            "Every commit old enough to judge has a commit on the other platform within the window."
        )
        return
    st.plotly_chart(isolated_figure(iso), width="stretch", key="isolated_chart")
    tabs = st.tabs(
        [
            f"GitHub commits never on the Hub ({iso.n_gh})",
            f"Hub commits never on GitHub ({iso.n_hf})",
        ]
    )
    for tab, commits, n, key in (
        (tabs[0], iso.gh, iso.n_gh, "gh"),
        (tabs[1], iso.hf, iso.n_hf, "hf"),
    ):
        with tab:
            commits_frame(commits, f"isolated_{key}")
            if n > len(commits):
                st.caption(MAX_LISTED_NOTE)


def standing_section(report: AuditReport) -> None:
    st.header("4. Where the family stands", divider="gray")
    standing = report.standing
    if standing is None:  # an audited family has commits on both sides: never here
        return
    code = f" ({standing.pattern_code})" if standing.pattern_code else ""
    st.markdown(f"#### {standing.pattern or 'No pattern'}{code}")
    if standing.pattern_description:
        st.caption(standing.pattern_description)
    m = st.columns(3)
    m[0].metric("Lag", standing.lag or "—")
    m[1].metric(
        "Days to reflect a change (mean)",
        "—" if standing.mean_days is None else standing.mean_days,
        help=f"Over {standing.n_switches} switches between the platforms. "
        f"GitHub → HF {standing.gh_to_hf_mean}, HF → GitHub {standing.hf_to_gh_mean}.",
    )
    m[2].metric("Median", "—" if standing.median_days is None else standing.median_days)
    if standing.reason:
        st.write(st_text(standing.reason))
    if standing.paper_share is not None:
        mean = (
            f"; their changes took {standing.paper_mean_days} days on average to reach the "
            "other platform"
            if standing.paper_mean_days is not None
            else ""
        )
        st.caption(
            f"In the paper, {standing.paper_share} % of families are {standing.pattern}{mean}."
        )
    if standing.placement is not None:
        st.markdown(
            "**Against the paper's corpus** (percentile = share of its families at or "
            "below this value)"
        )
        st.dataframe(
            placement_table(standing),
            hide_index=True,
            key="placement_table",
            column_config={
                "percentile": st.column_config.ProgressColumn(
                    "percentile", min_value=0, max_value=100, format="%.0f"
                )
            },
        )
        st.caption("Similarity uses SyncLens labels; the paper labeled with an LLM.")
    if standing.early and standing.late:
        st.markdown(
            "**Over time** (the history split at its midpoint, each half classified on its own)"
        )
        st.dataframe(
            halves_table(standing),
            hide_index=True,
            key="halves_table",
            column_config={"from": DATE, "to": DATE},
        )
        if standing.corpus_same_transition is not None:
            st.caption(
                f"{standing.corpus_same_transition} % of the corpus families that started "
                f"{standing.early.pattern} ended {standing.late.pattern}."
            )
    if standing.explanation:
        with st.expander("Why this pattern"):
            st.markdown("\n".join(f"- {st_text(line)}" for line in standing.explanation))
