"""`python -m core report TARGET`: everything the family page shows, from the cache."""

from __future__ import annotations

import argparse
import json
import sys

from core import store
from core.ingest.choose import require_cached_family
from core.ingest.status import cache_age
from core.report.family import FamilyReport, build_report

DESCRIPTION = """\
Print a cached family's report: pattern (with the paper's figures for it), the facts that
decided it, lag and delays per direction, change-type shares and their Jaccard similarity,
variants with creation dates, downloads and likes, maturity, and contributors on each side.
For a family the paper studied, its labels are printed beside SyncLens's (JSON key `paper`)
with the likely reason when they differ; --paper-view analyses the family as the paper saw
it (its window and day-resolution HF times) to check whether that closes the gap.
This is what the app's family page shows; --format json is its "Analysis (JSON)" export.

Works offline from the cache (run `python -m core fetch TARGET` first). Labels come from
the cache, corrections and the offline learned labeler (--no-labels to skip them).
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="a cached family's full analysis (what the page shows)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("target", metavar="TARGET", help="HF model id, GitHub repo or family name")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument(
        "--paper-compatible",
        action="store_true",
        help="truncate HF times to their UTC date, as the paper's data had",
    )
    p.add_argument(
        "--paper-view",
        action="store_true",
        help="analyse as the paper saw it: commits from 2016-01-01 to 2024-10-13, HF times "
        "cut to the day",
    )
    p.add_argument("--no-labels", action="store_true", help="skip change-type labels")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    db = store.open_db(args.db)
    family = require_cached_family(db, args.target)
    labeler = None
    if not args.no_labels:
        from core.labeling import default_labeler

        labeler = default_labeler()
    report = build_report(
        db,
        family,
        labeler=labeler,
        paper_compatible=args.paper_compatible,
        paper_view=args.paper_view,
        fetched_at=cache_age(db, family),
        details=False,
    )
    if args.format == "json":
        # One write: the redacting stdout checks each write, json.dump would make ~10^5.
        sys.stdout.write(json.dumps(report.to_dict(), indent=2, default=str) + "\n")
    else:
        sys.stdout.write(as_text(report))
    return 0


def as_text(report: FamilyReport) -> str:
    card = report.pattern_card()
    lines = [
        f"{report.name}  (GitHub {report.github_repo or '-'}, {len(report.variants)} HF variants)"
    ]
    if card.pattern is None:
        lines.append(f"no pattern: {card.reason}")
    else:
        lines.append(f"{card.headline}  [{card.sync}, {card.intensity_words}, {card.lag}]")
        mean = card.paper_mean_days
        lines.append(
            f"  paper: {card.paper_share}% of families"
            + (f", {mean} days to reflect changes" if mean is not None else "")
        )
    if report.analysis:
        lines += [f"  - {line}" for line in report.analysis.explanation]
    if report.paper is not None:
        lines += report.paper.lines()
    d = report.delays
    lines.append(
        f"switches {d.n_switches}; GitHub->HF mean/median days "
        f"{_pair(d.gh_to_hf_mean, d.gh_to_hf_median)}; HF->GitHub "
        f"{_pair(d.hf_to_gh_mean, d.hf_to_gh_median)}"
    )
    if report.labeled:
        sim = "-" if report.similarity is None else f"{report.similarity:.2f}"
        lines.append(f"change types, % of each platform's commits (Jaccard GH vs HF {sim}):")
        table = report.label_shares.pivot_table(
            index="label", columns="platform", values="share", fill_value=0
        )
        table.index.name = table.columns.name = None
        lines += ["  " + row for row in table.round(1).to_string().splitlines()]
    c = report.contributors
    lines.append(
        f"maturity {report.maturity or '-'}; contributors GH {len(c.gh)}, HF "
        f"{len(c.hf)}, on both {len(c.both)} ({c.kind})"
    )
    for v in report.variants:
        created = v.created.strftime("%Y-%m-%d") if v.created else "-"
        lines.append(
            f"  {v.model_id:40} {v.source:7} created {created}  downloads "
            f"{v.downloads if v.downloads is not None else '-'}  commits {v.n_commits}"
        )
    return "\n".join(lines) + "\n"


def _pair(mean: float | None, median: float | None) -> str:
    """ "mean/median", or "-" when no switch went that way."""
    return "-" if mean is None else f"{mean}/{median}"
