"""A commits CSV the user uploads: every family in it analysed, none dropped, no network.

The file is read like `classify` reads it (bad rows skipped and counted); texts, when given,
(`text`, `title` or `message`, any of them) are labeled by the offline default labeler in a
throw-away in-memory cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from core import store
from core.engine.analysis import FamilyAnalysis
from core.ingest.commit_csv import BadRow, read_commits_csv
from core.report.family import FamilyReport, family_report

MAX_UPLOAD_BYTES = 50 * 2**20  # about a million commits; larger files: `python -m core classify`


@dataclass(frozen=True)
class UploadedFamilies:
    """Each family of an uploaded file with its report, in name order, and the skipped rows."""

    name: str
    reports: dict[str, FamilyReport] = field(repr=False)
    bad_rows: tuple[BadRow, ...] = ()

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(self.reports)

    def summary(self) -> pd.DataFrame:
        """One row per family, the columns `classify --format table` prints."""
        rows = [_summary_row(r.analysis) for r in self.reports.values() if r.analysis]
        return pd.DataFrame(rows)


def _summary_row(a: FamilyAnalysis) -> dict:
    return {
        "family": a.family,
        "pattern": a.pattern,
        "sync": a.sync_type,
        "int": a.intensity,
        "lag": a.lag,
        "GH": a.n_gh_commits,
        "HF": a.n_hf_commits,
        "var": a.n_variants,
        "periods": a.n_periods,
        "switches": a.n_switches,
        "mean days": a.mean_switch_days,
    }


def read_upload(
    data: bytes, name: str, *, paper_compatible: bool = False, paper_view: bool = False
) -> UploadedFamilies:
    """Analyse every family of an uploaded commits CSV (the classify input format); with
    `paper_view`, as the paper saw them (see `family_report`).

    Raises InputError when the file is larger than MAX_UPLOAD_BYTES or cannot be read as that
    format at all; rows that cannot be used are skipped and listed.
    """
    parsed = read_commits_csv(
        data, name=name, skip_bad_rows=True, default_family=name, max_bytes=MAX_UPLOAD_BYTES
    )
    frame = parsed.frame
    if {"text", "title", "message"} & set(frame.columns):  # any text to label
        from core.labeling import default_labeler
        from core.labeling.labels import label_commits

        frame, _ = label_commits(store.open_db(memory=True), frame, default_labeler())
    reports = {
        str(fam): family_report(
            part, name=str(fam), paper_compatible=paper_compatible, paper_view=paper_view
        )
        for fam, part in sorted(frame.groupby("family", sort=False), key=lambda kv: str(kv[0]))
    }
    return UploadedFamilies(name=name, reports=reports, bad_rows=parsed.bad_rows)
