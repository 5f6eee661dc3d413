"""The browser benchmark's peer: a minimal Streamlit page with a title and one plotly chart.

streamlit run benchmarks/peer_one_chart.py
"""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="peer", layout="wide")
st.title("One chart")
shares = {"Disperse": 39.4, "Sparse": 15.4, "Rare": 14.2, "Sporadic Disjoint": 10.5}
st.plotly_chart(go.Figure(go.Bar(x=list(shares.values()), y=list(shares), orientation="h")))
