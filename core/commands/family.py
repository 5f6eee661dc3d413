"""`python -m core family TARGET`: resolve a model family, show where each member came from, save it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from core import settings, store
from core.ingest.choose import choose_family, save_choice, unknown_removals
from core.ingest.clients import Clients
from core.ingest.resolve import apply_user_edits, load_corpus_mapping
from core.ingest.targets import parse_target
from core.records import Family

if TYPE_CHECKING:
    from core.ingest.discover import Discovery

DESCRIPTION = """\
Work out a model family: the GitHub repository and its Hugging Face variants.

TARGET is an HF model (org/model, hf:org/model, https://huggingface.co/org/model) or a GitHub
repository (gh:owner/repo, github.com/owner/repo, https://github.com/owner/repo). A bare
a/b means an HF model.

From an HF model the repository comes from its card (the paper's Algorithm 1 over the GitHub
links in its metadata and README); the other variants come from a Hub search by the owner and
the repository name, confirmed by their own cards, and from the paper's corpus mapping
(--corpus, a complete_dataset.csv-format file). Each member shows its source: card, search,
corpus or user. The family is saved in the cache; once saved, this command answers offline
(--refresh resolves it again). Removed variants stay removed on later resolutions.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "family",
        help="resolve and save a model family (GitHub repo + HF variants)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("target", metavar="TARGET", help="HF model id/URL or GitHub repository/URL")
    p.add_argument(
        "--github",
        metavar="OWNER/REPO",
        help="use this GitHub repository (when the card has none or several)",
    )
    p.add_argument(
        "--add-variant",
        metavar="ID",
        action="append",
        default=[],
        help="add an HF model to the family (repeatable)",
    )
    p.add_argument(
        "--remove-variant",
        metavar="ID",
        action="append",
        default=[],
        help="remove an HF model from the family (repeatable)",
    )
    p.add_argument(
        "--corpus",
        metavar="FILE",
        help="paper corpus mapping (complete_dataset.csv format) to add its variants",
    )
    p.add_argument(
        "--refresh",
        action="store_true",
        help="resolve again on the Hub even if the family is cached",
    )
    p.add_argument(
        "--discover",
        action="store_true",
        help="also list candidates beyond Algorithm 1 (every card link, arXiv paper pages, "
        "models built on it), with source and confidence; choose with --github/--add-variant",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    db = store.open_db(args.db)
    clients = Clients.for_db(args.db)
    try:
        target = parse_target(args.target)
        if args.discover and target.kind == "hf":
            from core.ingest.discover import discover  # the Hub client only when asked
            from core.ingest.sources.hf_discovery import HubDiscovery

            print_candidates(discover(target.id, HubDiscovery(clients.hub())), sys.stdout)
        choice = choose_family(
            db,
            args.target,
            clients.hub,
            github=args.github,
            mapping=load_corpus_mapping(Path(args.corpus)) if args.corpus else None,
            refresh=args.refresh,
        )
        for text in unknown_removals(
            apply_user_edits(choice.family, add=args.add_variant), args.remove_variant
        ):
            print(
                f"note: {text} is not a variant of {choice.family.name}; nothing removed.",
                file=sys.stderr,
            )
        edited = apply_user_edits(choice.family, add=args.add_variant, remove=args.remove_variant)
        changed = not choice.from_cache or edited != choice.family
        family = (
            save_choice(db, choice.family, add=args.add_variant, remove=args.remove_variant)
            if changed
            else choice.family
        )
        print_family(family, sys.stdout)
        for note in choice.notes:
            print(f"note: {note}", file=sys.stderr)
        where = "from the cache (--refresh resolves it again)" if choice.from_cache else "resolved"
        saved = f"; saved to {settings.db_path(args.db)}" if changed else ""
        print(f"{family.name}: {where}{saved}.", file=sys.stderr)
    finally:
        db.close()
    return 0


def print_candidates(found: Discovery, out) -> None:
    """Ranked candidates, one line each: kind, id, confidence, sources, why."""
    rows = [*found.github, *found.variants]
    print(f"candidates for {found.model_id} ({len(rows)}):", file=out)
    width = max((len(c.id) for c in rows), default=0)
    for c in rows:
        sources = " + ".join((c.source, *c.also)) + (" (derived)" if c.derived else "")
        print(
            f"  {c.kind:<7}  {c.id:<{width}}  {c.confidence:.2f}  {sources:<28}  {c.detail}",
            file=out,
        )
    for note in found.notes:
        print(f"note: {note}", file=sys.stderr)


def print_family(family: Family, out) -> None:
    """Family header, then one line per member: id, source, detail."""
    gh = family.github_repo or "(none: give one with --github OWNER/REPO)"
    print(f"family  {family.name}", file=out)
    print(f"github  {gh}", file=out)
    print(f"variants ({len(family.members)}):", file=out)
    width = max((len(m.model_id) for m in family.members), default=0)
    for m in family.members:
        print(f"  {m.model_id:<{width}}  {m.source:<6}  {m.detail}".rstrip(), file=out)
