"""The row checks of a commits CSV, block by block, and the commit frame the good rows make.

Each block arrives from pyarrow with family and model as dictionaries: every distinct value
is stripped and checked once, then the verdicts are spread to the rows with numpy. Platforms
are compared as written, and only a block with another spelling than GH/HF is encoded so that
each spelling is checked once too. A row's first problem, in this order, is the one reported: platform, date (unreadable
or out of range), HF row without a model, empty family.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from core.commits import categorical
from core.engine.codes import utc_times
from core.ingest.csv_dates import OUT_OF_RANGE, RANGE_TEXT, UNREADABLE, parse_dates
from core.records import GH, HF, PLATFORMS

_DICTIONARY = pa.dictionary(pa.int32(), pa.string())
_TIMES = pa.timestamp("ns", tz="UTC")
_PLATFORM = {GH: 0, HF: 1}
_GH, _HF = pa.scalar(GH), pa.scalar(HF)
_BAD_PLATFORM = 2
_NO_MODEL = 0  # the code of "" in every model table


@dataclass(frozen=True)
class Columns:
    """Header names (as written) by their lower-case stripped names: the engine's columns
    that are present, and the extra ones to carry along."""

    ENGINE: ClassVar[tuple[str, ...]] = ("family", "platform", "model", "date")

    engine: dict[str, str]
    extra: dict[str, str] = field(default_factory=dict)

    def included(self) -> list[str]:
        return [*self.engine.values(), *self.extra.values()]

    def dictionary_columns(self) -> list[str]:
        return [raw for name, raw in self.engine.items() if name in ("family", "model")]

    def convert_options(self, *, typed_dates: bool = False) -> pacsv.ConvertOptions:
        """Text columns, except family and model as dictionaries and, when
        `typed_dates`, the date parsed by arrow (no value is read as null)."""
        types = {raw: pa.string() for raw in self.included()}
        types.update({raw: _DICTIONARY for raw in self.dictionary_columns()})
        if typed_dates:
            types[self.engine["date"]] = _TIMES
        return pacsv.ConvertOptions(
            column_types=types, include_columns=self.included(), null_values=[]
        )


class NeedsText(Exception):
    """A block the fast typed read cannot take as it is: read the file again, dates as text."""


def _problem_text(code: int, written: str) -> str:
    """What is wrong with a row, quoting the platform or date as written."""
    if code == 1:
        return f"platform {written!r} is neither {GH} nor {HF}"
    if code == 2:
        return f"date {written.strip()!r} is not an ISO 8601 timestamp"
    if code == 3:
        return f"date {written.strip()!r} is outside the supported range ({RANGE_TEXT})"
    return "HF row without a model id" if code == 4 else "empty family"


def _platforms(column: pa.Array) -> tuple[np.ndarray, Callable[[int], str]]:
    """0 (GH), 1 (HF) or _BAD_PLATFORM per row, and how to get a row's platform as written."""
    hf = pc.equal(column, _HF)
    if pc.all(pc.or_(hf, pc.equal(column, _GH))).as_py():
        return hf.to_numpy(zero_copy_only=False).astype(np.int8), lambda i: ""
    encoded = pc.dictionary_encode(column)
    written = encoded.dictionary.to_pylist()
    kinds = [_PLATFORM.get(p.strip().upper(), _BAD_PLATFORM) for p in written]
    where = encoded.indices.to_numpy()
    return np.array(kinds, dtype=np.int8)[where], lambda i: written[where[i]]


class RowChecker:
    """Takes record batches, keeps the good rows as codes, and lists the bad ones."""

    def __init__(self, columns: Columns, default_family: str) -> None:
        self.columns = columns
        self.default_family = default_family
        self.families: dict[str, int] = {}
        self.models: dict[str, int] = {"": 0}
        self.kept: list[tuple[np.ndarray, ...]] = []
        self.extras: dict[str, list[pa.Array]] = {name: [] for name in columns.extra}
        self.bad: list[tuple[int, str]] = []  # (position among parsed rows, problem)
        self.invalid: list[tuple[int, str]] = []  # (record index, problem): wrong field count
        self.n_parsed = 0
        self.unused = False  # a value seen only in dropped rows, or in a GH row's model

    def invalid_row(self, row: pacsv.InvalidRow) -> str:
        """pyarrow's hook for a row with the wrong number of fields: note it, skip it."""
        record = row.number - 2 if row.number is not None else -1
        found = f"expected {row.expected_columns} fields, found {row.actual_columns}"
        self.invalid.append((record, found))
        return "skip"

    def add(self, batch: pa.RecordBatch) -> None:
        n = batch.num_rows
        if not n:
            return
        kind, platform_text = _platforms(batch.column(self.columns.engine["platform"]))
        dates = batch.column(self.columns.engine["date"])
        ns, status = parse_dates(dates)
        if pa.types.is_timestamp(dates.type) and status.any():
            raise NeedsText  # the messages quote the date as written
        model = self._codes(batch, "model", self.models, "")
        family = self._codes(batch, "family", self.families, self.default_family)
        bad = (kind == _BAD_PLATFORM) | (status != 0) | ((kind == 1) & (model == _NO_MODEL))
        if "" in self.families:
            bad |= family == self.families[""]
        if bad.any():
            rows = np.flatnonzero(bad)
            problem = np.select(
                [
                    kind[rows] == _BAD_PLATFORM,
                    status[rows] == UNREADABLE,
                    status[rows] == OUT_OF_RANGE,
                    (kind[rows] == 1) & (model[rows] == _NO_MODEL),
                ],
                [1, 2, 3, 4],
                default=5,  # empty family
            )
            for i, code in zip(rows.tolist(), problem.tolist(), strict=True):
                written = platform_text(i) if code == 1 else dates[i].as_py() if code < 4 else ""
                self.bad.append((self.n_parsed + i, _problem_text(code, written)))
            keep = ~bad
            self.unused = True
            family, model, kind, ns = family[keep], model[keep], kind[keep], ns[keep]
            mask = pa.array(keep)
            extras = [batch.column(raw).filter(mask) for raw in self.columns.extra.values()]
        else:
            extras = [batch.column(raw) for raw in self.columns.extra.values()]
        gh = kind == 0
        if model[gh].any():
            self.unused = True
            model[gh] = _NO_MODEL
        self.kept.append((family, model, kind, ns))
        for name, column in zip(self.columns.extra, extras, strict=True):
            self.extras[name].append(column)
        self.n_parsed += n

    def _codes(
        self, batch: pa.RecordBatch, name: str, table: dict[str, int], default: str
    ) -> np.ndarray:
        """Each row's code in `table` (grown as new values appear; values stripped)."""
        raw = self.columns.engine.get(name)
        if raw is None:
            return np.full(batch.num_rows, table.setdefault(default, len(table)), np.int32)
        column = batch.column(raw)
        values = column.dictionary.to_pylist()
        codes = np.array([table.setdefault(v.strip(), len(table)) for v in values], np.int32)
        return codes[column.indices.to_numpy()]

    def problems(self) -> list[tuple[int, str]]:
        """Every bad row as (data record index, problem), in file order."""
        invalid = sorted(self.invalid)
        skipped = np.array([r for r, _ in invalid], dtype=np.int64)
        before = skipped - np.arange(len(skipped))  # good rows read before each skipped one
        parsed = np.array([p for p, _ in self.bad], dtype=np.int64)
        records = parsed + np.searchsorted(before, parsed, side="right")
        found = list(zip(records.tolist(), (p for _, p in self.bad), strict=True))
        return sorted(found + invalid)

    def frame(self) -> pd.DataFrame:
        parts = list(zip(*self.kept, strict=True)) or [[np.empty(0, np.int32)]] * 4
        family, model, kind, ns = (np.concatenate(p) for p in parts)
        frame = pd.DataFrame(
            {
                "family": _categorical(family, self.families, self.unused),
                "platform": categorical(kind, PLATFORMS),
                "model": _categorical(model, self.models, self.unused),
                "timestamp": utc_times(ns.astype(np.int64, copy=False)),
            }
        )
        if self.extras:  # one block of text for all of them: linear in the columns
            text = np.empty((len(frame), len(self.extras)), dtype=object)
            for j, chunks in enumerate(self.extras.values()):
                column = pa.chunked_array(chunks, type=pa.string())
                text[:, j] = column.to_numpy(zero_copy_only=False)
            extra = pd.DataFrame(text, columns=list(self.extras), dtype=object)
            frame = pd.concat([frame, extra], axis=1)
        return frame


def _categorical(codes: np.ndarray, table: dict[str, int], unused: bool) -> pd.Categorical:
    """Codes into `table` as a categorical of the values in use, in name order (every value
    is in use unless `unused`)."""
    names = np.array(list(table), dtype=object)
    used = np.flatnonzero(np.bincount(codes, minlength=len(names))) if unused else None
    kept = names if used is None else names[used]
    order = np.argsort(kept.astype(str), kind="stable")
    if used is not None:
        order = used[order]
    remap = np.zeros(len(names), dtype=np.min_scalar_type(-max(len(order), 1)))
    remap[order] = np.arange(len(order))
    return categorical(remap[codes], names[order])
