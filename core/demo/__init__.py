"""A small real family shipped with SyncLens, seeded into an empty cache so a fresh, offline
install shows real content at once (data and sources: `data/README.md`).

The demo's repositories are recorded as fetched by the backend `demo`: cached data like any
other, so every page and command works on it offline; with network a refresh lists the live
histories (the Hub's listing drops the demo's HF placeholders, whose ids it never lists).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import sqlite_utils

from core import store
from core.records import CommitRecord, Family, FamilyMember, ModelInfo

DATA = Path(__file__).resolve().parent / "data" / "qwen-vl.json"
BACKEND = "demo"
SWITCH = "SYNCLENS_DEMO"  # "0" keeps an empty cache empty


def enabled() -> bool:
    """Whether the app seeds the demo into an empty cache ($SYNCLENS_DEMO is not "0")."""
    return os.environ.get(SWITCH, "1") != "0"


@dataclass(frozen=True)
class Demo:
    """The demo family, its commits and what the Hub said of its model, ready to save."""

    family: Family
    commits: tuple[CommitRecord, ...]
    models: tuple[ModelInfo, ...]


@cache
def demo() -> Demo:
    """The shipped demo family (read once)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    fam = data["family"]
    family = Family(
        fam["name"], fam["github_repo"], tuple(FamilyMember(*m) for m in fam["members"])
    )
    commits = tuple(
        CommitRecord(
            platform=c["platform"],
            repo=c["repo"],
            sha=c["sha"],
            authored_at=store.from_iso(c["authored_at"]),  # type: ignore[arg-type]
            committed_at=store.from_iso(c["committed_at"]),
            title=c["title"],
            author_name=c["author_name"],
        )
        for c in data["commits"]
    )
    models = tuple(
        ModelInfo(
            model_id=m["model_id"],
            created_at=store.from_iso(m["created_at"]),
            last_modified=store.from_iso(m["last_modified"]),
            downloads=m["downloads"],
            likes=m["likes"],
            pipeline_tag=m["pipeline_tag"],
        )
        for m in data["models"]
    )
    return Demo(family, commits, models)


def seed_demo(db: sqlite_utils.Database) -> Family | None:
    """Save the demo family into `db` when it holds no family yet; the family, or None."""
    if store.list_families(db):
        return None
    shipped = demo()
    store.save_family(db, shipped.family)
    infos = {m.model_id: m for m in shipped.models}
    repos = [("HF", v) for v in shipped.family.variants] + [("GH", shipped.family.github_repo)]
    for platform, repo in repos:
        assert repo is not None
        run = store.start_run(db, platform, repo, BACKEND)
        records = [c for c in shipped.commits if c.platform == platform and c.repo == repo]
        store.complete_fetch(db, run, platform, repo, records, info=infos.get(repo))
    return shipped.family


def is_demo(db: sqlite_utils.Database, family: Family) -> bool:
    """Whether `family`'s cached data is still the shipped demo (never refreshed)."""
    repos = [("HF", v) for v in family.variants]
    if family.github_repo:
        repos.append(("GH", family.github_repo))
    runs = [store.last_complete_run(db, p, r) for p, r in repos]
    return any(run is not None and run["backend"] == BACKEND for run in runs)
