"""`python -m core label`: change types for the commits of a CSV file or of a cached family."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core import store
from core.csvsafe import write_csv
from core.errors import InputError
from core.labeling import DEFAULT_LABELER, LABELERS, build_labeler
from core.labeling.labels import LabelStats, label_commits, label_counts
from core.labeling.texts_csv import read_texts_csv

DESCRIPTION = """\
Label commits with the paper's 15 change types (Section 4.1, Appendix A).

SOURCE is either a CSV file or a cached family:
  INPUT.csv  needs a `text` column, or `title` and/or `message` (HF rows: title and message
             are joined, as the paper did); a `platform` column (GH/HF) is used if present.
             The output is the same CSV with `label` and `label_source` columns added
             (--output OUT.csv, or stdout); a cell a spreadsheet would run as a formula
             (starting with = + - @ or a tab) gets a leading ' (OWASP), as in every CSV
             SyncLens writes.
  TARGET     a family already in the cache (family name, GitHub owner/repo or HF model id;
             see `python -m core family` and `fetch`); prints label counts per platform.

Labels are cached per text, platform, labeler and version, so a second run asks nobody; your
corrections always win. Labelers: learned (offline, the default: a model trained on
double-annotated real commit texts, with a confidence per label), rules (offline keyword
rules), claude (needs ANTHROPIC_API_KEY in the environment or .streamlit/secrets.toml),
hybrid (learned; its low-confidence texts go to Claude when the key is set, and the summary
says how many would go without it). The run summary reports API requests and tokens.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "label",
        help="label commits (CSV or cached family) with change types",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("source", metavar="INPUT.csv|TARGET", help="a commits CSV or a cached family")
    p.add_argument(
        "--output", "-o", metavar="OUT.csv", help="where to write the labeled CSV (default: stdout)"
    )
    p.add_argument(
        "--labeler",
        choices=LABELERS,
        default=DEFAULT_LABELER,
        help=f"{', '.join(LABELERS)} (default {DEFAULT_LABELER}, offline)",
    )
    p.add_argument("--model", help="Claude model id (claude and hybrid labelers only)")
    p.add_argument("--batch-size", type=int, help="commits per Claude request (default 100)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    is_csv = args.source.lower().endswith((".csv", ".txt")) or Path(args.source).is_file()
    if not is_csv and args.output:
        raise InputError(
            f"--output is for CSV input, and {args.source} is not a file; "
            "give the path of an existing CSV or drop --output."
        )
    frame = read_texts_csv(args.source) if is_csv else None
    labeler = build_labeler(args.labeler, model=args.model, batch_size=args.batch_size)
    db = store.open_db(args.db)
    if frame is not None:
        labeled, stats = label_commits(db, frame, labeler)
        if args.output:
            try:
                write_csv(labeled, args.output)
            except OSError as err:
                raise InputError(
                    f"Cannot write {args.output} ({err.strerror or err}); the labels are "
                    "cached, so rerun with a file path in a folder you can write to."
                ) from err
            print(f"wrote {len(labeled)} labeled rows to {args.output}", file=sys.stderr)
        else:
            write_csv(labeled, sys.stdout)
        print(describe(stats, labeler), file=sys.stderr)
        return 0

    family = store.find_family(db, args.source) or store.find_family(db, f"hf:{args.source}")
    if family is None:
        fetch = (
            f"fetch the family first: python -m core fetch {args.source}"
            if "/" in args.source
            else "name a cached family by a model id or repository (org/name)"
        )
        raise InputError(
            f"No cached family matches '{args.source}', and it is not a file. Give a CSV "
            f"file, or {fetch}."
        )
    commits = store.family_commits(db, family)
    if commits.empty:
        raise InputError(
            f"The family {family.name} has no cached commits yet; run "
            f"python -m core fetch {family.name}"
        )
    labeled, stats = label_commits(db, commits, labeler)
    print(f"{family.name}: {len(labeled)} commits")
    print(label_counts(labeled).to_string())
    print(describe(stats, labeler))
    return 0


def describe(stats: LabelStats, labeler: object = None) -> str:
    """One line about a labeling run: what came from where, and what it cost."""
    text = (
        f"labeler {stats.labeler} ({stats.version}): {stats.n_rows} rows, "
        f"{stats.n_unique} unique texts; {stats.n_corrected} corrected, "
        f"{stats.n_cached} cached, {stats.n_new} newly labeled, "
        f"{stats.n_unlabeled} unlabeled"
    )
    if stats.n_textless_rows:
        text += (
            f" ({stats.n_textless_rows} row(s) have no text to label: empty, or only code in "
            "backticks, which the paper's cleaning removes)"
        )
    if stats.requests or stats.labeler in ("claude", "hybrid"):
        text += (
            f"; {stats.requests} API requests, {stats.input_tokens} input and "
            f"{stats.output_tokens} output tokens"
        )
    deferred = getattr(labeler, "deferred", None)
    if deferred is not None:
        sent = getattr(labeler, "claude", None) is not None
        text += f"; {deferred} low-confidence texts " + (
            "sent to Claude" if sent else "would go to Claude with ANTHROPIC_API_KEY"
        )
    return text
