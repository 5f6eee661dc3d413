"""SyncLens app frame: navigation and the shared sidebar; each page is a short layout script."""

import streamlit as st

st.set_page_config(page_title="SyncLens", page_icon=":material/sync_alt:", layout="wide")

home = st.Page("pages/home.py", title="Home", icon=":material/home:", default=True)
navigation = st.navigation([home])
navigation.run()
