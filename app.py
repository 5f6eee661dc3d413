"""SyncLens app frame: navigation and the shared sidebar; each page is a short layout script."""

import streamlit as st

from ui import state

st.set_page_config(page_title="SyncLens", page_icon=":material/sync_alt:", layout="wide")
state.seed_demo()  # an empty cache gets the shipped demo family, so every page shows something

pages = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/family.py", title="Family", icon=":material/timeline:", url_path="family"),
    st.Page("pages/corpus.py", title="Corpus", icon=":material/query_stats:", url_path="corpus"),
    st.Page("pages/audit.py", title="Audit", icon=":material/fact_check:", url_path="audit"),
]
navigation = st.navigation(pages)
st.sidebar.caption("SyncLens · GitHub ↔ Hugging Face synchronization")
navigation.run()
