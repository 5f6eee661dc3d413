"""Families and their members (with provenance and removals), found by name, repo or member."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from core.records import Family, FamilyMember
from core.store.db import now_iso, transaction


def save_family(db: sqlite_utils.Database, family: Family, *, removed: Iterable[str] = ()) -> None:
    """Store a family, its active members (with provenance) and its removals in one transaction.

    A member saved here is active; ids in `removed` stay stored but marked removed, so a later
    resolution does not silently bring them back (`removed_members`).
    """
    stamp = now_iso()
    with transaction(db):
        db.table("families").upsert(
            {"name": family.name, "github_repo": family.github_repo, "updated_at": stamp}, pk="name"
        )
        db.execute(
            "UPDATE families SET created_at = coalesce(created_at, ?) WHERE name = ?",
            [stamp, family.name],
        )
        for m in family.members:
            db.table("family_members").upsert(
                {
                    "family": family.name,
                    "model_id": m.model_id,
                    "source": m.source,
                    "detail": m.detail,
                    "removed": 0,
                    "added_at": stamp,
                },
                pk=("family", "model_id"),
            )
        for model_id in removed:
            db.execute(
                "INSERT INTO family_members (family, model_id, source, detail, removed, added_at) "
                "VALUES (?, ?, 'user', 'removed by hand', 1, ?) "
                "ON CONFLICT (family, model_id) DO UPDATE SET removed = 1",
                [family.name, model_id, stamp],
            )


def remove_member(db: sqlite_utils.Database, family: str, model_id: str) -> None:
    """Mark a variant removed (kept, so a later resolution does not silently re-add it)."""
    with transaction(db):
        db.execute(
            "UPDATE family_members SET removed = 1 WHERE family = ? AND model_id = ?",
            [family, model_id],
        )


def removed_members(db: sqlite_utils.Database, family: str) -> set[str]:
    """Model ids the user removed from a family (lower-case), so resolution keeps them out."""
    return {
        r[0].lower()
        for r in db.execute(
            "SELECT model_id FROM family_members WHERE family = ? AND removed = 1", [family]
        )
    }


def load_family(db: sqlite_utils.Database, name: str) -> Family | None:
    rows = list(db.query("SELECT * FROM families WHERE name = ?", [name]))
    if not rows:
        return None
    members = tuple(
        FamilyMember(r["model_id"], r["source"], r["detail"] or "")
        for r in db.query(
            "SELECT * FROM family_members WHERE family = ? AND removed = 0 ORDER BY model_id",
            [name],
        )
    )
    return Family(name=name, github_repo=rows[0]["github_repo"], members=members)


def family_name_for(github_repo: str | None, model_id: str | None = None) -> str:
    """A family is named after its GitHub repository (`owner/repo`), else `hf:<model id>`."""
    if github_repo:
        return github_repo
    return f"hf:{model_id}"


def find_family(db: sqlite_utils.Database, key: str) -> Family | None:
    """A stored family by name, GitHub repository or member model id (case-insensitive).

    When the key matches several (a GitHub repository whose id is also another family's
    model id), the family's own name wins, then its repository, then its members.
    """
    key = key.strip()
    rows = list(
        db.query(
            "SELECT name, 0 AS rank FROM families WHERE lower(name) = lower(?) "
            "UNION ALL SELECT name, 1 FROM families WHERE lower(github_repo) = lower(?) "
            "UNION ALL SELECT family, 2 FROM family_members WHERE lower(model_id) = lower(?) "
            "AND removed = 0 ORDER BY rank, name LIMIT 1",
            [key, key, key],
        )
    )
    return load_family(db, rows[0]["name"]) if rows else None


def list_families(db: sqlite_utils.Database) -> list[dict]:
    """Every stored family: name, github_repo and n_variants (members not removed), by name."""
    return list(
        db.query(
            "SELECT f.name, f.github_repo, "
            "(SELECT count(*) FROM family_members m WHERE m.family = f.name AND m.removed = 0) "
            "AS n_variants FROM families f ORDER BY lower(f.name)"
        )
    )


def data_version(db: sqlite_utils.Database, family: Family) -> tuple:
    """Changes whenever the family's cached data, labels or corrections change (a cache key)."""
    repos = [("HF", v) for v in family.variants] + (
        [("GH", family.github_repo)] if family.github_repo else []
    )
    where = " OR ".join(["(platform = ? AND repo = ?)"] * len(repos)) or "0"
    params = [x for pair in repos for x in pair]
    runs = db.execute(f"SELECT max(id), count(*) FROM fetch_runs WHERE {where}", params).fetchone()
    labels = db.execute("SELECT count(*) FROM labels").fetchone()[0]
    fixes = db.execute("SELECT count(*), max(corrected_at) FROM corrections").fetchone()
    return (family.name, family.github_repo, family.variants, *runs, labels, *fixes)
