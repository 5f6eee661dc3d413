"""The per-file matrix: every GitHub file a variant carries, and whether its current version
reached each variant — carried (within a day), late by N days, never, or first on the Hub."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.propagation.content import EMPTY_BLOB
from core.propagation.measures import FROM_HUB, NEVER_ARRIVED, REACHED
from core.propagation.records import DELETED
from core.records import GH

CARRIED, LATE = "carried", "late"
MATRIX_COLUMNS = ("path", "variant", "cell", "status", "days", "gh_sha", "target_sha")


def current_files(changes: pd.DataFrame) -> pd.DataFrame:
    """GitHub's files at its newest commit: path, content key and the commit that set it."""
    gh = changes[changes["platform"] == GH].sort_values("time", kind="stable")
    last = gh.drop_duplicates("path", keep="last")
    held = last[(last["change"] != DELETED) & (last["key"] != EMPTY_BLOB)]
    return held[["path", "key", "sha"]].sort_values("path").reset_index(drop=True)


def file_matrix(changes: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """One row per (current GitHub file, variant) whose current version counts for the
    variant: `cell` reads "carried", "late 9 d", "never" or "from HF"; `days` is the delay in
    whole days (0 when carried, None for never or from HF)."""
    files = current_files(changes)
    cells = files.merge(status, on="key", suffixes=("", "_version"))
    if cells.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in MATRIX_COLUMNS})
    hours = cells["delay_hours"].astype(float)
    days = np.ceil(hours / 24)
    on_time = (cells["status"] == REACHED) & (hours < 24)
    late = (cells["status"] == REACHED) & ~on_time
    cells["status"] = np.where(on_time, CARRIED, np.where(late, LATE, cells["status"]))
    cells["cell"] = np.select(
        [on_time, late, cells["status"] == FROM_HUB],
        [CARRIED, "late " + days.fillna(0).astype(int).astype(str) + " d", FROM_HUB],
        NEVER_ARRIVED,
    )
    cells["days"] = np.where(on_time, 0.0, np.where(late, days, np.nan))
    cells = cells.rename(columns={"sha": "gh_sha"})
    return cells[list(MATRIX_COLUMNS)].sort_values(["path", "variant"]).reset_index(drop=True)


def matrix_table(matrix: pd.DataFrame, variants: tuple[str, ...]) -> pd.DataFrame:
    """The matrix as a table: files as rows (those lacking most first), variants as columns,
    blank where a variant does not carry the file."""
    if matrix.empty:
        return pd.DataFrame(columns=["file", *variants])
    table = matrix.pivot(index="path", columns="variant", values="cell")
    table = table.reindex(columns=[v for v in variants if v in table.columns]).fillna("")
    lacking = (table == NEVER_ARRIVED).sum(axis=1)
    order = lacking.sort_values(ascending=False, kind="stable").index
    return table.loc[order].rename_axis(columns=None).reset_index(names="file")
