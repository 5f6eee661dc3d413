"""Family page: type a model or a repository and see how GitHub and Hugging Face move together."""

from __future__ import annotations

import streamlit as st

from core.errors import InputError, SyncLensError
from core.ingest.choose import FamilyChoice, choose_family, save_choice
from core.ingest.fetch import update_family
from core.ingest.targets import parse_target
from core.markup import st_text
from ui import discovery_view, family_sections, propagation_view, state
from ui import family_view as view
from ui.frame import require_app_frame

require_app_frame()

EXAMPLES = [
    "Qwen/Qwen-VL-Chat",  # the demo family, seeded into an empty cache
    "Qwen/Qwen-7B",
    "github.com/EleutherAI/gpt-neox",
    "allenai/OLMo-1B-hf",
    "01-ai/Yi-1.5-34B-Chat",
]

st.title("Family")
st.caption(
    "How a model family's GitHub repository and its Hugging Face variants move "
    "together — or drift apart."
)

db = state.db()

# --- input ---------------------------------------------------------------------------------
if "q" not in st.session_state:
    st.session_state.q = st.query_params.get("q", st.session_state.get(state.FAMILY_KEY, ""))
if view.PAPER_VIEW_KEY not in st.session_state:
    st.session_state[view.PAPER_VIEW_KEY] = st.query_params.get("view") == "paper"
paper_view = bool(st.session_state[view.PAPER_VIEW_KEY])


def _use(example: str) -> None:
    st.session_state.q = example


with st.form("lookup", border=False):
    cols = st.columns([6, 2, 1], vertical_alignment="bottom")
    cols[0].text_input(
        "Model or repository",
        key="q",
        placeholder="org/model, https://huggingface.co/org/model or github.com/owner/repo",
    )
    kind = cols[1].segmented_control(
        "owner/name means", ["HF model", "GitHub repo"], default="HF model", key="kind"
    )
    cols[2].form_submit_button("Look up", type="primary", width="stretch")
view.examples(db, EXAMPLES, _use)

# The uploader is built only while its box is open or holds a file: a drop zone nobody opened
# is page weight on every visit.
upload_box = st.sidebar.expander(
    "Analyse your own commits CSV", key="upload_box", on_change="rerun"
)
uploaded = None
if upload_box.open or st.session_state.get("upload") is not None:
    uploaded = upload_box.file_uploader(
        "classify format: family?, platform, model, date (+ title, message or text)",
        type=["csv"],
        key="upload",
    )

LABELER_NAMES = {
    "learned": "Learned (offline)",
    "rules": "Rules (offline)",
    "hybrid": "Learned + Claude when unsure",
    "claude": "Claude (Anthropic API)",
}
labeler_name = st.sidebar.radio(
    "Change-type labels",
    list(LABELER_NAMES) if state.claude_available() else ["learned", "rules"],
    format_func=LABELER_NAMES.get,
    help="Labels are cached per labeler, so a family is labeled once. Your corrections "
    "always win. The learned model agrees more with human labels than the rules (README)."
    + ("" if state.claude_available() else " Set ANTHROPIC_API_KEY to label with Claude."),
    key="labeler",
    bind="query-params",
)


FETCH_NOTE = "fetch_note"  # what went wrong in a fetch, shown once after the rerun


def fetch_with_progress(family, *, refresh: bool) -> None:
    """Fetch `family` with live progress; failures are listed, cached data stays usable, and
    what failed is said again after the page reruns (the progress box goes with it)."""
    with st.status("Refreshing …" if refresh else "Fetching commits …", expanded=True) as status:
        bar = st.progress(0.0)
        total = len(family.variants) + (1 if family.github_repo else 0)
        done: set[str] = set()

        def progress(name: str, n: int, of: int | None, message: str) -> None:
            if (of is not None and n >= of) or message.startswith("failed"):
                done.add(name)
            st.text(f"{name} — {message}")
            bar.progress(min(1.0, len(done) / max(total, 1)))

        try:
            result = update_family(db, family, state.clients(), refresh=refresh, progress=progress)
        except SyncLensError as err:
            status.update(label="Fetch failed — showing cached data", state="error")
            st.error(f"{st_text(err)} Showing the cached data.")
            st.session_state[FETCH_NOTE] = (
                f"The last fetch failed: {st_text(err)} Showing the cached data."
            )
            return
        if result.failed:
            status.update(label=f"Fetched with {len(result.failed)} failure(s)", state="error")
            for f in result.failed:
                st.error(st_text(f"{f.platform} {f.repo}: {f.error}"))
            first = result.failed[0]
            st.session_state[FETCH_NOTE] = (
                f"The last fetch failed for {len(result.failed)} of {total} repositories "
                f"(first: {st_text(f'{first.platform} {first.repo}: {first.error}')}). "
                "What is shown is the cached data; details under Sources and fetch status."
            )
        else:
            status.update(label="Up to date" if refresh else "Fetched", state="complete")


def resolution_step(choice: FamilyChoice, model_id: str | None) -> None:
    """Show a fresh resolution, let the user adjust it, then save and fetch in one click."""
    fam = choice.family
    st.subheader("Find the family")
    for note in choice.notes:
        st.caption(st_text(note))
    repo = fam.github_repo
    st.dataframe(view.members_table(fam), hide_index=True, width="stretch")
    found, why = state.discovery(model_id) if model_id else (None, None)
    discovered: list[str] = []
    if why:
        st.caption(st_text(f"No candidates beyond the card: {why}"))
    if found is not None and (found.github or found.variants):
        repo, discovered = discovery_view.choose(found, repo, fam.variants)
    elif choice.ambiguous:
        repo = st.radio(
            "The model card links to several GitHub repositories; choose one:",
            choice.candidates,
            format_func=st_text,
        )
    if repo is None and not choice.ambiguous:
        st.warning("No GitHub repository chosen or found in the model card.")
        repo = st.text_input("GitHub repository (owner/repo)") or None
    st.write(f"**GitHub:** {st_text(repo or '—')} · **Hugging Face variants:** {len(fam.members)}")
    extra = st.text_input("Add variants (comma-separated HF ids)")
    drop = st.multiselect("Remove variants", list(fam.variants))
    if st.button("Fetch commits", type="primary", disabled=not (repo or fam.members)):
        try:
            chosen = save_choice(
                db,
                fam,
                github_repo=repo,
                add=[x.strip() for x in extra.split(",") if x.strip()] + discovered,
                remove=drop,
            )
        except InputError as err:
            st.error(st_text(err))
            st.stop()
        st.session_state[state.FAMILY_KEY] = chosen.name
        fetch_with_progress(chosen, refresh=False)
        st.rerun()


query = st.session_state.q.strip()
report = None
family = None

if uploaded is not None:
    st.info(
        f"Showing your file {st_text(uploaded.name)}. To look up a model or repository, "
        "remove the file from *Analyse your own commits CSV* in the sidebar.",
        icon=":material/upload_file:",
    )
    found = view.uploaded_family(uploaded.getvalue(), uploaded.name, paper_view=paper_view)
    report, key = found if found is not None else (None, ())
elif query:
    st.query_params["q"] = query
    st.session_state[state.FAMILY_KEY] = query
    try:
        with st.spinner(f"Looking up {st_text(query)} …"):
            choice = choose_family(
                db,
                query,
                state.clients().hub,
                prefer="gh" if kind == "GitHub repo" else "hf",
                allow_ambiguous=True,
            )
    except SyncLensError as err:
        st.error(f"{st_text(err)} You can also analyse a commits CSV from the sidebar.")
        st.stop()
    if not choice.from_cache:
        typed = parse_target(query, prefer="gh" if kind == "GitHub repo" else "hf")
        resolution_step(choice, typed.id if typed.kind == "hf" else None)
        st.stop()
    family = choice.family
    refresh = view.family_header(db, family)
    if FETCH_NOTE in st.session_state:
        st.warning(st.session_state.pop(FETCH_NOTE), icon=":material/cloud_off:")
    if refresh:
        fetch_with_progress(family, refresh=True)
        st.rerun()
    if view.fetch_gaps(db, family):
        fetch_with_progress(family, refresh=False)
        st.rerun()
    if labeler_name in ("claude", "hybrid"):
        labeler_name = view.label_with_claude(db, family, labeler_name)
    key = state.report_key(db, family, labeler_name=labeler_name, paper_view=paper_view)
    report = state.report(*key)
else:
    st.info("Type a Hugging Face model id or a GitHub repository above, or pick an example.")
    st.stop()

if report is None:
    st.stop()
if paper_view:
    st.query_params["view"] = "paper"
elif "view" in st.query_params:
    del st.query_params["view"]

view.pattern_card(report)
if report.analysis is None:
    st.stop()
fig = view.timeline(report, key, overlay=propagation_view.timeline_overlay(db, family, report))
family_sections.sections(db, report, family, fig, key)
