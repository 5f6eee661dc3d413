"""`python -m core classify INPUT.csv`: each family's lag, sync type, intensity and pattern."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from core.csvsafe import write_rows
from core.engine.analysis import FamilyAnalysis, analyze
from core.engine.jsonl import write_jsonl
from core.errors import InputError
from core.ingest.commit_csv import read_commits_csv

DESCRIPTION = """\
Classify the synchronization of one or many model families from their commit dates.

INPUT.csv columns (header required, any order, extra columns ignored):
  family    optional; without it the whole file is one family (named after the file)
  platform  GH or HF (any case)
  model     HF model id (empty for GH rows)
  date      ISO 8601, with or without an offset or Z; naive means UTC

--format jsonl prints one JSON object per family, ordered by family, with keys family, lag,
sync_type, intensity, pattern, n_gh_commits, n_hf_commits, n_variants, n_periods,
co_active_periods, switches, mean_switch_days, explanation (and reason when a family has
commits on one platform only, in which case pattern is null).

A row that cannot be parsed stops the command with exit code 2 and a message naming its line
(nothing on stdout); --skip-bad-rows skips such rows and reports how many on stderr.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "classify",
        help="classify families from a commits CSV (no cache needed)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", metavar="INPUT.csv", help="commits CSV (see above)")
    p.add_argument(
        "--format",
        choices=["jsonl", "csv", "table"],
        default="jsonl",
        help="output format (default: jsonl)",
    )
    p.add_argument(
        "--paper-compatible",
        action="store_true",
        help="truncate HF timestamps to their UTC date first, as the paper's data had "
        "day resolution",
    )
    p.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="skip rows that cannot be parsed and report how many on stderr",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    parsed = read_commits_csv(args.input, skip_bad_rows=args.skip_bad_rows, extra_columns=False)
    if parsed.bad_rows:
        first = parsed.bad_rows[0]
        print(f"skipped {len(parsed.bad_rows)} bad row(s) (first: {first})", file=sys.stderr)
    if parsed.frame.empty:
        raise InputError(
            f"{args.input}: no commit rows"
            + (" (every row was bad and skipped)" if parsed.bad_rows else " below the header")
            + "; nothing to classify."
        )
    _warn_of_odd_dates(parsed.frame["timestamp"])
    results = analyze(parsed.frame, paper_compatible=args.paper_compatible)
    write(results, args.format, sys.stdout)
    return 0


#: Commits before GitHub existed, or after tomorrow, are more likely a wrong clock or format.
PLAUSIBLE_FROM = pd.Timestamp("2008-01-01", tz="UTC")


def _warn_of_odd_dates(times: pd.Series) -> None:
    """Say on stderr how many dates look wrong (they stretch the periods of their family)."""
    latest = pd.Timestamp.now(tz="UTC") + pd.Timedelta(days=1)
    odd = (times < PLAUSIBLE_FROM) | (times > latest)
    if odd.any():
        first = times[odd].iloc[0]
        print(
            f"warning: {int(odd.sum())} commit date(s) before 2008 or in the future (first: "
            f"{first:%Y-%m-%d}); they stretch their family's periods. Check the date column.",
            file=sys.stderr,
        )


CSV_COLUMNS = [
    "family",
    "lag",
    "sync_type",
    "intensity",
    "pattern",
    "n_gh_commits",
    "n_hf_commits",
    "n_variants",
    "n_periods",
    "co_active_periods",
    "n_switches",
    "mean_switch_days",
    "reason",
    "explanation",
]


def write(results: list[FamilyAnalysis], fmt: str, out) -> None:
    if fmt == "jsonl":
        write_jsonl(results, out)
    elif fmt == "csv":
        write_rows(out, CSV_COLUMNS, map(_csv_row, results), lineterminator="\n")
    else:
        out.write(table(results))


def table(results: list[FamilyAnalysis]) -> str:
    header = [
        "family",
        "pattern",
        "sync",
        "int",
        "lag",
        "GH",
        "HF",
        "var",
        "periods",
        "switches",
        "mean days",
    ]
    rows = [
        [
            r.family,
            r.pattern or f"- ({r.reason})" if not r.pattern else r.pattern,
            r.sync_type or "-",
            r.intensity or "-",
            r.lag or "-",
            str(r.n_gh_commits),
            str(r.n_hf_commits),
            str(r.n_variants),
            str(r.n_periods),
            str(r.n_switches),
            "-" if r.mean_switch_days is None else f"{r.mean_switch_days:.2f}",
        ]
        for r in results
    ]
    widths = [max(len(x) for x in col) for col in zip(header, *rows, strict=False)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    return "\n".join(lines) + "\n"


def _csv_row(r: FamilyAnalysis) -> dict:
    d = r.to_dict(switches=False)
    d["co_active_periods"] = " ".join(map(str, r.co_active_periods))
    d["n_switches"] = r.n_switches
    d["explanation"] = " ".join(r.explanation)
    d.setdefault("reason", "")
    return d
