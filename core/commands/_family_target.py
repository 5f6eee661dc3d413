"""Shared by `family`, `fetch` and `export`: turn TARGET into a family, from the cache if known."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from core import settings, store
from core.errors import InputError
from core.ingest.resolve import (
    Hub,
    Resolution,
    adopt_cached_spelling,
    cached_family,
    load_corpus_mapping,
    resolve_target,
    without_removed,
)
from core.ingest.targets import parse_target
from core.records import Family


@dataclass(frozen=True)
class FamilyChoice:
    """The family for TARGET, whether it came from the cache, and the resolution if fresh."""

    family: Family
    from_cache: bool
    resolution: Resolution | None = None


def choose_family(
    db: sqlite_utils.Database,
    text: str,
    hub_factory: Callable[[], Hub],
    *,
    github: str | None = None,
    corpus: str | None = None,
    refresh: bool = False,
) -> FamilyChoice:
    """The cached family for TARGET, or a fresh resolution (raises InputError if ambiguous).

    A fresh resolution is needed when nothing is cached, when `refresh` is set, or when
    `--github` / `--corpus` ask for something the cache cannot answer.
    """
    target = parse_target(text, prefer="hf")
    github_id = parse_target(github, prefer="gh").id if github else None
    if github and parse_target(github, prefer="gh").kind != "gh":
        raise InputError(f"--github expects a GitHub repository (owner/repo), not {github!r}.")
    cached = cached_family(db, text)
    wants_other_repo = github_id and (
        cached is None
        or cached.github_repo is None
        or cached.github_repo.lower() != github_id.lower()
    )
    if cached is not None and not refresh and not corpus and not wants_other_repo:
        return FamilyChoice(cached, from_cache=True)
    mapping = load_corpus_mapping(Path(corpus)) if corpus else None
    resolution = resolve_target(target, hub_factory(), mapping, github=github_id)
    if resolution.ambiguous:
        listing = "\n".join(f"  {i}. {repo}" for i, repo in enumerate(resolution.candidates, 1))
        raise InputError(
            f"The card of {target.id} links to several GitHub repositories:\n"
            f"{listing}\nChoose one with --github OWNER/REPO."
        )
    spelled = adopt_cached_spelling(db, resolution.family)
    family = without_removed(spelled, store.removed_members(db, spelled.name))
    return FamilyChoice(family, from_cache=False, resolution=resolution)


def cache_folder(db_arg: str | None) -> Path:
    return settings.cache_dir(settings.db_path(db_arg))
