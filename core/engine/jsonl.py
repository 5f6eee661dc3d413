"""The `classify --format jsonl` lines, with every switch serialised in bulk.

A line is `FamilyAnalysis.to_dict()` as `json.dumps(..., ensure_ascii=False)` writes it. The
switches, most of the output, are assembled with numpy straight from the switches frame —
byte for byte what json.dumps writes for `Switch.to_dict()` — instead of one dict each.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import TextIO

import numpy as np

from core.engine.analysis import FamilyAnalysis
from core.engine.delays import SwitchRows
from core.engine.iso_times import ISO_WIDTH, iso_bytes

CHUNK = 1 << 18  # switches assembled at once: about 30 MB of work space

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


def _chunks(results: Sequence[FamilyAnalysis]) -> Iterator[list[FamilyAnalysis]]:
    chunk: list[FamilyAnalysis] = []
    size = 0
    for r in results:
        chunk.append(r)
        size += r.n_switches
        if size >= CHUNK:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _blocks(chunk: list[FamilyAnalysis]) -> Iterator[bytes | memoryview]:
    """Each family's switches as the inside of a JSON list, from as few numpy passes as the
    families' shared switches frame allows."""
    first, last = chunk[0].switch_rows, chunk[-1].switch_rows
    shared = all(r.switch_rows.frame is first.frame for r in chunk) and all(
        a.switch_rows.stop == b.switch_rows.start for a, b in pairwise(chunk)
    )
    if not shared and len(chunk) > 1:
        for r in chunk:
            yield from _blocks([r])
        return
    text, offsets = switch_json(SwitchRows(first.frame, first.start, last.stop))
    view = memoryview(text)
    for r in chunk:
        a = offsets[r.switch_rows.start - first.start]
        b = offsets[r.switch_rows.stop - first.start]
        yield view[a : max(a, b - 2)]


def jsonl_lines(results: Sequence[FamilyAnalysis], encoding: str = "utf-8") -> Iterator[bytes]:
    """The jsonl output in pieces of about CHUNK switches, encoded."""
    for chunk in _chunks(results):
        parts: list[bytes | memoryview] = []
        for r, block in zip(chunk, _blocks(chunk), strict=True):
            text = json.dumps(r.to_dict(switches=False), ensure_ascii=False)
            head, _, tail = text.partition(_PLACEHOLDER)
            parts += [head.encode(encoding), b'"switches": [', block, b"]"]
            parts.append(tail.encode(encoding) + b"\n")
        yield b"".join(parts)


def write_jsonl(results: Sequence[FamilyAnalysis], out: TextIO) -> None:
    """Write the lines to a text stream (through its binary buffer when it has one)."""
    encoding = getattr(out, "encoding", None) or "utf-8"
    binary = getattr(out, "buffer", None)
    if binary is not None:
        out.flush()
    for piece in jsonl_lines(results, encoding):
        if binary is not None:
            binary.write(piece)
        else:
            out.write(piece.decode(encoding))
    if binary is not None:
        binary.flush()
