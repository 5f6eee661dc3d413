"""`python -m core watch TARGET...`: tell what moved upstream since the last look, fetch it."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TextIO

from core import settings, store
from core.errors import InputError
from core.ingest.choose import require_cached_family
from core.ingest.clients import Clients
from core.ingest.sources.heads import HeadProbe
from core.ingest.watch import DELETED, FAILED, GONE, MOVED, NEW, Look, look

DESCRIPTION = """\
Look at cached families for changes upstream, for one request per repository: each GitHub
repository's head by `git ls-remote` (no API quota; when git cannot reach it, a conditional
API request with the stored ETag, and a 304 costs no quota), each HF variant's commit from one
model-info request. Only what moved is fetched (as `fetch --refresh` would), and the look says
what changed since the previous one and which variants became stale (GitHub moved after their
last commit; the audit's measure). What each look saw is kept in the cache.

TARGET is a cached family (name, GitHub repository or variant id; `fetch` it first). Without
--interval, one look; with it, a look every SECONDS until interrupted (--once: one look even so).
--format json writes one JSON object per family and look (JSON lines).

exit codes (of the last look):
  0  looked; nothing failed and no variant became stale
  1  a source failed (nothing reachable: the cache is unchanged; else the rest was saved)
  2  bad input: a TARGET is not a cached family, a bad option
  3  a variant became stale in this look (GitHub moved after its last commit)
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "watch",
        help="look for upstream changes (one request per repository), fetch what moved",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("targets", nargs="+", metavar="TARGET", help="cached family (name/repo/id)")
    p.add_argument("--interval", type=float, metavar="SECONDS", help="look again every SECONDS")
    p.add_argument("--once", action="store_true", help="one look, even with --interval")
    p.add_argument("--format", choices=["table", "json"], default="table", help="output")
    p.add_argument(
        "--via",
        choices=["api", "git", "auto"],
        default="auto",
        help="GitHub backend for fetching what moved (default: auto)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.interval is not None and args.interval <= 0:
        raise InputError("--interval must be a positive number of seconds.")
    db = store.open_db(args.db)
    try:
        families = []
        for target in args.targets:
            family = require_cached_family(db, target, then="watch it")
            families.append(family)
        clients = Clients.for_db(args.db, via=args.via)
        probe = HeadProbe(clients.hub(), token=settings.secret("GITHUB_TOKEN"))
        code = 0
        while True:
            code = 0
            for family in families:
                seen = look(db, family, probe, clients)
                show(seen, args.format, sys.stdout)
                code = max(code, exit_code(seen))
            if args.interval is None or args.once:
                return code
            try:
                time.sleep(args.interval)
            except KeyboardInterrupt:
                return code
    finally:
        db.close()


def exit_code(seen: Look) -> int:
    if seen.offline or not seen.ok:
        return 1
    return 3 if seen.became_stale else 0


def show(seen: Look, fmt: str, out: TextIO) -> None:
    """One look as a table (a heading line, one line per repository) or one JSON line."""
    if fmt == "json":
        print(json.dumps(seen.to_dict(), default=str), file=out, flush=True)
        return
    fetched = {(f.platform, f.repo): f for f in (seen.fetch.repos if seen.fetch else ())}
    extra = f" + {seen.fetch.requests} to fetch" if seen.fetch else ""
    print(
        f"{seen.family}: looked {seen.looked_at:%Y-%m-%d %H:%M} UTC, "
        f"{seen.requests} requests{extra}; {len(seen.changed)} changed",
        file=out,
    )
    width = max((len(r.repo) for r in seen.repos), default=0)
    for r in seen.repos:
        f = fetched.get((r.platform, r.repo))
        if r.status in (MOVED, NEW):
            what = f"{_short(r.before)} -> {_short(r.now)}"
            what += f"  (+{f.n_new} commits fetched)" if f and f.status != "failed" else ""
            what += f"  FETCH FAILED: {f.error}" if f and f.status == "failed" else ""
        elif r.status in (DELETED, GONE):
            what = "deleted on the Hub (404); its cached commits are kept"
        elif r.status == FAILED:
            what = f"not looked at: {r.error}"
        else:
            what = _short(r.now or r.before)
        print(f"  {r.platform}  {r.repo:<{width}}  {r.status:<9}  {what}", file=out)
    if seen.offline:
        print(
            "  nothing could be reached (network down?); nothing was fetched and the cache "
            "is unchanged.",
            file=out,
        )
    for v in seen.became_stale:
        print(f"  became stale: {v} (GitHub moved after its last commit)", file=out)
    others = [v for v in seen.stale if v not in seen.became_stale]
    if others:
        print(f"  still stale: {', '.join(others)}", file=out)
    out.flush()


def _short(sha: str | None) -> str:
    return sha[:10] if sha else "-"
