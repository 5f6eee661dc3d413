"""`python -m core audit TARGET`: a maintainer's self-audit of a cached family."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from core import store
from core.errors import InputError
from core.ingest.clients import Clients
from core.ingest.resolve import cached_family

DESCRIPTION = """\
Audit a cached family: which HF variants are stale against GitHub (and by which kinds of
change), which files differ between the two sides (compared by git blob id from one file
listing per repository, nothing downloaded), which commits never reached the other platform
within --window-days, and where the family's pattern and delays stand against the paper's
corpus. Ends with concrete recommendations and lists what could not be checked.

The family must be in the cache (`python -m core fetch TARGET` first). Commits are labeled
with the offline rules labeler when not labeled yet. File listings need the network; with
--offline, or when a side is unreachable, content drift is reported as not checked.
--file-dates also asks the Hub when each file last changed (otherwise dates come from a
cached clone's `git log` or from commit titles that name the file, like "Upload config.json").
--badge writes an SVG badge ("sync | Disperse · 19 d") and prints the Markdown to embed it.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "audit",
        help="audit a cached family: stale variants, drift, isolated changes, advice",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("target", metavar="TARGET", help="family name, GitHub repo or HF model id")
    p.add_argument("--format", choices=["md", "json"], default="md", help="output (default: md)")
    p.add_argument(
        "--window-days",
        type=int,
        default=14,
        metavar="N",
        help="a change is carried over when the other side commits within N days (default 14)",
    )
    p.add_argument("--badge", metavar="PATH", help="also write an SVG badge to PATH")
    p.add_argument("--offline", action="store_true", help="no network: skip the file listings")
    p.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="reference date for 'days since' and pending changes (default: now)",
    )
    p.add_argument(
        "--file-dates",
        action="store_true",
        help="also ask the Hub when each file last changed (1 request per 50 files, not 1,000)",
    )
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE, not stdout")
    p.set_defaults(func=run)


def _today(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC)
    try:
        day = datetime.fromisoformat(text)
    except ValueError as err:
        raise InputError(f"--today expects a date like 2024-10-13, not {text!r}.") from err
    return day.replace(tzinfo=UTC) if day.tzinfo is None else day.astimezone(UTC)


def run(args: argparse.Namespace) -> int:
    from core.audit.inputs import audit_gathered, gather_inputs
    from core.audit.render import badge_markdown, render_badge, render_markdown

    if args.window_days < 0:
        raise InputError("--window-days must be 0 or more.")
    today = _today(args.today)
    db = store.open_db(args.db)
    try:
        family = cached_family(db, args.target)
        if family is None:
            raise InputError(
                f"{args.target} is not in the cache. Run `python -m core fetch {args.target}` "
                "first, then audit it."
            )
        clients = Clients.for_db(args.db)
        inputs = gather_inputs(
            db,
            family,
            hub=clients.hub,
            github_client=clients.github_api,
            clone=clients.clone_of(family.github_repo),
            offline=args.offline,
            file_dates=args.file_dates,
        )
    finally:
        db.close()
    report = audit_gathered(inputs, window_days=args.window_days, today=today)
    badge_url = None
    if args.badge:
        path = Path(args.badge)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_badge(report), encoding="utf-8")
        badge_url = path.name
    if args.format == "json":
        body = report.to_dict()
        body["listing_requests"] = inputs.requests
        text = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_markdown(report, badge_url=badge_url)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if args.badge:
        print(f"Badge written to {args.badge}; embed it with:", file=sys.stderr)
        print(f"  {badge_markdown(report, badge_url or args.badge)}", file=sys.stderr)
    n_requests = sum(inputs.requests.values())
    print(f"{len(inputs.requests)} file listing(s), {n_requests} request(s).", file=sys.stderr)
    return 0
