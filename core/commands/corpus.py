"""`python -m core corpus import [SOURCE]`: load the paper's replication data into the cache."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas loads only when the command runs, not for every command
    from core.corpus import ImportReport

DESCRIPTION = """\
Manage the corpus the corpus view and `corpus-report` compare against.

  corpus import [FOLDER]   load the paper's replication CSVs from FOLDER (e.g. ../shared/corpus),
                           or, without FOLDER, download them from GitHub
                           (eyinlojuoluwa/Synchronization-Patterns, folder dataset/); when
                           GitHub cannot be reached, the copy shipped with SyncLens is
                           imported instead, and the summary says so.
  corpus import --mine     (re)classify every family cached in SyncLens into the "mine" corpus.

Re-importing replaces the previous import in one transaction. Rows that cannot be used are
skipped and counted. The paper's 13 exclusions are stored as flags and applied when reporting
(`corpus-report --no-exclusions` keeps them).
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "corpus",
        help="import the paper's replication data (or your families)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = p.add_subparsers(dest="corpus_action", metavar="ACTION", required=True)
    imp = actions.add_parser(
        "import",
        help="load the replication CSVs into the cache",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument(
        "source",
        metavar="FOLDER",
        nargs="?",
        type=Path,
        help="folder with the replication CSVs (default: download from GitHub; offline, the copy "
        "shipped with SyncLens)",
    )
    imp.add_argument(
        "--mine",
        action="store_true",
        help="rebuild the 'mine' corpus from the families cached in SyncLens",
    )
    imp.add_argument(
        "--base-url",
        default=None,
        help="raw-file URL of the package's repository (default: its main branch "
        "on raw.githubusercontent.com)",
    )
    imp.add_argument(
        "--format", choices=["text", "json"], default="text", help="summary format (default: text)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from core import store
    from core.corpus import import_mine, import_paper

    db = store.open_db(args.db)
    if args.mine:
        report = import_mine(db)
    else:
        extra = {"base": args.base_url} if args.base_url else {}
        report = import_paper(db, args.source, **extra)
    print(summary(report) if args.format == "text" else json.dumps(report.to_dict()))
    return 0


def summary(report: ImportReport) -> str:
    lines = [
        f"imported {report.n_families} families ({report.n_excluded} flagged as excluded), "
        f"{report.n_switches} switches, {report.n_models} models into corpus "
        f"'{report.corpus}' from {report.origin}"
    ]
    if report.skipped:
        detail = ", ".join(f"{name}: {n}" for name, n in sorted(report.skipped.items()))
        lines.append(f"skipped {report.n_skipped} unusable row(s) ({detail})")
    if report.missing_files:
        lines.append(f"not found (optional): {', '.join(report.missing_files)}")
    lines.extend(report.notes)
    return "\n".join(lines)
