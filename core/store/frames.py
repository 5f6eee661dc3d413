"""Columnar copies of families' commit frames (what `report` and the Family page read), kept
in the cache beside the rows and used only while the commits are unchanged.

Reading 80,000 commits from SQLite costs about 0.3 s, most of it SQLite stepping through the
rows; the copy (Arrow IPC, zstd) reads back in a tenth of that. Every write to the commits,
by whatever path (fetch, git import, migration, a hand-run UPDATE), adds one to
`commit_writes` through SQLite triggers, in the same transaction; a copy is used only if it
was made under the count there is now. So any write makes every copy stale, and the next
report of each family makes a new one. A copy is a convenience: when it cannot be read or
written (a busy cache, an old or damaged blob), the rows are read as before.
"""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import UTC

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc
import sqlite_utils

from core.store.db import BUSY_TIMEOUT_MS, transaction

#: Bumped when the frame `family_commits` builds changes, so older copies are not used.
FRAME_VERSION = 1


def frame_stamp(db: sqlite_utils.Database, repos: list[tuple[str, str]]) -> str:
    """What a copy of these repositories' commits must have been made under: the frame's
    version, the repositories and the count of writes to the commits."""
    (writes,) = db.execute("SELECT n FROM commit_writes").fetchone()
    return json.dumps([FRAME_VERSION, writes, [list(r) for r in repos]])


def saved_frame(db: sqlite_utils.Database, name: str, stamp: str) -> pd.DataFrame | None:
    """The copy saved under `name` if it was made under `stamp`, else None."""
    try:
        row = db.execute(
            "SELECT frame FROM family_frames WHERE name = ? AND stamp = ?", [name, stamp]
        ).fetchone()
        return _frame(row[0]) if row and isinstance(row[0], bytes) else None
    except Exception:
        return None


def save_frame(db: sqlite_utils.Database, name: str, stamp: str, frame: pd.DataFrame) -> None:
    """Keep a copy of `frame` under `name`, made under `stamp`; never fails the caller."""
    try:
        blob = _blob(frame)
        db.execute("PRAGMA busy_timeout=100")  # a copy is not worth waiting for a writer
        try:
            with transaction(db):
                db.execute(
                    "INSERT OR REPLACE INTO family_frames (name, stamp, frame) VALUES (?, ?, ?)",
                    [name, stamp, blob],
                )
        finally:
            db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    except (sqlite3.Error, pa.ArrowException, ValueError, TypeError):
        return  # a busy or read-only cache: the next read builds the frame again


def _blob(frame: pd.DataFrame) -> bytes:
    """The frame as Arrow IPC (zstd), with each column's pandas type to restore."""
    kinds = {c: _kind(frame[c]) for c in frame.columns}
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({"synclens": json.dumps(kinds)})
    sink = io.BytesIO()
    options = ipc.IpcWriteOptions(compression="zstd")
    with ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _kind(column: pd.Series) -> str:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return "category"
    if column.dtype == object:
        if not all(v is None or isinstance(v, str) for v in column.to_numpy()):
            raise TypeError(f"column {column.name} holds values other than text")
        return "object"
    return "keep"


def _frame(blob: bytes) -> pd.DataFrame:
    table = ipc.open_stream(blob).read_all()
    kinds = json.loads(table.schema.metadata[b"synclens"])
    if not isinstance(kinds, dict):
        raise ValueError("a copy without its column types")
    columns = {}
    for name, kind in kinds.items():
        values = table.column(name)
        if kind == "object":  # Python strings and None, as the rows give them
            columns[name] = pd.Series(values.to_numpy(zero_copy_only=False), dtype=object)
        elif kind == "category":  # categories as Python strings, as `categorical` makes them
            found = values.to_pandas()
            categories = pd.Index(np.asarray(found.cat.categories, dtype=object), dtype=object)
            columns[name] = pd.Categorical.from_codes(
                found.cat.codes.to_numpy(), dtype=pd.CategoricalDtype(categories)
            )
        else:
            column = values.to_pandas()
            if isinstance(column.dtype, pd.DatetimeTZDtype):  # the same tz object as the rows'
                column = column.dt.tz_convert(UTC)
            columns[name] = column
    return pd.DataFrame(columns)
