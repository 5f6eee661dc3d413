"""The `date` column of a commits CSV: ISO 8601 text to UTC nanoseconds, each value checked.

Arrow's parser reads the usual spellings in bulk ("2024-01-02T03:04:05Z", with an offset, or
naive, which means UTC); whatever it refuses goes to pandas' ISO 8601 parser, which accepts
more (a lone year, a space before the offset, ...), and the two agree wherever both accept.
A date outside what int64 nanoseconds hold (pandas' Timestamp.min to Timestamp.max, about
1677-09-21 to 2262-04-11) is refused as out of range instead of wrapping around.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

READ, UNREADABLE, OUT_OF_RANGE = 0, 1, 2
LOWEST_NS, HIGHEST_NS = -(2**63) + 1, 2**63 - 1  # pd.Timestamp.min / max
RANGE_TEXT = "1677-09-21 to 2262-04-11"

_ZONED = pa.timestamp("ns", tz="UTC")
_NAIVE = pa.timestamp("ns")
_HAS_ZONE = r"[T ]\d\d(:?\d\d){0,2}([.,]\d+)?(Z|[+-]\d\d(:?\d\d)?)$"
_ALONE = 10_000  # failed values re-read one by one (100 µs each); beyond, together
_NS_PER = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}


def parse_dates(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(ns, status): int64 UTC nanoseconds (0 where not READ) and READ / UNREADABLE /
    OUT_OF_RANGE for each string (or time, when arrow has parsed them already)."""
    if pa.types.is_timestamp(text.type):
        return _in_range(text.view(pa.int64()).to_numpy())
    try:
        return _in_range(_arrow(text, _ZONED))
    except pa.ArrowInvalid:
        pass
    text = pc.utf8_trim_whitespace(text)
    zoned = pc.match_substring_regex(text, _HAS_ZONE).to_numpy(zero_copy_only=False)
    ns = np.zeros(len(text), dtype=np.int64)
    status = np.zeros(len(text), dtype=np.uint8)
    for rows, kind in ((np.flatnonzero(zoned), _ZONED), (np.flatnonzero(~zoned), _NAIVE)):
        if len(rows):
            part = text.take(pa.array(rows))
            try:
                ns[rows], status[rows] = _in_range(_arrow(part, kind))
            except pa.ArrowInvalid:
                ns[rows], status[rows] = _pandas(part)
    return ns, status


def _arrow(text: pa.Array, kind: pa.DataType) -> np.ndarray:
    return pc.cast(text, kind).view(pa.int64()).to_numpy()


def _in_range(ns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Arrow checks overflow, but can land on int64's minimum, which is pandas' NaT."""
    if not len(ns) or ns.min() >= LOWEST_NS:
        return ns, np.zeros(len(ns), dtype=np.uint8)
    status = np.where(ns < LOWEST_NS, OUT_OF_RANGE, READ).astype(np.uint8)
    return np.where(status == READ, ns, 0), status


def _pandas(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Pandas' ISO 8601 parser. It picks one unit for all values, and a far date next to a
    nanosecond one does not fit that unit: values that fail are tried once more alone."""
    values = text.to_numpy(zero_copy_only=False)
    ns, status = _pandas_once(values)
    again = np.flatnonzero(status == UNREADABLE)
    if len(again) <= _ALONE:
        for i in again.tolist():
            ns[i : i + 1], status[i : i + 1] = _pandas_once(values[i : i + 1])
    else:
        ns[again], status[again] = _pandas_once(values[again])
    return ns, status


def _pandas_once(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    parsed = pd.to_datetime(
        pd.Series(values, dtype=object), utc=True, format="ISO8601", errors="coerce"
    )
    raw = np.asarray(parsed.array.asi8)
    per = _NS_PER[parsed.array.unit]
    lowest, highest = -(-LOWEST_NS // per), HIGHEST_NS // per
    status = np.full(len(values), READ, dtype=np.uint8)
    status[(raw < lowest) | (raw > highest)] = OUT_OF_RANGE
    status[parsed.isna().to_numpy()] = UNREADABLE
    ns = np.where(status == READ, raw, 0) * per
    return ns, status
