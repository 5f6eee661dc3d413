"""Landing page: what SyncLens is, where to start, and the cached families — each marked when it
was never fetched or has one side missing, so nothing reads as complete when it is not."""

import streamlit as st

from core import store
from core.audit.coverage import CoverageState, cached_coverage
from core.audit.links import valid_family
from core.audit.render import keep_code
from core.markup import st_text
from ui import state
from ui.audit_view import BadgeColor
from ui.frame import require_app_frame

require_app_frame()

SHOWN = 30
MARKS: dict[CoverageState, tuple[str, BadgeColor]] = {  # a complete family has none
    CoverageState.NOT_FETCHED: ("not fetched", "red"),
    CoverageState.NO_GITHUB: ("GitHub side missing", "orange"),
    CoverageState.NO_HUB: ("Hugging Face side missing", "orange"),
    CoverageState.PARTIAL: ("some variants not fetched", "gray"),
}

st.title("SyncLens")
st.markdown(
    "How a pre-trained model family's **GitHub** repository and its **Hugging Face** model "
    "repositories move together — or drift apart.\n\n"
    "- **Family**: type `Qwen/Qwen-7B` or `github.com/EleutherAI/gpt-neox` and see the "
    "biweekly timeline, the synchronization pattern, the lag and the change types.\n"
    "- **Corpus**: the paper's 325 families, live and filterable, with your own beside them.\n"
    "- **Audit**: which Hugging Face variants are stale, which files differ, which changes "
    "were never carried over."
)
st.page_link("pages/family.py", label="Look up a family", icon=":material/search:")

db = state.db()
families = store.list_families(db)
if families:
    st.subheader("In your cache")
    st.caption(
        "These open offline, straight from the cache. A family marked *not fetched* or with a "
        "side missing has nothing to compare yet: open it and use Refresh to fetch it."
    )
    for row in families[:SHOWN]:
        family = store.load_family(db, row["name"])
        if family is None:
            continue
        coverage = cached_coverage(db, family)
        label = f"{st_text(family.name)} · {len(family.variants)} HF variant(s)"
        cols = st.columns([4, 2, 1], vertical_alignment="center")
        if valid_family(family.name):
            cols[0].page_link(
                "pages/family.py",
                label=label,
                icon=":material/timeline:",
                query_params={"q": family.name},
            )
            if coverage.auditable:
                cols[2].page_link("pages/audit.py", label="Audit", query_params={"q": family.name})
        else:
            cols[0].markdown(f"{label} — *not a repository id SyncLens can open*")
        if coverage.state in MARKS:
            text, colour = MARKS[coverage.state]
            cols[1].badge(text, color=colour, help=keep_code(coverage.problem() or "", st_text))
    if len(families) > SHOWN:
        st.caption(f"… and {len(families) - SHOWN} more: pick them on the Audit page.")
st.caption(
    "Method: Ajibode et al., *On the synchronization between Hugging Face pre-trained "
    "language models and their upstream GitHub repository* (2025)."
)
