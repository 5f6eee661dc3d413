"""Make sure every page runs inside app.py's `st.navigation` frame.

With a `pages/` folder beside app.py, Streamlit starts in its legacy multipage mode until a
run calls `st.navigation` (and AppTest resets to it before every run): a deep link such as
`/family?q=...` would run the page on its own, with no layout and a sidebar of file names.
Pages call `require_app_frame()` first; in legacy mode it runs app.py's frame in this same
run (which renders the requested page through `st.navigation`) and stops the stray copy.
Doing it in-run rather than with `st.rerun()` keeps one-shot widget events such as clicks.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

APP = Path(__file__).resolve().parents[1] / "app.py"


def require_app_frame() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(APP), run_name="__main__")
        st.stop()
