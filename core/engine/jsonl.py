"""The `classify --format jsonl` lines, with every switch serialised in bulk.

A line is `FamilyAnalysis.to_dict()` as `json.dumps(..., ensure_ascii=False)` writes it. The
switches, most of the output, are assembled with numpy straight from the switches frame —
byte for byte what json.dumps writes for `Switch.to_dict()` — instead of one dict each.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from itertools import chain
from typing import TextIO

import numpy as np
import pandas as pd

from core.engine.analysis import FamilyAnalysis
from core.engine.delays import SwitchRows
from core.engine.iso_times import ISO_WIDTH, iso_bytes

CHUNK = 1 << 16  # switches assembled at once: about 8 MB of work space
FLUSH_BYTES = 1 << 22  # output written in pieces of about this size

_SOURCE = (
    b'{"source": "GH", "target": "HF", "prev": "',
    b'{"source": "HF", "target": "GH", "prev": "',
)
_NEXT = b'", "next": "'
_DAYS = b'", "days": '
_END = b"}, "  # the separator after the last switch is cut off
_PLACEHOLDER = '"switches": []'


def _row(text: bytes) -> np.ndarray:
    return np.frombuffer(text, dtype=np.uint8)


def switch_json(rows: SwitchRows) -> tuple[np.ndarray, np.ndarray]:
    """(text, offsets): the switches as JSON objects each followed by ", ", one buffer of
    bytes; switch i is text[offsets[i]:offsets[i + 1]]."""
    from_hf, prev, next_, days = rows.arrays()
    n_digits = len(str(int(days.max()))) if len(days) else 1
    at_prev = len(_SOURCE[0])
    at_next = at_prev + ISO_WIDTH + len(_NEXT)
    at_days = at_next + ISO_WIDTH + len(_DAYS)
    width = at_days + n_digits + len(_END)
    grid = np.empty((len(days), width), dtype=np.uint8)
    grid[:, :at_prev] = _row(_SOURCE[0])
    grid[from_hf, :at_prev] = _row(_SOURCE[1])
    grid[:, at_prev : at_prev + ISO_WIDTH] = iso_bytes(prev)
    grid[:, at_prev + ISO_WIDTH : at_next] = _row(_NEXT)
    grid[:, at_next : at_next + ISO_WIDTH] = iso_bytes(next_)
    grid[:, at_next + ISO_WIDTH : at_days] = _row(_DAYS)
    # Days right-aligned in n_digits columns; the leading zero columns become 0 bytes, which
    # never occur in the text otherwise, and are squeezed out below.
    rest = days.astype(np.int64)
    widths = np.ones(len(days), dtype=np.int64)
    for column in range(at_days + n_digits - 1, at_days - 1, -1):
        rest, digit = np.divmod(rest, 10)
        grid[:, column] = 48 + digit
        widths += (rest > 0) & (column > at_days)
    blank = np.arange(n_digits)[None, :] < (n_digits - widths)[:, None]
    grid[:, at_days : at_days + n_digits][blank] = 0
    grid[:, at_days + n_digits :] = _row(_END)
    text = grid.ravel()
    if blank.any():
        text = text[text != 0]
    offsets = np.zeros(len(days) + 1, dtype=np.int64)
    np.cumsum(at_days + widths + len(_END), out=offsets[1:])
    return text, offsets


class _SwitchText:
    """The switches of one switches frame as JSON text, made CHUNK switches at a time."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.lo = self.hi = 0
        self.text = memoryview(b"")
        self.offsets = np.zeros(1, dtype=np.int64)

    def pieces(self, a: int, b: int) -> Iterator[memoryview]:
        """The text of switches a to b - 1, joined by ", " (no separator after the last)."""
        while a < b:
            if not self.lo <= a < self.hi:
                self.lo, self.hi = a, min(a + CHUNK, len(self.frame))
                text, self.offsets = switch_json(SwitchRows(self.frame, self.lo, self.hi))
                self.text = text.data
            end = min(b, self.hi)
            start, stop = self.offsets[a - self.lo], self.offsets[end - self.lo]
            yield self.text[start : stop - 2 if end == b else stop]
            a = end


def jsonl_pieces(
    results: Sequence[FamilyAnalysis], encoding: str = "utf-8"
) -> Iterator[bytes | memoryview]:
    """The jsonl output, encoded, in pieces (each line's own text, then its switches)."""
    texts: dict[int, _SwitchText] = {}
    for r in results:
        rows = r.switch_rows
        text = json.dumps(r.to_dict(switches=False), ensure_ascii=False)
        head, _, tail = text.partition(_PLACEHOLDER)
        yield head.encode(encoding) + b'"switches": ['
        if len(rows):
            switches = texts.setdefault(id(rows.frame), _SwitchText(rows.frame))
            yield from switches.pieces(rows.start, rows.stop)
        yield b"]" + tail.encode(encoding) + b"\n"


def write_jsonl(results: Sequence[FamilyAnalysis], out: TextIO) -> None:
    """Write the lines to a text stream (through its binary buffer when it has one)."""
    encoding = getattr(out, "encoding", None) or "utf-8"
    binary = getattr(out, "buffer", None)
    if binary is not None:
        out.flush()
    pending: list[bytes | memoryview] = []
    size = 0
    for piece in chain(jsonl_pieces(results, encoding), [b""]):
        pending.append(piece)
        size += len(piece)
        if size >= FLUSH_BYTES or not piece:
            data = b"".join(pending)
            pending, size = [], 0
            if binary is not None:
                binary.write(data)
            else:
                out.write(data.decode(encoding))
    if binary is not None:
        binary.flush()
