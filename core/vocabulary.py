"""The paper's names: lags, synchronization types, intensities, patterns and change types.

Also the replication package's spellings for the same things, and the paper's own headline
figures per pattern, which the dashboard shows beside a family's result for comparison.
"""

from __future__ import annotations

GH_FIRST, HF_FIRST, SIMULTANEOUS = "GH First", "HF First", "Simultaneous"
LAGS = (GH_FIRST, HF_FIRST, SIMULTANEOUS)

SYNC_TYPES = ("CS", "PS", "VS", "AS")
SYNC_NAMES = {
    "CS": "complete synchronization",
    "PS": "partial synchronization",
    "VS": "cross-variant synchronization",
    "AS": "no synchronization (asynchronous)",
}
INTENSITIES = ("R", "S", "F")
INTENSITY_NAMES = {"R": "rare", "S": "sporadic", "F": "frequent"}

# SPEC table: pattern = synchronization type x intensity. (AS|VS, F) cannot happen: F needs
# an overlap with GitHub, and AS/VS have none.
PATTERN_TABLE: dict[tuple[str, str], str] = {
    ("CS", "R"): "Rare",
    ("CS", "S"): "Intermittent",
    ("CS", "F"): "Frequent",
    ("PS", "R"): "Sparse",
    ("PS", "S"): "Disperse",
    ("PS", "F"): "Dense Partial",
    ("AS", "R"): "Rare Disjoint",
    ("AS", "S"): "Sporadic Disjoint",
    ("VS", "R"): "Rare Disjoint",
    ("VS", "S"): "Sporadic Disjoint",
}
PATTERNS = (
    "Rare",
    "Intermittent",
    "Frequent",
    "Sparse",
    "Disperse",
    "Dense Partial",
    "Rare Disjoint",
    "Sporadic Disjoint",
)

# The paper's descriptions and corpus figures (Sections 4.2.3 and 4.3.3; 325 families).
PATTERN_INFO: dict[str, dict] = {
    "Rare": {
        "code": "RCS",
        "description": "rare complete synchronization",
        "paper_share": 14.2,
        "paper_mean_days": None,
    },
    "Intermittent": {
        "code": "SCS",
        "description": "sporadic complete synchronization",
        "paper_share": 7.4,
        "paper_mean_days": 1.17,
    },
    "Frequent": {
        "code": "FCS",
        "description": "frequent complete synchronization",
        "paper_share": 2.5,
        "paper_mean_days": 0.87,
    },
    "Sparse": {
        "code": "RPS",
        "description": "rare partial synchronization",
        "paper_share": 15.4,
        "paper_mean_days": 26.98,
    },
    "Disperse": {
        "code": "SPS",
        "description": "sporadic partial synchronization",
        "paper_share": 39.4,
        "paper_mean_days": 19.0,
    },
    "Dense Partial": {
        "code": "FPS",
        "description": "frequent partial synchronization",
        "paper_share": 1.5,
        "paper_mean_days": 3.68,
    },
    "Rare Disjoint": {
        "code": "RAS",
        "description": "rare asynchronous activity",
        "paper_share": 9.2,
        "paper_mean_days": 109.39,
    },
    "Sporadic Disjoint": {
        "code": "SAS",
        "description": "sporadic asynchronous activity",
        "paper_share": 10.5,
        "paper_mean_days": 127.39,
    },
}
LAG_INFO: dict[str, dict] = {
    GH_FIRST: {"paper_share": 56.0, "paper_mean_days": 15.82},
    SIMULTANEOUS: {"paper_share": 23.1, "paper_mean_days": 9.32},
    HF_FIRST: {"paper_share": 20.9, "paper_mean_days": 22.35},
}

# Replication-package spellings -> ours.
REPLICATION_PATTERN = {
    "Rare Alignment": "Rare",
    "Intermittent Alignment": "Intermittent",
    "Frequent Alignment": "Frequent",
    "Sparse Alignment": "Sparse",
    "Dispersed Alignment": "Disperse",
    "Dense Partial Alignment": "Dense Partial",
    "Rare Disjoing": "Rare Disjoint",
    "Rare Disjoint": "Rare Disjoint",
    "Sporadic Disjoint": "Sporadic Disjoint",
}
REPLICATION_LAG = {"Upstream First": GH_FIRST, "Downstream First": HF_FIRST, "No Lag": SIMULTANEOUS}

CHANGE_TYPES = (
    "Preprocessing",
    "Parameter Tuning",
    "Model Structure",
    "Training Infrastructure",
    "Pipeline Performance",
    "Sharing",
    "Validation Infrastructure",
    "Internal Documentation",
    "External Documentation",
    "Input Data",
    "Output Data",
    "Project Metadata",
    "Add Dependency",
    "Remove Dependency",
    "Update Dependency",
)
CHANGE_GROUPS = {
    "Preprocessing": "maintenance",
    "Parameter Tuning": "maintenance",
    "Model Structure": "maintenance",
    "Training Infrastructure": "maintenance",
    "Pipeline Performance": "maintenance",
    "Internal Documentation": "meta program",
    "External Documentation": "meta program",
    "Sharing": "meta program",
    "Validation Infrastructure": "meta program",
    "Input Data": "data",
    "Output Data": "data",
    "Project Metadata": "data",
    "Add Dependency": "dependency management",
    "Remove Dependency": "dependency management",
    "Update Dependency": "dependency management",
}
# Change types that can alter what a published model does (listed first by the audit).
BEHAVIOUR_CHANGING = (
    "Model Structure",
    "Parameter Tuning",
    "Preprocessing",
    "Training Infrastructure",
    "Add Dependency",
    "Remove Dependency",
    "Update Dependency",
)


def normalise_pattern(name: str | None) -> str | None:
    """Map a replication spelling ("Dispersed Alignment Pattern", "Rare Disjoing") to ours."""
    if name is None:
        return None
    key = str(name).strip()
    for suffix in (" pattern", " Pattern"):
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    key = key.strip()
    for known, ours in REPLICATION_PATTERN.items():
        if key.lower() == known.lower():
            return ours
    return key if key in PATTERNS else None
