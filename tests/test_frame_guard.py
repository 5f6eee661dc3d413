"""ui/frame.py depends on one Streamlit internal; this fails loudly the day it changes.

No public API turns off the legacy `pages/` mode for the first run of a fresh server, so the
guard flips `PagesManager.uses_pages_directory`. If Streamlit renames or stops reading that
flag, deep links such as `/family?q=...` would run a page outside `st.navigation`.
"""

import inspect

from streamlit.commands import navigation
from streamlit.runtime import pages_manager
from streamlit.runtime.scriptrunner import script_runner


def test_streamlit_still_has_the_legacy_pages_flag_the_guard_flips():
    assert "uses_pages_directory" in vars(pages_manager.PagesManager)


def test_the_script_runner_still_decides_legacy_mode_by_that_flag():
    source = inspect.getsource(script_runner)
    assert "PagesManager.uses_pages_directory" in source


def test_st_navigation_still_clears_the_flag_as_the_guard_does():
    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(navigation)
