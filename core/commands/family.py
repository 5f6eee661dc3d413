"""`python -m core family TARGET`: resolve a model family, show where each member came from, save it."""

from __future__ import annotations

import argparse
import sys

from core import settings, store
from core.commands._family_target import cache_folder, choose_family
from core.ingest.resolve import adopt_cached_spelling, apply_user_edits
from core.records import Family

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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    db = store.open_db(args.db)
    try:
        choice = choose_family(
            db,
            args.target,
            lambda: _hub(args),
            github=args.github,
            corpus=args.corpus,
            refresh=args.refresh,
        )
        added = adopt_cached_spelling(db, apply_user_edits(choice.family, add=args.add_variant))
        family = apply_user_edits(added, remove=args.remove_variant)
        ids = {m.model_id.lower(): m.model_id for m in added.members}
        for text in args.remove_variant:
            if text.strip().lower() not in ids:
                print(
                    f"note: {text} is not a variant of {added.name}; nothing removed.",
                    file=sys.stderr,
                )
        changed = not choice.from_cache or family != choice.family
        if changed:
            # Save removed members too, marked removed, so a later resolution keeps them out.
            store.save_family(db, added)
            for text in args.remove_variant:
                if text.strip().lower() in ids:
                    store.remove_member(db, family.name, ids[text.strip().lower()])
        print_family(family, sys.stdout)
        notes = choice.resolution.notes if choice.resolution else ()
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        where = "from the cache (--refresh resolves it again)" if choice.from_cache else "resolved"
        saved = f"; saved to {settings.db_path(args.db)}" if changed else ""
        print(f"{family.name}: {where}{saved}.", file=sys.stderr)
    finally:
        db.close()
    return 0


def print_family(family: Family, out) -> None:
    """Family header, then one line per member: id, source, detail."""
    gh = family.github_repo or "(none: give one with --github OWNER/REPO)"
    print(f"family  {family.name}", file=out)
    print(f"github  {gh}", file=out)
    print(f"variants ({len(family.members)}):", file=out)
    width = max((len(m.model_id) for m in family.members), default=0)
    for m in family.members:
        print(f"  {m.model_id:<{width}}  {m.source:<6}  {m.detail}".rstrip(), file=out)


def _hub(args: argparse.Namespace):
    from core.ingest.sources.hf import connect_hub

    return connect_hub(readme_dir=cache_folder(args.db) / "hf")
