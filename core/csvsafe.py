"""Every CSV SyncLens writes: cells a spreadsheet would run as a formula made inert, secrets
redacted. The one writer for the CLI's exports, label output, the app's downloads and tables.

OWASP's rule for CSV injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return is prefixed with `'`, so Excel, LibreOffice and Sheets show it as text. Commit
titles, messages, author names and model ids come from other people's repositories, so every
text cell (and the header) is checked. Numbers stay numbers. The raw values remain available
as JSON (`export --format json`, the app's JSON download).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from core.redaction import redact

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` with a leading `'` when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and column names cannot start a formula."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = _safe_column(out[column])
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def _safe_column(column: pd.Series) -> pd.Series:
    """`safe_cell` of every cell; a column holding only text (and gaps) is checked at once."""
    text = _as_text(column)
    if text is None:
        return column.map(safe_cell)
    risky = text.str.startswith(FORMULA_START).fillna(False).to_numpy(dtype=bool)
    if not risky.any():
        return column
    return column.where(~risky, "'" + text)


def _as_text(column: pd.Series) -> pd.Series | None:
    """The column as a string column when every cell is text or missing, else None (a
    number or date among objects keeps its own type: it is never a formula)."""
    if isinstance(column.dtype, pd.StringDtype):
        return column
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) in (
        "string",
        "empty",
    ):
        return column.astype("string")
    return None


def csv_text(frame: pd.DataFrame, **options: Any) -> str:
    """`frame` as CSV text (no index unless asked), formula-safe and redacted.

    Every field is quoted when some text holds a bare carriage return: the csv module
    leaves it unquoted otherwise, and the file would no longer parse.
    """
    options.setdefault("index", False)
    safe = safe_frame(frame)
    if any(_has_cr(safe[c]) for c in safe.columns):
        options.setdefault("quoting", csv.QUOTE_ALL)
    return redact(safe.to_csv(**options))


def _has_cr(column: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(column):
        return False
    text = _as_text(column)
    if text is not None:
        return bool(text.str.contains("\r", regex=False).fillna(False).any())
    return bool(column.map(lambda v: isinstance(v, str) and "\r" in v).any())


def write_csv(frame: pd.DataFrame, target: str | Path | TextIO, **options: Any) -> None:
    """Write `csv_text(frame, **options)` to a path (UTF-8) or an open text stream."""
    text = csv_text(frame, **options)
    if isinstance(target, str | Path):
        Path(target).write_text(text, encoding="utf-8", newline="")
    else:
        target.write(text)


def write_rows(
    out: TextIO, fieldnames: list[str], rows: Iterable[Mapping[str, Any]], **options: Any
) -> None:
    """`csv.DictWriter` with a header, each cell made formula-safe and redacted (every field
    quoted when some text holds a bare carriage return, as in `csv_text`)."""
    cells = [{safe_cell(k): safe_cell(row.get(k)) for k in fieldnames} for row in rows]
    if any(isinstance(v, str) and "\r" in v for row in cells for v in row.values()):
        options.setdefault("quoting", csv.QUOTE_ALL)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[safe_cell(f) for f in fieldnames], **options)
    writer.writeheader()
    writer.writerows(cells)
    out.write(redact(buffer.getvalue()))
