"""Read a commits CSV in the `classify` input format into the commit frame, row-checked.

Columns (header required, any order, extra columns ignored): `family` (optional), `platform`
(GH/HF, any case), `model` (HF model id; empty for GH), `date` (ISO 8601, with or without an
offset or `Z`; naive means UTC). A bad row is reported by its line number in the file.

The file is streamed through pyarrow's CSV reader in blocks, so reading is linear in rows and
columns and memory stays near the size of the result: each block's family, platform and model
arrive as dictionaries (each distinct value is checked once), dates as text parsed in bulk
(core.ingest.csv_dates). The frame holds compact types: categorical family, platform and
model, `datetime64[ns, UTC]` times.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from core.errors import InputError
from core.ingest.commit_rows import Columns, NeedsText, RowChecker

REQUIRED = ("platform", "date")
BLOCK_BYTES = 1 << 22


@dataclass(frozen=True)
class BadRow:
    """One row that cannot be used: its 1-based line in the file and what is wrong."""

    line: int
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


@dataclass(frozen=True)
class CommitFile:
    """The parsed file: the commit frame and the rows that were skipped."""

    frame: pd.DataFrame
    bad_rows: tuple[BadRow, ...]


@dataclass(frozen=True)
class _Source:
    """A file by path, or the bytes of an upload, with the name messages use."""

    label: str
    path: Path | None = None
    data: bytes | None = None

    def open(self) -> IO[bytes]:
        if self.data is not None:
            return io.BytesIO(self.data)
        return Path(str(self.path)).open("rb")

    def arrow(self) -> pa.BufferReader | str:
        return pa.BufferReader(self.data) if self.data is not None else str(self.path)

    def size(self) -> int:
        return len(self.data) if self.data is not None else Path(str(self.path)).stat().st_size


def read_commits_csv(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    skip_bad_rows: bool = False,
    default_family: str | None = None,
    extra_columns: bool = True,
    max_bytes: int | None = None,
) -> CommitFile:
    """Parse and check a commits CSV (a path, or the bytes of an upload called `name`).

    Raises InputError on the first bad row unless skipping them, and when the file is not a
    readable CSV in this format or is larger than `max_bytes`. `extra_columns=False` reads
    only the four the engine needs.
    """
    if isinstance(source, bytes):
        src = _Source(name or "upload", data=source)
    else:
        src = _Source(name or str(source), path=Path(source))
        if src.path.is_dir():  # type: ignore[union-attr]
            raise InputError(f"{src.label}: a folder, not a file; give the path of a CSV file.")
        if not src.path.is_file():  # type: ignore[union-attr]
            raise InputError(f"{src.label}: no such file.")
    if max_bytes is not None and src.size() > max_bytes:
        raise InputError(
            f"{src.label}: {src.size() / 2**20:.0f} MB is more than the "
            f"{max_bytes / 2**20:.0f} MB this accepts; classify larger files with "
            "`python -m core classify FILE.csv`."
        )
    columns = _columns(_header(src), src.label, extra_columns)
    default = default_family or (src.path.stem if src.path else src.label)
    try:
        try:
            checker = _stream(src, columns, default, typed=True)
        except NeedsText:
            checker = _stream(src, columns, default, typed=False)
    except pa.ArrowInvalid as err:
        # No retry with a bigger block: an unclosed quote also makes a field that long, and
        # read as one block it would silently swallow every row after it.
        raise InputError(_unreadable(src, str(err))) from err
    return _result(checker, src.label, skip_bad_rows, lambda rows: _line_numbers(src, rows))


def _stream(src: _Source, columns: Columns, default_family: str, *, typed: bool) -> RowChecker:
    """Check every block of the file. `typed`: arrow parses the dates while reading, on two
    threads, which is fastest; a file it cannot read that way raises NeedsText, to be read
    again on one thread with dates as text (rows with a wrong field count are only numbered
    on one thread)."""
    checker = RowChecker(columns, default_family)
    try:
        reader = pacsv.open_csv(
            src.arrow(),
            read_options=pacsv.ReadOptions(use_threads=typed, block_size=BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, invalid_row_handler=checker.invalid_row
            ),
            convert_options=columns.convert_options(typed_dates=typed),
        )
        for batch in reader:
            checker.add(batch)
    except pa.ArrowInvalid as err:
        if typed and "conversion error to timestamp" in str(err):
            raise NeedsText from err
        raise
    finally:
        pa.default_memory_pool().release_unused()  # the blocks are gone: give pages back
    if typed and checker.invalid:
        raise NeedsText
    return checker


def parse_commits(
    raw: pd.DataFrame,
    *,
    source: str = "input",
    skip_bad_rows: bool = False,
    default_family: str = "family",
    line_numbers: Callable[[list[int]], list[int]] | None = None,
) -> CommitFile:
    """Check a frame of strings (as read from CSV) and build the commit frame."""
    columns = _columns([str(c) for c in raw.columns], source, extra=True)
    checker = RowChecker(columns, default_family)
    arrays = {
        c: pa.array(raw[c].astype(str).to_numpy(dtype=object), type=pa.string())
        for c in columns.included()
    }
    for c in columns.dictionary_columns():
        arrays[c] = arrays[c].dictionary_encode()
    checker.add(pa.RecordBatch.from_pydict(arrays))
    return _result(
        checker, source, skip_bad_rows, line_numbers or (lambda rows: [r + 2 for r in rows])
    )


def _result(
    checker: RowChecker,
    label: str,
    skip_bad_rows: bool,
    line_numbers: Callable[[list[int]], list[int]],
) -> CommitFile:
    problems = checker.problems()
    bad: tuple[BadRow, ...] = ()
    if problems:
        lines = line_numbers([record for record, _ in problems])
        bad = tuple(BadRow(line, p) for line, (_, p) in zip(lines, problems, strict=True))
        if not skip_bad_rows:
            more = f" ({len(bad) - 1} more bad rows)" if len(bad) > 1 else ""
            raise InputError(f"{label}: {bad[0]}{more}; fix it or pass --skip-bad-rows.")
    return CommitFile(frame=checker.frame(), bad_rows=bad)


def _header(src: _Source) -> list[str]:
    """The column names, read as CSV (quoted names and all); the rest of the file is
    checked for UTF-8 by the reader."""
    with src.open() as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="surrogateescape", newline="")
        try:
            names = next(csv.reader(text), None)
        except csv.Error as err:
            raise InputError(f"{src.label}: the header line is not readable as CSV.") from err
    if not names:
        raise InputError(f"{src.label}: the file is empty; {_HEADER_HINT}")
    try:
        "".join(names).encode("utf-8")
    except UnicodeEncodeError as err:  # an undecodable byte, escaped as a surrogate
        raise InputError(f"{src.label}: not UTF-8 text (line 1); save the CSV as UTF-8.") from err
    return names


_HEADER_HINT = (
    "the header needs platform, date, model (for HF rows) and optionally family, "
    "e.g. 'family,platform,model,date'."
)


def _columns(header: list[str], label: str, extra: bool) -> Columns:
    found: dict[str, list[str]] = {}
    for raw in header:
        found.setdefault(raw.strip().lower(), []).append(raw)
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise InputError(f"{label}: missing column(s) {', '.join(missing)}; {_HEADER_HINT}")
    times = Counter(header)
    twice = [c for c in Columns.ENGINE if len(found.get(c, [])) > 1]
    if twice:
        raise InputError(f"{label}: column {twice[0]!r} appears more than once.")
    unique_raw = {raw for raw, n in times.items() if n == 1} if extra else set()
    return Columns(
        engine={c: found[c][0] for c in Columns.ENGINE if c in found},
        extra={
            lower: raws[0]
            for lower, raws in found.items()
            if lower not in Columns.ENGINE and raws[0] in unique_raw
        },
    )


def _unreadable(src: _Source, reason: str) -> str:
    if "UTF8" in reason or "UTF-8" in reason:
        line = _first_undecodable_line(src)
        where = f" (line {line})" if line else ""
        return f"{src.label}: not UTF-8 text{where}; save the CSV as UTF-8."
    if "straddl" in reason:
        return (
            f"{src.label}: a field runs over {BLOCK_BYTES // 2**20} MB: a quote that is never "
            "closed, or a message that long; close the quote (or shorten the field)."
        )
    return (
        f"{src.label}: not a readable CSV (a quote that is never closed, or binary data); "
        "check that it is a comma-separated text file."
    )


def _first_undecodable_line(src: _Source) -> int | None:
    with src.open() as fh:
        for number, line in enumerate(fh, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def _line_numbers(src: _Source, records: list[int]) -> list[int]:
    """The file line where each data record (0-based, blank lines not counted) starts,
    quoted newlines and all."""
    wanted = set(records)
    found: dict[int, int] = {}
    with src.open() as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace", newline="")
        reader = csv.reader(text)
        next(reader, None)
        line = reader.line_num + 1
        position = 0
        for row in _until(reader, wanted, found):
            if row:
                if position in wanted:
                    found[position] = line
                position += 1
            line = reader.line_num + 1
    return [found.get(r, r + 2) for r in records]


def _until(rows: Iterable[list[str]], wanted: set[int], found: dict[int, int]):
    for row in rows:
        yield row
        if len(found) == len(wanted):
            return
