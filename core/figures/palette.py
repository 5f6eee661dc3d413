"""The colours of every chart: platforms, change types, lags and groups, one fixed set for all pages.

The 15 change-type colours were chosen for colour-blind readers: a max-min search over sRGB
colours of medium lightness (CAM02-UCS J' 30-80, so dots stand out on white) for the set
whose smallest pairwise distance is largest under normal vision and under simulated
deuteranopia, protanopia and tritanopia (colorspacious, severity 100), also kept apart from
the unlabeled grey and the white background. The smallest distance is 14.5 CAM02-UCS units
in every one of the four visions (the former tab20-like set: 0.6 under protanopia);
`tests/test_palette.py` checks it.
"""

from __future__ import annotations

GH_COLOR = "#1f77b4"  # the paper's blue for GitHub
HF_COLOR = "#f0a202"  # the paper's yellow/orange for Hugging Face
LINE_COLOR = "#9aa5b1"
UNLABELED = "Unlabeled"
UNLABELED_COLOR = "#c7c7c7"
# One colour per change type, fixed for every chart and page (see the module docstring).
LABEL_COLORS: dict[str, str] = {
    "Preprocessing": "#4bd2ff",
    "Parameter Tuning": "#4b0fc3",
    "Model Structure": "#a50000",
    "Training Infrastructure": "#692d3c",
    "Pipeline Performance": "#f02d00",
    "Sharing": "#ff9600",
    "Validation Infrastructure": "#783cff",
    "Internal Documentation": "#b49696",
    "External Documentation": "#6996f0",
    "Input Data": "#4b3c69",
    "Output Data": "#7869a5",
    "Project Metadata": "#96d278",
    "Add Dependency": "#b4695a",
    "Remove Dependency": "#785a69",
    "Update Dependency": "#9696b4",
    UNLABELED: UNLABELED_COLOR,
}
LAG_COLORS = {"GH First": GH_COLOR, "HF First": HF_COLOR, "Simultaneous": "#59a14f"}
MATURITY_COLORS = {"Recent": "#9ecae1", "Intermediate": "#4292c6", "Matured": "#08519c"}
SIMILARITY_COLORS = {"low": "#fdd0a2", "moderate": "#fd8d3c", "high": "#a63603"}
CONTRIBUTOR_COLORS = {"Single-author": "#9aa5b1", "Multiple-authors": "#4c566a"}
CORPUS_COLORS = {"paper": "#4c566a", "mine": "#d62728"}
