"""Audit page: a maintainer's self-audit of one cached family, with the commits and files behind
each finding, and a Markdown report and badge to share."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from core import store
from core.audit.render import badge_markdown, render_badge, render_markdown
from core.audit.tables import (
    by_type_table,
    commits_table,
    drift_table,
    halves_table,
    link_label,
    one_sided_table,
    placement_table,
    renamed_table,
    stale_table,
)
from core.errors import InputError
from core.figures.audit import isolated_figure
from core.ingest.resolve import cached_family
from core.markup import st_text as md
from ui import state
from ui.frame import require_app_frame

require_app_frame()

SEVERITY_COLOURS = {"high": "red", "medium": "orange", "low": "blue"}
BADGE_FILE = "synclens-badge.svg"
MODE = {  # (online, drift checked) -> how the header describes the audit
    (False, False): "cache only (file contents not checked)",
    (True, True): "files compared by blob id",
    (True, False): "file listings failed (file contents not checked)",
    (False, True): "files compared by blob id",
}
COMMIT_LINK = st.column_config.LinkColumn(
    "commit", display_text=r"/commit/([0-9a-f]{7})", help="Opens the commit"
)
DATE = st.column_config.DatetimeColumn(format="YYYY-MM-DD")
MAX_LISTED_NOTE = "The audit lists at most 50 commits per finding; the counts are complete."


def commits_frame(commits, key: str) -> None:
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


st.title("Audit")
st.caption(
    "A maintainer's self-audit: which Hugging Face variants are behind GitHub, which files "
    "differ between the two sides, which changes never reached the other platform — and what "
    "to do about it."
)

db = state.db()

# --- which family --------------------------------------------------------------------------
FAMILY = state.FAMILY_KEY
if st.query_params.get("q"):
    st.session_state[FAMILY] = st.query_params["q"]


def _picked() -> None:
    name = st.session_state.audit_pick
    if name:
        st.session_state[FAMILY] = name
        st.query_params["q"] = name


def _typed() -> None:
    text = st.session_state.audit_typed.strip()
    if text:
        st.session_state[FAMILY] = text
        st.query_params["q"] = text
    st.session_state.audit_typed = ""


text = str(st.session_state.get(FAMILY, "") or "").strip()
family = None
problem = None
if text:
    try:
        family = cached_family(db, text)
    except InputError as err:
        problem = str(err)
names = [f["name"] for f in store.list_families(db)]
st.session_state.audit_pick = family.name if family else None

pick_col, type_col = st.columns(2)
pick_col.selectbox(
    "Cached family",
    names,
    key="audit_pick",
    on_change=_picked,
    placeholder="Choose a family" if names else "No family cached yet",
    help="Families fetched on the Family page (or with `python -m core fetch`).",
)
type_col.text_input(
    "…or a model id or GitHub repository",
    key="audit_typed",
    on_change=_typed,
    placeholder="org/model or github.com/owner/repo",
)

if problem:
    st.error(problem)
    st.stop()
if family is None:
    if text:
        st.warning(
            f"**{md(text)}** is not in the cache yet. Find its repositories and fetch its "
            "commits on the Family page, then come back here."
        )
    elif names:
        st.info("Choose a cached family above, or type a model id or GitHub repository.")
    else:
        st.info("No family is cached yet. Look one up on the Family page first.")
    st.page_link(
        "pages/family.py",
        label="Go to the Family page",
        icon=":material/timeline:",
        query_params={"q": text} if text else None,
    )
    st.stop()

st.query_params["q"] = text

# --- controls ------------------------------------------------------------------------------
controls = st.columns([3, 3, 2], vertical_alignment="bottom")
window = controls[0].slider(
    "Window (days)",
    min_value=1,
    max_value=90,
    value=14,
    key="audit_window",
    help="A change counts as carried over when the other platform has a commit within this "
    "many days before or after it.",
)
online = controls[1].toggle(
    "Check file contents online",
    key="audit_online",
    help="List the files of the GitHub repository and of each variant (one request per "
    "repository, nothing downloaded) and compare their git blob ids. Off: the audit reads "
    "the cache only and content drift is not checked.",
)
refresh = controls[2].button(
    "Refresh",
    icon=":material/refresh:",
    width="stretch",
    help="Read the cache again and, when online, list the files again.",
)

slot = st.empty()
live: dict = {}


def progress(repo: str, step: int, total: int) -> None:
    if "status" not in live:
        live["status"] = slot.status(f"Listing files of {total} repositories …", expanded=True)
        live["bar"] = live["status"].progress(0.0)
    live["status"].write(f"{md(repo, 200)} ({step}/{total})")
    live["bar"].progress(min(1.0, step / max(total, 1)))


key, inputs = state.audit_inputs(db, family, offline=not online, refresh=refresh, progress=progress)
if "status" in live:
    failed = [lim for lim in inputs.limitations if lim.area == "drift" and lim.repo]
    listed = len(inputs.requests)
    if listed:
        label = (
            f"Listed the files of {listed} repositories ({sum(inputs.requests.values())} requests)"
        )
        label += f"; {len(failed)} could not be listed" if failed else ""
    else:
        label = "No file listing could be read — see What could not be checked"
    live["status"].update(label=label, state="complete" if listed else "error", expanded=False)
report = state.audit_report(key, window, datetime.now(UTC).date().isoformat(), inputs)

# --- header --------------------------------------------------------------------------------
repo = report.github_repo
st.subheader(report.family)
st.caption(
    f"GitHub {f'[{md(repo)}](https://github.com/{repo})' if repo else '—'} · "
    f"{len(report.variants)} Hugging Face variant(s) · "
    f"{MODE[(online, report.drift.checked)]} · "
    f"audited {report.generated_at:%Y-%m-%d %H:%M} UTC"
)
stale_n = sum(s.is_stale for s in report.stale)
behind = max((s.behaviour_changing_since for s in report.stale), default=0)
drift = report.drift
iso = report.isolated
standing = report.standing
summary = st.columns(5)
summary[0].metric("Stale variants", f"{stale_n} of {len(report.stale)}")
summary[1].metric(
    "Model changes missed",
    behind,
    help="The most GitHub commits that can change a model (model structure, parameter "
    "tuning, preprocessing, training infrastructure, dependencies) made after one variant's "
    "last commit.",
)
summary[2].metric(
    "Files that differ",
    drift.count("different") if drift.checked else "—",
    help=None if drift.checked else "Not checked: turn on Check file contents online.",
)
summary[3].metric(
    "Never carried over",
    iso.n_gh + iso.n_hf,
    help=f"{iso.n_gh} GitHub and {iso.n_hf} Hugging Face commits with no commit on the other "
    f"side within {iso.window_days} days.",
)
summary[4].metric("Pattern", (standing.pattern if standing else None) or "—")
high = sum(r.severity == "high" for r in report.recommendations)
if report.recommendations:
    st.caption(
        f"{len(report.recommendations)} recommendation(s), {high} high — see **5. What to do**."
    )

# --- (1) stale variants --------------------------------------------------------------------
st.header("1. Stale variants", divider="gray")
st.caption(
    "For each variant: its last commit, the GitHub commits made since, and how many of them "
    "can change what the model does. Days behind = from the variant's last commit to the "
    "newest GitHub commit after it."
)
st.dataframe(
    stale_table(report.stale),
    hide_index=True,
    width="stretch",
    key="stale_table",
    column_config={
        "variant": st.column_config.LinkColumn(
            "variant", display_text=r"https://huggingface\.co/(.*)$"
        ),
        "last commit": DATE,
        "last commit link": st.column_config.LinkColumn(
            "commit", display_text="open", width="small", help="The variant's last commit"
        ),
        "note": st.column_config.TextColumn("note", width="medium"),
    },
)
for s in sorted(report.stale, key=lambda s: (-s.behaviour_changing_since, s.model_id)):
    if not s.is_stale:
        continue
    label = (
        f"{s.model_id} — {s.gh_commits_since} GitHub commit(s) since "
        f"{s.last_commit_at:%Y-%m-%d}, {s.behaviour_changing_since} behaviour-changing"
        if s.last_commit_at
        else s.model_id
    )
    with st.expander(label):
        by_type = by_type_table(s.by_change_type)
        st.dataframe(
            by_type,
            hide_index=True,
            key=f"stale_types_{s.model_id}",
            column_config={"behaviour-changing": st.column_config.CheckboxColumn("⚠")},
        )
        commits_frame(s.commits, f"stale_commits_{s.model_id}")
        if s.gh_commits_since > len(s.commits):
            st.caption(MAX_LISTED_NOTE)
if not stale_n:
    st.success("Every variant has a commit after the newest GitHub commit.")

# --- (2) content drift ---------------------------------------------------------------------
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
else:
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
    if drift.comparisons:
        st.dataframe(
            drift_table(drift),
            hide_index=True,
            width="stretch",
            key="drift_table",
            column_config={
                "Hub file": st.column_config.LinkColumn(display_text=r"/blob/[^/]+/(.*)$"),
                "GitHub file": st.column_config.LinkColumn(display_text=r"/blob/[^/]+/(.*)$"),
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
                column_config={
                    "Hub file": st.column_config.LinkColumn(display_text=r"/blob/[^/]+/(.*)$"),
                    "GitHub file": st.column_config.LinkColumn(display_text=r"/blob/[^/]+/(.*)$"),
                },
            )
        else:
            st.write("None.")
    n_one = len(drift.hf_only) + len(drift.gh_only)
    with st.expander(f"Files on one side only ({n_one})"):
        if n_one:
            st.dataframe(
                one_sided_table((*drift.gh_only, *drift.hf_only)),
                hide_index=True,
                width="stretch",
                key="one_sided_table",
                column_config={
                    "file": st.column_config.LinkColumn(display_text=r"/blob/[^/]+/(.*)$")
                },
            )
        else:
            st.write("None.")
        if drift.n_hf_only_other:
            st.caption(
                f"Not counted: {drift.n_hf_only_other} other Hub files (weights, shards …) "
                "with no GitHub counterpart."
            )

# --- (3) changes never carried over --------------------------------------------------------
st.header("3. Changes never carried over", divider="gray")
st.caption(
    f"Commits with no commit on the other platform within {iso.window_days} days before or "
    "after them (the paper's isolated changes), by change type."
)
m = st.columns(3)
m[0].metric("GitHub only", f"{iso.n_gh} of {iso.n_gh_total}")
m[1].metric("Hugging Face only", f"{iso.n_hf} of {iso.n_hf_total}")
m[2].metric(
    "Too recent to judge",
    iso.n_pending,
    help=f"Commits younger than {iso.window_days} days: the other side may still follow.",
)
if iso.gh_by_type or iso.hf_by_type:
    st.plotly_chart(isolated_figure(iso), width="stretch", key="isolated_chart")
    gh_tab, hf_tab = st.tabs(
        [
            f"GitHub commits never on the Hub ({iso.n_gh})",
            f"Hub commits never on GitHub ({iso.n_hf})",
        ]
    )
    with gh_tab:
        commits_frame(iso.gh, "isolated_gh")
        if iso.n_gh > len(iso.gh):
            st.caption(MAX_LISTED_NOTE)
    with hf_tab:
        commits_frame(iso.hf, "isolated_hf")
        if iso.n_hf > len(iso.hf):
            st.caption(MAX_LISTED_NOTE)
else:
    st.write("Nothing to show: every change was carried over, or one side has no commits.")

# --- (4) where the family stands -----------------------------------------------------------
st.header("4. Where the family stands", divider="gray")
if standing is None:
    st.write("No commits cached: nothing to classify.")
else:
    m = st.columns(4)
    m[0].metric(
        f"Pattern{f' ({standing.pattern_code})' if standing.pattern_code else ''}",
        standing.pattern or "none",
        help=standing.pattern_description,
    )
    m[1].metric("Lag", standing.lag or "—")
    m[2].metric(
        "Days to reflect a change (mean)",
        "—" if standing.mean_days is None else standing.mean_days,
        help=f"Over {standing.n_switches} switches between the platforms. "
        f"GitHub → HF {standing.gh_to_hf_mean}, HF → GitHub {standing.hf_to_gh_mean}.",
    )
    m[3].metric("Median", "—" if standing.median_days is None else standing.median_days)
    if standing.reason:
        st.write(standing.reason)
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
    p = standing.placement
    if p is not None:
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
            st.markdown("\n".join(f"- {md(line)}" for line in standing.explanation))

# --- (5) what to do ------------------------------------------------------------------------
st.header("5. What to do", divider="gray")
if not report.recommendations:
    st.success("Nothing to do: no finding calls for action.")
for i, rec in enumerate(report.recommendations):
    with st.container(border=True, key=f"rec_{i}"):
        st.badge(rec.severity, color=SEVERITY_COLOURS.get(rec.severity, "gray"))
        st.markdown(f"**{md(rec.title, 300)}**")
        st.markdown(md(rec.detail, 1200))
        if rec.links:
            st.markdown(" · ".join(f"[{md(link_label(u), 120)}]({u})" for u in rec.links))

# --- what could not be checked -------------------------------------------------------------
OFFLINE = "File contents were not checked: “Check file contents online” is off."


def _reason(lim) -> str:
    return OFFLINE if "--offline" in lim.reason else lim.reason  # the CLI's words, not the page's


if report.limitations:
    st.header("What could not be checked", divider="gray")
    st.markdown(
        "\n".join(
            f"- {f'**{md(lim.repo)}**: ' if lim.repo else ''}{md(_reason(lim), 600)}"
            for lim in report.limitations
        )
    )

# --- (6) share it --------------------------------------------------------------------------
st.header("6. Share it", divider="gray")
slug = report.family.replace("/", "_").replace(":", "_")
markdown = render_markdown(report, badge_url=BADGE_FILE)
svg = render_badge(report)
left, right = st.columns([3, 2])
with left:
    st.markdown("**Markdown report** — for an issue or a pull request")
    st.download_button(
        "Download the report (.md)",
        markdown,
        f"{slug}-sync-audit.md",
        "text/markdown",
        icon=":material/download:",
    )
    with st.expander("Preview the Markdown"):
        st.code(markdown, language="markdown")
with right:
    st.markdown("**Badge** — generated here, no external service")
    st.image(svg)
    st.download_button(
        f"Download the badge ({BADGE_FILE})",
        svg,
        BADGE_FILE,
        "image/svg+xml",
        icon=":material/download:",
    )
    st.caption(f"Commit {BADGE_FILE} next to your README, then embed it with:")
    st.code(badge_markdown(report, BADGE_FILE), language="markdown")
