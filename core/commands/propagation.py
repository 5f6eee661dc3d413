"""`python -m core propagation TARGET`: which GitHub file version reached which variant, when."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core import store

EXIT_NOT_MEASURED = 2  # no file history for GitHub, or for every variant: nothing to measure

DESCRIPTION = """\
Exact propagation, per file and per commit: for every file version on GitHub, the first commit
of each Hugging Face variant whose tree holds the same content (same git blob id, or the same
LFS sha256), matched by path and else by file name, and the delay in hours; links that Hub
commit messages state (a GitHub SHA or URL) and known sync bots (hub-sync,
sync_with_huggingface, Auto Sync); the share of GitHub file versions that reached each
variant, the changes that never arrived (by file and change type), the files edited on the
Hub and never sent upstream, and a per-file matrix (carried / late by N days / never).

These sit beside the paper's period-based measures (`report`), never instead of them.

File histories are read without downloading any content: a blobless git clone of the GitHub
repository and of each variant (`git log --raw`), or, where the Hub will not serve a clone
(gated, private), its tree listings, one request per new revision. A refresh reads only new
commits. The family must be in the cache (`python -m core fetch TARGET` first); --offline
uses only what is cached and clones already made. Exit 2 when nothing could be measured (no
file history for the GitHub repository, or for every variant).
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "propagation",
        help="which GitHub file version reached which HF variant, and when (exact, per file)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("target", metavar="TARGET", help="family name, GitHub repo or HF model id")
    p.add_argument(
        "--format",
        choices=["table", "json", "csv"],
        default="table",
        help="table (default), json (everything), csv (one row per file version and variant)",
    )
    p.add_argument(
        "--offline", action="store_true", help="no network: use cached file histories only"
    )
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE, not stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from core.ingest.choose import require_cached_family
    from core.ingest.clients import Clients
    from core.labeling import default_labeler
    from core.labeling.labels import label_commits
    from core.propagation.build import build_propagation
    from core.propagation.importer import import_with_clients
    from core.propagation.render import render_table, to_csv, to_dict

    db = store.open_db(args.db)
    try:
        family = require_cached_family(db, args.target)

        def say(repo: str, message: str) -> None:
            print(f"{repo}: {message}", file=sys.stderr)

        imports = import_with_clients(
            db, family, Clients.for_db(args.db), offline=args.offline, progress=say
        )
        commits, _ = label_commits(db, store.family_commits(db, family), default_labeler())
        result = build_propagation(db, family, commits)
    finally:
        db.close()
    if args.format == "json":
        text = json.dumps(to_dict(result, imports), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "csv":
        text = to_csv(result)
    else:
        text = render_table(result, imports)
    if args.output:
        target = Path(args.output)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    missing = result.missing_histories
    if missing:
        names = ", ".join(missing)
        if result.missing_github or set(family.variants) <= set(missing):
            print(
                f"error: nothing measured: no file history is cached for {names}; run it "
                "without --offline (or check the failures above).",
                file=sys.stderr,
            )
            return EXIT_NOT_MEASURED
        print(f"warning: no file history cached for {names}; they are left out.", file=sys.stderr)
    return 0
