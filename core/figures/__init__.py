"""Plotly figures: pure functions from computed results to `go.Figure`; pages only show them."""
