"""Streamlit-side helpers: the cache handle, clients and `st.cache_*` wrappers (no analysis)."""
