"""Audit page: a maintainer's self-audit of one cached family, with the commits and files behind
each finding, and a Markdown report and badge to share. Layout only: the sections are in
ui/audit_view.py, the audit in core/audit."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from core import store
from core.errors import InputError
from core.ingest.resolve import cached_family
from core.markup import st_text
from ui import audit_findings as findings
from ui import audit_view as view
from ui import state
from ui.frame import require_app_frame

require_app_frame()

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
    st.error(st_text(problem))
    st.stop()
if family is None:
    if text:
        st.warning(
            f"**{st_text(text)}** is not in the cache yet. Find its repositories and fetch its "
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
    bind="query-params",
    help="A change counts as carried over when the other platform has a commit within this "
    "many days before or after it.",
)
online = controls[1].toggle(
    "Check file contents online",
    key="audit_online",
    bind="query-params",
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

# --- gather (listing progress, one line per repository) ------------------------------------
slot = st.empty()
live: dict = {}


def progress(repo: str, step: int, total: int) -> None:
    if "status" not in live:
        live["status"] = slot.status(f"Listing files of {total} repositories …", expanded=True)
        live["bar"] = live["status"].progress(0.0)
    live["status"].write(f"{st_text(repo, 200)} ({step}/{total})")
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

if not inputs.coverage.auditable:
    view.not_audited(db, family, inputs.coverage)
    st.stop()

report = state.audit_report(key, window, datetime.now(UTC).date().isoformat(), inputs)

# --- the audit -----------------------------------------------------------------------------
view.header(report, inputs.coverage, online)
findings.stale_section(report)
findings.drift_section(report, online)
findings.isolated_section(report)
findings.standing_section(report)
view.recommendations_section(report)
view.limitations_section(report)
view.share_section(report)
