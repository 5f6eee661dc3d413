"""SyncLens app frame: navigation and the shared sidebar; each page is a short layout script."""

from pathlib import Path

import streamlit as st

from core.redaction import install_log_redaction
from ui import state

# A local icon: a Material icon as favicon would be fetched from fonts.gstatic.com.
ICON = Path(__file__).resolve().parent / "ui" / "icon.svg"
install_log_redaction()  # secrets a server echoes back never reach the app's logs
st.set_page_config(page_title="SyncLens", page_icon=str(ICON), layout="wide")
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
