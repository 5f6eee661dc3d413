"""`python -m core export TARGET`: a cached family's commits as CSV in the `classify` input
format (formula-safe), or as JSON with every value as fetched."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import TextIO

import pandas as pd

from core import store
from core.csvsafe import write_csv
from core.errors import InputError
from core.ingest.choose import require_cached_family
from core.redaction import redact
from core.report.commit_table import EXPORT_COLUMNS, export_frame

COLUMNS = list(EXPORT_COLUMNS)

DESCRIPTION = """\
Write a cached family's commits as CSV (every field quoted: messages hold bare carriage
returns that other writers leave unquoted), oldest first, with the columns
family, platform, model, date, sha, author, title, message.
The first four are the `classify` input format (date: ISO 8601 UTC with Z; model empty for
GitHub rows), so `fetch` -> `export` -> `classify` works:

  python -m core fetch 01-ai/Yi-34B
  python -m core export 01-ai/Yi-34B --output yi.csv
  python -m core classify yi.csv

Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return: commit titles come from other people's repositories) are written with a leading '
(OWASP's rule); --format json writes every value exactly as fetched.

Works offline: it reads the cache only (run `fetch` first).
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write a cached family's commits as CSV (classify input)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "target",
        metavar="TARGET",
        help="family name, GitHub repository or HF variant of a cached family",
    )
    p.add_argument(
        "--format",
        choices=["csv", "json"],
        default="csv",
        help="csv (formula-safe, default) or json (a list of rows, raw values)",
    )
    p.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    db = store.open_db(args.db)
    try:
        family = require_cached_family(db, args.target)
        frame = export_frame(store.family_commits(db, family))
    finally:
        db.close()
    if frame.empty:
        print(
            f"note: {family.name} has no cached commits yet; run `python -m core fetch "
            f"{args.target}`.",
            file=sys.stderr,
        )
    if args.output:
        try:
            Path(args.output).parent.mkdir(parents=True, exist_ok=True)
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                write(frame, args.format, out)
        except OSError as err:
            raise InputError(
                f"Cannot write {args.output} ({err.strerror or err}); give a file path in a "
                "folder you can write to."
            ) from err
        print(f"wrote {len(frame)} commits of {family.name} to {args.output}", file=sys.stderr)
    else:
        write(frame, args.format, sys.stdout)
    return 0


def write(frame: pd.DataFrame, fmt: str, out: TextIO) -> None:
    """The export in `fmt`: CSV through the formula-safe writer, or JSON rows as they are."""
    if fmt == "json":
        out.write(redact(frame.to_json(orient="records", force_ascii=False, indent=1)) + "\n")
    else:
        write_csv(frame, out, lineterminator="\n", quoting=csv.QUOTE_ALL)
