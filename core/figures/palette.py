"""The colours of every chart: platforms, change types, lags and groups, one fixed set for all pages."""

from __future__ import annotations

from core.vocabulary import CHANGE_TYPES

GH_COLOR = "#1f77b4"  # the paper's blue for GitHub
HF_COLOR = "#f0a202"  # the paper's yellow/orange for Hugging Face
LINE_COLOR = "#9aa5b1"
UNLABELED = "Unlabeled"
# A qualitative palette with one colour per change type (15) and grey for unlabeled.
LABEL_COLORS = dict(
    zip(
        CHANGE_TYPES,
        [
            "#1f77b4",
            "#ff7f0e",
            "#2ca02c",
            "#d62728",
            "#9467bd",
            "#8c564b",
            "#e377c2",
            "#7f7f7f",
            "#bcbd22",
            "#17becf",
            "#393b79",
            "#ad494a",
            "#637939",
            "#8c6d31",
            "#843c39",
        ],
        strict=True,
    )
) | {UNLABELED: "#c7c7c7"}
LAG_COLORS = {"GH First": GH_COLOR, "HF First": HF_COLOR, "Simultaneous": "#59a14f"}
MATURITY_COLORS = {"Recent": "#9ecae1", "Intermediate": "#4292c6", "Matured": "#08519c"}
SIMILARITY_COLORS = {"low": "#fdd0a2", "moderate": "#fd8d3c", "high": "#a63603"}
CONTRIBUTOR_COLORS = {"Single-author": "#9aa5b1", "Multiple-authors": "#4c566a"}
CORPUS_COLORS = {"paper": "#4c566a", "mine": "#d62728"}
