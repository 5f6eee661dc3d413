"""`python -m core fetch TARGET`: fetch a family's HF and GitHub commits into the cache."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from typing import TextIO

from core import store
from core.ingest.choose import choose_family, fetch_choice
from core.ingest.clients import Clients
from core.ingest.fetch import FetchReport, RepoFetch

DESCRIPTION = """\
Fetch every commit of a family (its HF variants and its GitHub repository) into the SQLite
cache, with a progress bar on stderr and one line per repository on stdout.

TARGET is anything `family` accepts; an unknown target is resolved first (and saved).
Repositories fetched completely before are served from the cache without network;
--refresh asks only for what is new (one request per unchanged repository); --full lists
everything again. A failing repository does not stop the others: its previous data stays
usable and the report says how old it is. Exit code 1 when any repository failed.

GitHub: --via api (PyGithub, GITHUB_TOKEN recommended), git (a partial clone under the cache
folder, no quota) or auto (git when no token is set or the history is long). Tokens come
from the environment or .streamlit/secrets.toml and are never printed.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "fetch",
        help="fetch a family's commits (HF + GitHub) into the cache",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("target", metavar="TARGET", help="HF model id/URL or GitHub repository/URL")
    p.add_argument(
        "--refresh",
        action="store_true",
        help="ask the sources for what is new since the last complete fetch",
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="list every commit again (no shortcuts; nothing is duplicated)",
    )
    p.add_argument(
        "--via",
        choices=["api", "git", "auto"],
        default="auto",
        help="GitHub backend (default: auto)",
    )
    p.add_argument(
        "--github",
        metavar="OWNER/REPO",
        help="GitHub repository, when resolving the target needs one",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    db = store.open_db(args.db)
    clients = Clients.for_db(args.db, via=args.via)
    try:
        choice = choose_family(db, args.target, clients.hub, github=args.github)
        family = choice.family
        if not choice.from_cache:
            for note in choice.notes:
                print(f"note: {note}", file=sys.stderr)
        bar = TextProgress(sys.stderr, total_repos=len(family.variants) + bool(family.github_repo))
        saved, report = fetch_choice(
            db, choice, clients, refresh=args.refresh, full=args.full, progress=bar
        )
        bar.close()
        if not choice.from_cache:
            print(
                f"{family.name}: resolved ({len(family.members)} HF variants) and saved."
                if saved is not None
                else f"{family.name}: nothing saved, no repository of it exists (or it is "
                "private); check the name.",
                file=sys.stderr,
            )
        print_report(report, sys.stdout)
    finally:
        db.close()
    return 0 if report.ok else 1


class TextProgress:
    """A plain-text progress bar on a stream: `[###....] 2/5 repo  message` (no dependency)."""

    WIDTH = 24

    def __init__(self, stream: TextIO, total_repos: int) -> None:
        self.stream = stream
        self.total = max(total_repos, 1)
        self.done: set[str] = set()
        self.tty = stream.isatty()
        self.last = 0.0

    def __call__(self, repo: str, done: int, total: int | None, message: str) -> None:
        finished = (total is not None and done >= total) or message.startswith("failed")
        if finished:
            self.done.add(repo)
        now = time.monotonic()
        if self.tty and not finished and now - self.last < 0.1:
            return
        self.last = now
        filled = round(self.WIDTH * len(self.done) / self.total)
        count = f" {done}/{total}" if total else (f" {done}" if done else "")
        line = (
            f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {len(self.done)}/{self.total} "
            f"{repo}{count} {message}"
        )
        if self.tty:
            self.stream.write("\r\x1b[2K" + line[:160])
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def print_report(report: FetchReport, out: TextIO) -> None:
    """One line per repository: platform, repo, backend, cached commits, new ones, status."""
    width = max((len(r.repo) for r in report.repos), default=0)
    for r in report.repos:
        print(
            f"{r.platform}  {r.repo:<{width}}  {r.backend:<4}  {r.n_commits:>6} commits  "
            f"{'+' + str(r.n_new) + ' new':>9}  {_status(r)}",
            file=out,
        )
    total = sum(r.n_commits for r in report.repos)
    print(
        f"{report.family}: {total} commits cached, {len(report.failed)} failed, "
        f"{report.requests} requests.",
        file=out,
    )


def _status(r: RepoFetch) -> str:
    if r.status != "failed":
        age = f" (fetched {_age(r.cached_at)})" if r.from_cache and r.cached_at else ""
        gone = f", {r.n_removed} commits rewritten away" if r.n_removed else ""
        return r.status + gone + age
    cached = (
        f"cached data from {_age(r.cached_at)} still usable"
        if r.cached_at
        else "nothing cached yet"
    )
    return f"FAILED: {r.error} [{cached}]"


def _age(iso: str | None) -> str:
    when = store.from_iso(iso)
    if when is None:
        return "never"
    delta = datetime.now(UTC) - when
    hours = delta.total_seconds() / 3600
    ago = (
        f"{hours * 60:.0f} min ago"
        if hours < 1
        else (f"{hours:.0f} h ago" if hours < 48 else f"{hours / 24:.0f} days ago")
    )
    return f"{when:%Y-%m-%d %H:%M} UTC, {ago}"
