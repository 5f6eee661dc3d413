"""The paper's corpus shipped with SyncLens, for a fresh machine with no network.

A compact copy of the imported tables, so the corpus works with no network and no button press.

`data/paper_corpus.json.gz` holds what `parse_package` makes of the replication package
(`eyinlojuoluwa/Synchronization-Patterns`, folder `dataset/`): the family table, switches,
models, authors and the published Dunn matrix, one column list and row list per table, with
the package's commit, date and each CSV's git blob id. `scripts/embed_paper_corpus.py`
rebuilds it from a folder of the CSVs; the bytes are deterministic, so a test can check that
the shipped copy is exactly what the script makes of `../shared/corpus`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pandas as pd
import sqlite_utils

from core import store
from core.corpus.corpora import PAPER, ImportReport
from core.corpus.load import Corpus, assemble
from core.corpus.package import RAW_BASE, REPLICATION_REPO, Fetcher
from core.corpus.replication import import_replication, parse_package
from core.errors import SourceError
from core.store.schema import CORPUS_TABLES

EMBEDDED = Path(__file__).resolve().parent / "data" / "paper_corpus.json.gz"
OFFLINE_KINDS = ("network", "timeout")


@dataclass(frozen=True)
class EmbeddedCopy:
    """The shipped copy: where it comes from, the import report, and the rows per table."""

    source: dict
    report: ImportReport
    tables: dict[str, list[dict]]

    @property
    def origin(self) -> str:
        """Where the rows come from, as `corpus_imports.origin` and the page say it."""
        s = self.source
        return (
            f"the copy shipped with SyncLens ({s['repository']}, {s['folder']} at "
            f"{s['commit'][:7]}, {s['date']})"
        )


def git_blob_id(data: bytes) -> str:
    """The id git gives a file's content (`git hash-object`): checkable against the repo."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def build_embedded(files: dict[str, bytes], *, commit: str, date: str) -> bytes:
    """The gzipped JSON copy of the replication files (deterministic bytes)."""
    rows, report = parse_package(files)
    tables = {}
    for name, records in rows.items():
        columns = sorted({key for record in records for key in record})
        tables[name] = {
            "columns": columns,
            "rows": [[record.get(c) for c in columns] for record in records],
        }
    payload = {
        "source": {
            "repository": REPLICATION_REPO,
            "folder": "dataset/",
            "commit": commit,
            "date": date,
            "files": {name: git_blob_id(data) for name, data in sorted(files.items())},
        },
        "report": report.to_dict(),
        "tables": tables,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return gzip.compress(text.encode(), compresslevel=9, mtime=0)


@cache
def read_embedded(path: Path = EMBEDDED) -> EmbeddedCopy:
    """The shipped copy, read once per process."""
    payload = json.loads(gzip.decompress(path.read_bytes()))
    tables = {
        name: [dict(zip(t["columns"], row, strict=True)) for row in t["rows"]]
        for name, t in payload["tables"].items()
    }
    r = payload["report"]
    report = ImportReport(
        corpus=PAPER,
        origin="",
        n_families=r["n_families"],
        n_excluded=r["n_excluded"],
        n_switches=r["n_switches"],
        n_models=r["n_models"],
        skipped=r["skipped"],
        missing_files=tuple(r["missing_files"]),
    )
    copy = EmbeddedCopy(payload["source"], report, tables)
    return replace(copy, report=replace(report, origin=copy.origin))


def import_embedded(db: sqlite_utils.Database) -> ImportReport:
    """Load the shipped copy into the cache as the paper's corpus (replacing what was there)."""
    copy = read_embedded()
    store.replace_corpus(
        db,
        PAPER,
        copy.tables,
        origin=copy.origin,
        n_skipped=copy.report.n_skipped,
        detail={"source": copy.source},
    )
    return copy.report


def ensure_paper_corpus(db: sqlite_utils.Database) -> ImportReport | None:
    """Load the shipped copy when the cache has no paper corpus yet; None when it had one."""
    if store.corpus_import_info(db, PAPER) is not None:
        return None
    return import_embedded(db)


def import_paper(
    db: sqlite_utils.Database,
    source: Path | None = None,
    *,
    fetcher: Fetcher | None = None,
    base: str = RAW_BASE,
) -> ImportReport:
    """`import_replication`, but without network the shipped copy is imported instead.

    Only a download (`source` None) that cannot reach GitHub falls back; the report's notes
    say so. A refusal (rate limit, missing files) still raises.
    """
    try:
        return import_replication(db, source, fetcher=fetcher, base=base)
    except SourceError as err:
        if source is not None or err.kind not in OFFLINE_KINDS:
            raise
        report = import_embedded(db)
        note = f"GitHub could not be reached ({err.kind}): imported {report.origin} instead."
        return replace(report, notes=(*report.notes, note))


def embedded_table(name: str) -> pd.DataFrame:
    """One table of the shipped copy as the store would give it (with `corpus`)."""
    frame = pd.DataFrame(read_embedded().tables.get(name, []))
    return frame.assign(corpus=PAPER) if not frame.empty else frame


def embedded_corpus(*, exclusions: bool = True) -> Corpus:
    """The shipped copy loaded as a `Corpus`, without touching any cache."""
    names = [n for n in CORPUS_TABLES if n != "corpus_models"]
    return assemble({n: embedded_table(n) for n in names}, (PAPER,), exclusions=exclusions)
