"""`python -m core audit TARGET`: a maintainer's self-audit of a cached family, and a CI gate."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from core import store
from core.errors import InputError
from core.ingest.choose import require_cached_family
from core.ingest.clients import Clients

EXIT_NOT_AUDITED = 2
EXIT_GATE_FAILED = 3

DESCRIPTION = """\
Audit a cached family: which HF variants are stale against GitHub (and by which kinds of
change), which files differ between the two sides (compared by git blob id from one file
listing per repository, nothing downloaded), which commits never reached the other platform
within --window-days, and where the family's pattern and delays stand against the paper's
corpus. Ends with concrete recommendations and lists what could not be checked.

The family must be in the cache with commits on both sides (`python -m core fetch TARGET`
first): a family never fetched, or with no GitHub or no Hugging Face commits, is not audited
(exit code 2) — the report says what is missing instead of an all-clear. Commits are labeled
with the offline learned labeler when not labeled yet. File listings need the network; with
--offline, or when a side is unreachable, content drift is reported as not checked.
--file-dates also asks the Hub when each file last changed (otherwise dates come from a
cached clone's `git log` or from commit titles that name the file, like "Upload config.json").
--badge writes an SVG badge ("sync | Disperse · 19 d") and prints the Markdown to embed it.

The gate (--fail-on stale,drift,unreplicated) judges only what can change a model: a variant
missing behaviour-changing GitHub commits (stale), a differing file that affects the loaded
model — config, tokenizer, generation config, modeling code (drift), a behaviour-changing
commit never carried over within --window-days (unreplicated). A finding counts when its
change was made on or after --since and more than --max-lag-days before --today. The verdict
heads the report (Markdown for a CI job summary or a PR comment; key "gate" in JSON).

exit codes:
  0  audited; with --fail-on, every rule passed
  1  the cache could not be read
  2  not audited: not in the cache, never fetched, a side missing, a bad option; or, with
     --fail-on, a rule could not be checked (drift with --offline, a variant without commits)
  3  the gate failed: a rule of --fail-on found something
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "audit",
        help="audit a cached family: stale variants, drift, isolated changes, advice; a CI gate",
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
        help="the audit's date (default: now): commits made after that day are left out, "
        "'days since' and pending changes count to it; file listings are always today's",
    )
    p.add_argument(
        "--file-dates",
        action="store_true",
        help="also ask the Hub when each file last changed (1 request per 50 files, not 1,000)",
    )
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE, not stdout")
    gate = p.add_argument_group("gate (exit code 3 when a rule fails)")
    gate.add_argument(
        "--fail-on",
        metavar="RULES",
        help="comma-separated: stale, drift, unreplicated",
    )
    gate.add_argument(
        "--max-lag-days",
        type=int,
        default=0,
        metavar="N",
        help="a change counts only once it is more than N days old (default 0)",
    )
    gate.add_argument(
        "--since", metavar="YYYY-MM-DD", help="only changes made on or after this date count"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from core.audit.commits import MAX_LISTED
    from core.audit.gate import GatePolicy, Outcome, judge, parse_day
    from core.audit.inputs import audit_gathered, gather_inputs
    from core.audit.render import render_markdown, render_not_audited

    if args.window_days < 0:
        raise InputError("--window-days must be 0 or more.")
    policy = None
    if args.fail_on is not None:  # an empty value (an unset CI variable) is no way to pass
        policy = GatePolicy.parse(args.fail_on, max_lag_days=args.max_lag_days, since=args.since)
    elif args.since or args.max_lag_days:
        raise InputError("--since and --max-lag-days set the gate's policy: add --fail-on.")
    # no --today: the audit of now, which keeps commits a skewed clock dated in the future
    today = parse_day(args.today, "--today") if args.today else None
    day = (today or datetime.now(UTC)).date()
    if policy is not None and policy.since is not None and policy.since.date() > day:
        raise InputError(
            f"--since {policy.since:%Y-%m-%d} is after the audit's date ({day:%Y-%m-%d}): "
            "no change could count; check both dates."
        )
    db = store.open_db(args.db)
    try:
        family = require_cached_family(db, args.target, then="audit it")
        inputs = gather_inputs(
            db,
            family,
            Clients.for_db(args.db),
            offline=args.offline,
            file_dates=args.file_dates,
            progress=_progress if sys.stderr.isatty() else None,
        )
    finally:
        db.close()
    coverage = inputs.coverage
    if not coverage.auditable:
        if args.format == "json":
            body = {"audited": False, "reason": coverage.problem(), "coverage": coverage.to_dict()}
            _write(args, json.dumps(body, indent=2, ensure_ascii=False) + "\n")
        else:
            _write(args, render_not_audited(coverage))
        print(f"error: not audited. {coverage.problem()}", file=sys.stderr)
        return EXIT_NOT_AUDITED
    listed = max(len(inputs.commits), MAX_LISTED) if policy else MAX_LISTED  # the gate: all
    report = audit_gathered(inputs, window_days=args.window_days, today=today, max_listed=listed)
    verdict = judge(report, policy) if policy else None
    badge_url = _badge(args.badge, report)
    partial = coverage if coverage.problem() else None
    if args.format == "json":
        body = {"gate": verdict.to_dict()} if verdict else {}
        body |= report.to_dict()
        body |= {"coverage": coverage.to_dict(), "listing_requests": inputs.requests}
        text = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_markdown(report, badge_url=badge_url, verdict=verdict, coverage=partial)
    _write(args, text)
    n_requests = sum(inputs.requests.values())
    print(f"{len(inputs.requests)} file listing(s), {n_requests} request(s).", file=sys.stderr)
    if partial:
        print(f"warning: {partial.problem()}", file=sys.stderr)
    if verdict is None:
        return 0
    failed = [r.rule for r in verdict.results if r.outcome is not Outcome.PASS]
    print(
        f"gate: {verdict.outcome}" + (f" ({', '.join(failed)})" if failed else ""), file=sys.stderr
    )
    return {Outcome.PASS: 0, Outcome.FAIL: EXIT_GATE_FAILED}.get(verdict.outcome, EXIT_NOT_AUDITED)


def _progress(repo: str, step: int, total: int) -> None:
    print(f"listing the files of {repo} ({step}/{total})", file=sys.stderr)


def _write(args: argparse.Namespace, text: str) -> None:
    if args.output:
        target = Path(args.output)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _badge(path_text: str | None, report) -> str | None:
    """Write the badge to PATH and say how to embed it; its URL relative to the report."""
    if not path_text:
        return None
    from core.audit.badge import badge_markdown, render_badge

    path = Path(path_text)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_badge(report), encoding="utf-8")
    print(f"Badge written to {path_text}; embed it with:", file=sys.stderr)
    print(f"  {badge_markdown(report, path.name)}", file=sys.stderr)
    return path.name
