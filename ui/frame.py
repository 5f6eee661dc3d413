"""Make sure every page runs inside app.py's `st.navigation` frame.

With a `pages/` folder beside app.py, Streamlit starts each server in its legacy multipage
mode until some run calls `st.navigation`; a deep link such as `/family?q=...` as the first
request after start-up would run the page on its own (no layout, a file-name sidebar). Pages
call `require_app_frame()` first: in that case it leaves legacy mode and reruns, so app.py
builds the real navigation and the same URL opens the same page.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def require_app_frame() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
