"""The one path from what the user typed to a saved family: cache first, else resolution,
the user's additions and removals applied, spelled as the cache knows it, saved at once.

Every face uses it — the Family page, `family`, `fetch`, `batch` — so a variant the user
removed stays removed whichever way the family is reached again. `fetch_choice` is the
resolve-save-fetch of `fetch` and `batch`: a fresh family is saved only once its fetch shows
that it exists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import pandas as pd
import sqlite_utils

from core import store
from core.errors import InputError
from core.ingest.fetch import FetchReport, Progress, update_family
from core.ingest.resolve import (
    Hub,
    Resolution,
    adopt_cached_spelling,
    apply_user_edits,
    cached_family,
    resolve_target,
    without_removed,
)
from core.ingest.targets import parse_target
from core.records import Family


@dataclass(frozen=True)
class FamilyChoice:
    """The family for a target, whether it came from the cache, and the resolution if fresh.

    A fresh family is not saved yet: the caller shows it (and may edit it) and then calls
    `save_choice`. `ambiguous` is set when the card links several repositories and the
    caller asked to see them (`allow_ambiguous=True`) instead of an error.
    """

    family: Family
    from_cache: bool
    resolution: Resolution | None = None

    @property
    def ambiguous(self) -> bool:
        return self.resolution is not None and self.resolution.ambiguous

    @property
    def candidates(self) -> tuple[str, ...]:
        return self.resolution.candidates if self.resolution else ()

    @property
    def notes(self) -> tuple[str, ...]:
        return self.resolution.notes if self.resolution else ()


def choose_family(
    db: sqlite_utils.Database,
    text: str,
    hub_factory: Callable[[], Hub],
    *,
    prefer: Literal["hf", "gh"] = "hf",
    github: str | None = None,
    mapping: pd.DataFrame | None = None,
    refresh: bool = False,
    search: bool = True,
    allow_ambiguous: bool = False,
) -> FamilyChoice:
    """The cached family for `text`, or a fresh resolution with earlier removals applied.

    A fresh resolution is needed when nothing is cached, when `refresh` is set, or when
    `github` / `mapping` ask for something the cache cannot answer. Raises InputError when
    the card links several repositories, unless `allow_ambiguous`.
    """
    target = parse_target(text, prefer=prefer)
    github_id = None
    if github:
        chosen = parse_target(github, prefer="gh")
        if chosen.kind != "gh":
            raise InputError(f"--github expects a GitHub repository (owner/repo), not {github!r}.")
        github_id = chosen.id
    cached = cached_family(db, text)
    wants_other_repo = github_id is not None and (
        cached is None
        or cached.github_repo is None
        or cached.github_repo.lower() != github_id.lower()
    )
    if cached is not None and not refresh and mapping is None and not wants_other_repo:
        return FamilyChoice(cached, from_cache=True)
    resolution = resolve_target(target, hub_factory(), mapping, github=github_id, search=search)
    if resolution.ambiguous and not allow_ambiguous:
        listing = "\n".join(f"  {i}. {repo}" for i, repo in enumerate(resolution.candidates, 1))
        raise InputError(
            f"The card of {target.id} links to several GitHub repositories:\n"
            f"{listing}\nChoose one with --github OWNER/REPO."
        )
    if not resolution.family.variants and cached is not None and cached.variants:
        # a fresh look that finds no variant at all (a search down, another spelling) never
        # empties a family the cache knows: its variants stay
        return FamilyChoice(cached, from_cache=True)
    return FamilyChoice(_as_cached(db, resolution.family), from_cache=False, resolution=resolution)


def _as_cached(db: sqlite_utils.Database, family: Family) -> Family:
    spelled = adopt_cached_spelling(db, family)
    return without_removed(spelled, store.removed_members(db, spelled.name))


def save_choice(
    db: sqlite_utils.Database,
    family: Family,
    *,
    github_repo: str | None = None,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
) -> Family:
    """Save `family` with the user's edits in one transaction and return what is now active.

    `github_repo` sets the repository (a choice among candidates, or one typed by hand) and
    names a new family after it. Ids in `add` become members even if removed before; ids in
    `remove` are kept out now and by later resolutions.
    """
    if github_repo and github_repo != family.github_repo:
        named = family.github_repo is None or family.name == family.github_repo
        family = replace(
            family,
            github_repo=github_repo,
            name=store.family_name_for(github_repo) if named else family.name,
        )
    edited = adopt_cached_spelling(db, apply_user_edits(family, add=add))
    wanted = {x.strip().lower() for x in remove if x.strip()}
    removed = [m.model_id for m in edited.members if m.model_id.lower() in wanted]
    active = apply_user_edits(edited, remove=removed)
    if not active.variants:
        where = f"github.com/{active.github_repo}" if active.github_repo else active.name
        raise InputError(
            f"No Hugging Face model was found for {where}, so there is nothing to compare "
            "and nothing was saved. Check the spelling, or name the variants yourself "
            "(`python -m core family TARGET --add ORG/MODEL`, or Add variants on the Family "
            "page)."
        )
    store.save_family(db, active, removed=removed)
    return active


def unknown_removals(family: Family, remove: Sequence[str]) -> list[str]:
    """The ids in `remove` that are not members of `family` (nothing to remove for them)."""
    ids = {m.model_id.lower() for m in family.members}
    return [x for x in remove if x.strip() and x.strip().lower() not in ids]


def fetch_choice(
    db: sqlite_utils.Database,
    choice: FamilyChoice,
    sources,
    *,
    refresh: bool = False,
    full: bool = False,
    progress: Progress | None = None,
) -> tuple[Family | None, FetchReport]:
    """Fetch the chosen family; a fresh one is saved unless every repository of it turned
    out not to exist (`gh:nope/nope` leaves no empty family behind).

    Returns the saved family (None when nothing was saved) and the fetch report.
    """
    report = update_family(
        db, choice.family, sources, refresh=refresh, full=full, progress=progress
    )
    if choice.from_cache:
        return choice.family, report
    return (None if report.missing else save_choice(db, choice.family)), report


def require_cached_family(db: sqlite_utils.Database, text: str, then: str = "") -> Family:
    """`cached_family`, or an InputError saying to fetch it first (`then`: what comes after,
    e.g. "audit it"); for the commands that read the cache only."""
    family = cached_family(db, text)
    if family is None:
        after = f", then {then}" if then else ""
        raise InputError(
            f"{text} is not in the cache (not a cached family, GitHub repository or "
            f"variant); run `python -m core fetch {text}` first{after}.{_if_empty(db)}"
        )
    return family


def _if_empty(db: sqlite_utils.Database) -> str:
    """A hint when the cache holds no family at all: a mistyped --db makes a new, empty one."""
    if db.execute("SELECT 1 FROM families LIMIT 1").fetchone():
        return ""
    path = next((row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"), "")
    return f" The cache{f' at {path}' if path else ''} holds no family yet (if you meant another, check --db)."
