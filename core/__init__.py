"""SyncLens core: everything the app shows, computed without Streamlit."""

__version__ = "0.1.0"
