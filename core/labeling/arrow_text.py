"""Python strings as a pyarrow string array, for the labelers' column-wise work.

A text with no UTF-8 form (a lone surrogate such as "\\ud800", which Python strings can
hold) cannot go into an arrow array: it is put in as "" and flagged, so the caller reads
it one by one as before.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa


def arrow_texts(texts: Sequence[str]) -> tuple[pa.Array, np.ndarray]:
    """The texts as one string array, and which of them were left out (put in as "")."""
    try:
        return pa.array(texts, pa.string()), np.zeros(len(texts), dtype=bool)
    except (UnicodeEncodeError, pa.ArrowException):
        left_out = np.fromiter((not _encodable(t) for t in texts), bool, len(texts))
        kept = ["" if out else t for t, out in zip(texts, left_out, strict=True)]
        return pa.array(kept, pa.string()), left_out


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
