"""`python -m core batch MODELS.csv`: analyse many families end to end, resumably."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the pipeline's modules load only when the command runs
    from core.ingest.batch import BatchClients, BatchReport

DONE, FAILED, PENDING = "done", "failed", "pending"  # as core.ingest.batch

DESCRIPTION = """\
Resolve, fetch, label and classify every family of MODELS.csv, then refresh the "mine" corpus
(see `corpus-report --source mine`).

MODELS.csv is either a list of targets (column target, model, model_id or repo, else the first
column; anything `family` accepts: org/model, gh:owner/repo, URLs; an optional `github` column
picks the repository of an HF model whose card links to several) or the paper's corpus mapping
(complete_dataset.csv format: model_name, cleaned_github, family), which gives one family per
GitHub repository with the mapped models as variants.

Resumable: every line is recorded in the cache with its status. Running the same command again
skips what is done and continues with what is pending; --retry-failed also retries failures.
When a source reports its rate limit, the batch stops cleanly, says when to retry, and exits 1.
A progress bar goes to stderr; the summary to stdout.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "batch",
        help="analyse a list of families end to end (resumable)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", metavar="MODELS.csv", help="targets or corpus mapping (see above)")
    p.add_argument(
        "--labeler",
        choices=["learned", "rules", "claude", "hybrid", "none"],
        default="learned",
        help="change-type labeler (default: learned, offline)",
    )
    p.add_argument(
        "--via",
        choices=["auto", "api", "git"],
        default="auto",
        help="how to read GitHub histories (default: auto)",
    )
    p.add_argument(
        "--search",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="search the Hub for more variants (default: on for target lists, off "
        "for the corpus mapping, whose variants are given)",
    )
    p.add_argument(
        "--corpus",
        metavar="PATH",
        help="corpus mapping (complete_dataset.csv format) to help resolve targets",
    )
    p.add_argument("--refresh", action="store_true", help="ask the sources for new commits")
    p.add_argument("--retry-failed", action="store_true", help="also retry failed items")
    p.add_argument("--name", help="batch name to resume (default: the input file's path)")
    p.add_argument(
        "--format", choices=["text", "json"], default="text", help="summary format (default: text)"
    )
    p.set_defaults(func=run)


def clients(args: argparse.Namespace) -> BatchClients:
    """The Hub client, a per-repository GitHub backend chooser and the labeler, built once."""
    from core.ingest.batch import BatchClients
    from core.ingest.clients import Clients
    from core.labeling import build_labeler

    labeler = None if args.labeler == "none" else build_labeler(args.labeler)
    return BatchClients(sources=Clients.for_db(args.db, via=args.via), labeler=labeler)


class _Bar:
    """A tqdm progress bar on stderr driven by run_batch's progress callback."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=0, file=sys.stderr, unit="family", dynamic_ncols=True)

    def __call__(self, done: int, total: int, message: str) -> None:
        self.bar.total = total
        self.bar.n = done
        self.bar.set_postfix_str(message[:60], refresh=True)

    def close(self) -> None:
        self.bar.close()


def run(args: argparse.Namespace) -> int:
    from core import store
    from core.ingest.batch import batch_name, read_batch_file, run_batch
    from core.ingest.resolve import load_corpus_mapping

    items = read_batch_file(args.input)
    if args.corpus and items.mapping is None:
        items = type(items)(items.targets, items.github, load_corpus_mapping(args.corpus))
    search = args.search if args.search is not None else items.mapping is None
    db = store.open_db(args.db)
    bar = _Bar()
    try:
        report = run_batch(
            db,
            args.name or batch_name(args.input),
            items,
            clients(args),
            search=search,
            refresh=args.refresh,
            retry_failed=args.retry_failed,
            progress=bar,
        )
    finally:
        bar.close()
    if args.format == "json":
        print(json.dumps(report.to_dict()))
    else:
        print(summary(report))
    if report.stopped:
        when = f" after {report.retry_at}" if report.retry_at else " later"
        print(
            f"stopped: {report.stop_message} Run the same command again{when} to resume "
            f"({report.n_pending} pending).",
            file=sys.stderr,
        )
        return 1
    return 1 if any(o.status == FAILED for o in report.outcomes) else 0


def summary(report: BatchReport) -> str:
    lines = []
    for o in report.outcomes:
        what = o.pattern or "-" if o.status == DONE else o.kind or ""
        note = f"  ({o.message})" if o.message else ""
        lines.append(f"{o.status:<8} {o.target:<40} {o.family or '':<35} {what}{note}")
    lines.append(
        f"{report.n_done} done, {report.n_failed} failed, {report.n_pending} pending "
        f"of {report.n_items} ({report.skipped_done} already done before this run)"
    )
    if report.n_pending and not report.stopped:
        lines.append(f"{report.n_pending} item(s) {PENDING}: run the command again to continue.")
    return "\n".join(lines)
