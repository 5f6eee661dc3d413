"""Every table of the cache, created if missing; existing data is never touched."""

from __future__ import annotations

import sqlite_utils

from core.labeling.text import commit_text, text_hash

CORPUS_TABLES = (
    "corpus_families",
    "corpus_switches",
    "corpus_models",
    "corpus_authors",
    "corpus_dunn",
)


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create missing tables and indexes; existing data is never touched."""
    db.table("repos").create(
        {
            "platform": str,
            "repo": str,
            "default_branch": str,
            "created_at": str,
            "first_commit_at": str,
            "last_modified": str,
            "downloads": int,
            "likes": int,
            "pipeline_tag": str,
            "gated": int,
            "private": int,
            "head_sha": str,
            "card_links": str,
            "info_updated_at": str,
        },
        pk=("platform", "repo"),
        if_not_exists=True,
    )
    db.table("commits").create(
        {
            "platform": str,
            "repo": str,
            "sha": str,
            "authored_at": str,
            "committed_at": str,
            "author_name": str,
            "author_email": str,
            "author_login": str,
            "authors": str,
            "title": str,
            "message": str,
            "text": str,
            "run_id": int,
            "text_hash": str,
        },
        pk=("platform", "repo", "sha"),
        if_not_exists=True,
    )
    _number_commit_writes(db)  # before any write below: every write is numbered
    _add_text_hashes(db)
    db.table("commits").create_index(["platform", "repo", "authored_at"], if_not_exists=True)
    db.table("families").create(
        {"name": str, "github_repo": str, "created_at": str, "updated_at": str},
        pk="name",
        if_not_exists=True,
    )
    db.table("family_members").create(
        {
            "family": str,
            "model_id": str,
            "source": str,
            "detail": str,
            "removed": int,
            "added_at": str,
        },
        pk=("family", "model_id"),
        if_not_exists=True,
    )
    db.table("fetch_runs").create(
        {
            "id": int,
            "platform": str,
            "repo": str,
            "backend": str,
            "started_at": str,
            "ended_at": str,
            "status": str,
            "n_pages": int,
            "n_commits": int,
            "n_new": int,
            "error": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db.table("fetch_runs").create_index(["platform", "repo", "status"], if_not_exists=True)
    _label_platforms(db)
    db.table("labels").create(
        {
            "text_hash": str,
            "platform": str,
            "labeler": str,
            "prompt_version": str,
            "label": str,
            "confidence": float,
            "created_at": str,
        },
        pk=("text_hash", "platform", "labeler", "prompt_version"),
        not_null={"platform"},
        defaults={"platform": ""},
        if_not_exists=True,
    )
    db.table("corrections").create(
        {"text_hash": str, "label": str, "text": str, "corrected_at": str, "note": str},
        pk="text_hash",
        if_not_exists=True,
    )
    ensure_corpus_schema(db)
    ensure_files_schema(db)
    ensure_heads_schema(db)


def _number_commit_writes(db: sqlite_utils.Database) -> None:
    """One number counting every write to the commits, kept by SQLite triggers whatever path
    writes (see `core.store.frames`), and the table of the frames copied under it. One
    counter for all repositories: a counter per repository needed a look-up by repository
    per written row; this one costs about 2 µs a row (a tenth of `save_commits`)."""
    db.execute("CREATE TABLE IF NOT EXISTS commit_writes (n INTEGER NOT NULL)")
    db.execute("INSERT INTO commit_writes SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM commit_writes)")
    for event in ("INSERT", "UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER IF NOT EXISTS commits_{event.lower()}_counted AFTER {event} ON "
            "commits BEGIN UPDATE commit_writes SET n = n + 1; END"
        )
    db.execute(
        "CREATE TABLE IF NOT EXISTS family_frames (name TEXT PRIMARY KEY, stamp TEXT NOT NULL, "
        "frame BLOB NOT NULL)"
    )


def _add_text_hashes(db: sqlite_utils.Database) -> None:
    """Commits cached before the label key was stored with them get it once, here (so that
    labels are looked up without cleaning any text again)."""
    if "text_hash" in db["commits"].columns_dict:
        return
    with db.atomic():  # a savepoint of open_db's transaction: all of it or none
        db.execute("ALTER TABLE commits ADD COLUMN text_hash TEXT")
        last = 0
        while True:
            rows = db.execute(
                "SELECT rowid, platform, title, message FROM commits WHERE rowid > ? "
                "ORDER BY rowid LIMIT 20000",
                [last],
            ).fetchall()
            if not rows:
                break
            db.conn.executemany(
                "UPDATE commits SET text_hash = ? WHERE rowid = ?",
                [(text_hash(commit_text(p, t, m)), r) for r, p, t, m in rows],
            )
            last = rows[-1][0]


def _label_platforms(db: sqlite_utils.Database) -> None:
    """Labels cached before the platform was part of their key keep standing for both
    platforms (platform ''), as they did; see `core.store.labels`."""
    if "labels" not in db.table_names() or "platform" in db["labels"].columns_dict:
        return
    with db.atomic():  # a savepoint of open_db's transaction: all of it or none
        db.execute("ALTER TABLE labels RENAME TO labels_without_platform")
        db.execute(
            "CREATE TABLE labels (text_hash TEXT, platform TEXT NOT NULL DEFAULT '', "
            "labeler TEXT, prompt_version TEXT, label TEXT, confidence FLOAT, created_at TEXT, "
            "PRIMARY KEY (text_hash, platform, labeler, prompt_version))"
        )
        db.execute(
            "INSERT INTO labels (text_hash, platform, labeler, prompt_version, label, "
            "created_at) SELECT text_hash, '', labeler, prompt_version, label, created_at "
            "FROM labels_without_platform"
        )
        db.execute("DROP TABLE labels_without_platform")


def ensure_corpus_schema(db: sqlite_utils.Database) -> None:
    """Create the corpus and batch tables if missing."""
    db.table("corpus_families").create(
        {
            "corpus": str,
            "family": str,
            "family_key": str,
            "owner": str,
            "github_repo": str,
            "lag": str,
            "sync_type": str,
            "intensity": str,
            "pattern": str,
            "generated": str,
            "n_variants": int,
            "mean_age_days": float,
            "age_group": str,
            "similarity": float,
            "excluded": int,
            "exclusion_reason": str,
            "early_lag": str,
            "late_lag": str,
            "early_pattern": str,
            "late_pattern": str,
            "co_active_periods": int,
        },
        pk=("corpus", "family"),
        if_not_exists=True,
    )
    db.table("corpus_switches").create(
        {
            "corpus": str,
            "family": str,
            "seq": int,
            "source": str,
            "target": str,
            "prev": str,
            "next": str,
            "days": int,
        },
        pk=("corpus", "family", "seq"),
        if_not_exists=True,
    )
    db.table("corpus_models").create(
        {
            "corpus": str,
            "model_id": str,
            "family": str,
            "downloads": int,
            "likes": int,
            "created": str,
            "pipeline_tag": str,
        },
        pk=("corpus", "model_id"),
        if_not_exists=True,
    )
    db.table("corpus_authors").create(
        {"corpus": str, "family": str, "n_gh": int, "n_hf": int, "n_common": int},
        pk=("corpus", "family"),
        if_not_exists=True,
    )
    db.table("corpus_dunn").create(
        {"corpus": str, "row": str, "col": str, "p": float},
        pk=("corpus", "row", "col"),
        if_not_exists=True,
    )
    db.table("corpus_imports").create(
        {
            "corpus": str,
            "origin": str,
            "imported_at": str,
            "n_families": int,
            "n_switches": int,
            "n_skipped": int,
            "detail": str,
        },
        pk="corpus",
        if_not_exists=True,
    )
    db.table("batch_items").create(
        {
            "batch": str,
            "position": int,
            "target": str,
            "family": str,
            "status": str,
            "kind": str,
            "error": str,
            "attempts": int,
            "updated_at": str,
        },
        pk=("batch", "target"),
        if_not_exists=True,
    )


def ensure_files_schema(db: sqlite_utils.Database) -> None:
    """Create the file-history tables (core.propagation) if missing.

    `file_commits` marks every commit whose file changes were read (even a merge that changed
    nothing), so a refresh reads only new ones; `file_changes` holds one row per path a commit
    added (A), modified (M), deleted (D) or changed type (T), with the new blob id and, when
    known, the LFS sha256; `file_sources` says how each repository's files were read.
    """
    db.table("file_commits").create(
        {"platform": str, "repo": str, "sha": str, "authored_at": str, "parents": str},
        pk=("platform", "repo", "sha"),
        if_not_exists=True,
    )
    db.table("file_changes").create(
        {
            "platform": str,
            "repo": str,
            "sha": str,
            "path": str,
            "change": str,
            "blob_id": str,
            "lfs_sha256": str,
            "lfs_size": int,
        },
        pk=("platform", "repo", "sha", "path"),
        if_not_exists=True,
    )
    db.table("file_sources").create(
        {
            "platform": str,
            "repo": str,
            "source": str,
            "detail": str,
            "requests": int,
            "n_commits": int,
            "updated_at": str,
        },
        pk=("platform", "repo"),
        if_not_exists=True,
    )


def ensure_heads_schema(db: sqlite_utils.Database) -> None:
    """Create the `watched_heads` table if missing (caches made before `watch` get it here)."""
    db.table("watched_heads").create(
        {
            "platform": str,
            "repo": str,
            "sha": str,
            "etag": str,
            "status": str,
            "looked_at": str,
        },
        pk=("platform", "repo"),
        if_not_exists=True,
    )
