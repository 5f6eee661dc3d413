"""Landing page: what SyncLens is and where to start."""

import streamlit as st

from core import store
from ui import state
from ui.frame import require_app_frame

require_app_frame()


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

families = store.list_families(state.db())
if families:
    st.subheader("In your cache")
    st.caption("These open offline, straight from the cache.")
    for fam in families[:30]:
        cols = st.columns([4, 1, 1])
        cols[0].page_link(
            "pages/family.py",
            label=f"{fam['name']} · {fam['n_variants']} HF variant(s)",
            icon=":material/timeline:",
            query_params={"q": fam["name"]},
        )
        cols[1].page_link("pages/audit.py", label="Audit", query_params={"q": fam["name"]})
st.caption(
    "Method: Ajibode et al., *On the synchronization between Hugging Face pre-trained "
    "language models and their upstream GitHub repository* (2025)."
)
