"""JSON-ready statistics: plain Python numbers for the results' `to_dict`."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np


def plain(value):
    """Plain Python numbers for JSON (NaN becomes None), through dicts, lists and tuples."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    return value


class PlainResult:
    """A frozen result dataclass whose `to_dict` is its fields as plain JSON values."""

    def to_dict(self) -> dict:
        return plain(asdict(self))  # type: ignore[call-overload]
