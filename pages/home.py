"""Landing page: what SyncLens is and where to start."""

import streamlit as st

st.title("SyncLens")
st.markdown(
    "How a pre-trained model family's **GitHub** repository and its **Hugging Face** "
    "model repositories move together, or drift apart."
)
