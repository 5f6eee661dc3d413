"""The row checks of a commits CSV, block by block, and the commit frame the good rows make.

Each block arrives from pyarrow with family, platform and model as dictionaries: every
distinct value is stripped and checked once, then the verdicts are spread to the rows with
numpy. A row's first problem, in this order, is the one reported: platform, date (unreadable
or out of range), HF row without a model, empty family.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from core.engine.codes import utc_times
from core.ingest.csv_dates import OUT_OF_RANGE, RANGE_TEXT, UNREADABLE, parse_dates
from core.records import GH, HF, PLATFORMS

_DICTIONARY = pa.dictionary(pa.int32(), pa.string())


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
        return [raw for name, raw in self.engine.items() if name != "date"]

    def convert_options(self) -> pacsv.ConvertOptions:
        types = {raw: pa.string() for raw in self.included()}
        types.update({raw: _DICTIONARY for raw in self.dictionary_columns()})
        return pacsv.ConvertOptions(column_types=types, include_columns=self.included())


def _problem_text(kind: int, platform: str, date: str) -> str:
    if kind == 1:
        return f"platform {platform!r} is neither {GH} nor {HF}"
    if kind == 2:
        return f"date {date.strip()!r} is not an ISO 8601 timestamp"
    if kind == 3:
        return f"date {date.strip()!r} is outside the supported range ({RANGE_TEXT})"
    return "HF row without a model id" if kind == 4 else "empty family"


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
        platform = batch.column(self.columns.engine["platform"])
        platforms = platform.dictionary.to_pylist()
        upper = [p.strip().upper() for p in platforms]
        where = platform.indices.to_numpy()
        hf = np.array([p == HF for p in upper], dtype=bool)[where]
        gh = np.array([p == GH for p in upper], dtype=bool)[where]
        dates = batch.column(self.columns.engine["date"])
        ns, status = parse_dates(dates)
        model, no_model = self._codes(batch, "model", self.models, "")
        family, no_family = self._codes(batch, "family", self.families, self.default_family)
        problem = np.select(
            [~(hf | gh), status == UNREADABLE, status == OUT_OF_RANGE, hf & no_model, no_family],
            [1, 2, 3, 4, 5],
            default=0,
        )
        for i in np.flatnonzero(problem).tolist():
            text = _problem_text(int(problem[i]), platforms[where[i]], dates[i].as_py())
            self.bad.append((self.n_parsed + i, text))
        keep = problem == 0
        model = np.where(hf, model, self.models[""])
        self.kept.append((family[keep], model[keep], hf[keep], ns[keep]))
        mask = pa.array(keep)
        for name, raw in self.columns.extra.items():
            self.extras[name].append(batch.column(raw).filter(mask))
        self.n_parsed += n

    def _codes(
        self, batch: pa.RecordBatch, name: str, table: dict[str, int], default: str
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each row's code in `table` (grown as new values appear) and whether it is empty."""
        raw = self.columns.engine.get(name)
        if raw is None:
            code = table.setdefault(default, len(table))
            return np.full(batch.num_rows, code), np.full(batch.num_rows, default == "")
        column = batch.column(raw)
        values = [v.strip() for v in column.dictionary.to_pylist()]
        codes = np.array([table.setdefault(v, len(table)) for v in values], dtype=np.int64)
        empty = np.array([v == "" for v in values], dtype=bool)
        where = column.indices.to_numpy()
        return codes[where], empty[where]

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
        parts = list(zip(*self.kept, strict=True)) or [[np.empty(0, np.int64)]] * 4
        family, model, hf, ns = (np.concatenate(p) for p in parts)
        frame = pd.DataFrame(
            {
                "family": _categorical(family, self.families),
                "platform": pd.Categorical.from_codes(hf.astype(np.int8), list(PLATFORMS)),
                "model": _categorical(model, self.models),
                "timestamp": utc_times(ns.astype(np.int64)),
            }
        )
        if self.extras:
            extra = {
                name: pa.chunked_array(chunks, type=pa.string()).to_pandas()
                for name, chunks in self.extras.items()
            }
            frame = pd.concat([frame, pd.DataFrame(extra)], axis=1)
        return frame


def _categorical(codes: np.ndarray, table: dict[str, int]) -> pd.Categorical:
    """Codes into `table` as a categorical of the values in use, in name order."""
    names = np.array(list(table), dtype=object)
    used = np.flatnonzero(np.bincount(codes, minlength=len(names)))
    order = used[np.argsort(names[used].astype(str), kind="stable")]
    remap = np.zeros(len(names), dtype=np.int64)
    remap[order] = np.arange(len(order))
    return pd.Categorical.from_codes(remap[codes], categories=names[order].tolist())
