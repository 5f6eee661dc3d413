"""The SQLite cache: schema, connection settings, and every write SyncLens makes.

One file shared by app sessions and the CLI (WAL mode, busy timeout). Writes that belong
together happen in one transaction (`with db.conn:`). Times are stored as fixed-width UTC
ISO strings (`2024-01-02T03:04:05.000000Z`) so they sort as text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import sqlite_utils

from core.labeling.text import commit_text
from core.records import CommitRecord, Family, FamilyMember, ModelInfo
from core.settings import db_path

BUSY_TIMEOUT_MS = 10_000


def to_iso(dt: datetime | None) -> str | None:
    """Fixed-width UTC text for a datetime (naive means UTC)."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def now_iso() -> str:
    return to_iso(datetime.now(UTC))  # type: ignore[return-value]


def open_db(path: str | Path | None = None, *, memory: bool = False) -> sqlite_utils.Database:
    """Open (and create if needed) the cache with WAL, a busy timeout and the schema."""
    if memory:
        db = sqlite_utils.Database(memory=True)
    else:
        file = db_path(path)
        file.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(file)
        db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys=ON")
    ensure_schema(db)
    return db


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
        },
        pk=("platform", "repo", "sha"),
        if_not_exists=True,
    )
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
    db.table("labels").create(
        {"text_hash": str, "labeler": str, "prompt_version": str, "label": str, "created_at": str},
        pk=("text_hash", "labeler", "prompt_version"),
        if_not_exists=True,
    )
    db.table("corrections").create(
        {"text_hash": str, "label": str, "text": str, "corrected_at": str, "note": str},
        pk="text_hash",
        if_not_exists=True,
    )
    ensure_corpus_schema(db)


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One atomic write: everything inside commits together or not at all."""
    with db.conn:
        yield


# --- commits -------------------------------------------------------------------------------


def commit_row(rec: CommitRecord, run_id: int | None = None) -> dict:
    return {
        "platform": rec.platform,
        "repo": rec.repo,
        "sha": rec.sha,
        "authored_at": to_iso(rec.authored_at),
        "committed_at": to_iso(rec.committed_at),
        "author_name": rec.author_name,
        "author_email": rec.author_email,
        "author_login": rec.author_login,
        "authors": json.dumps(list(rec.authors)),
        "title": rec.title,
        "message": rec.message,
        "text": commit_text(rec.platform, rec.title, rec.message),
        "run_id": run_id,
    }


def save_commits(
    db: sqlite_utils.Database, records: Iterable[CommitRecord], run_id: int | None = None
) -> int:
    """Upsert commits (unique per platform+repo+sha) in one transaction; returns how many new."""
    rows = [commit_row(r, run_id) for r in records]
    if not rows:
        return 0
    with transaction(db):
        before = db.execute("SELECT count(*) FROM commits").fetchone()[0]
        db.table("commits").upsert_all(rows, pk=("platform", "repo", "sha"))
        after = db.execute("SELECT count(*) FROM commits").fetchone()[0]
    return after - before


def known_shas(db: sqlite_utils.Database, platform: str, repo: str) -> set[str]:
    return {
        r[0]
        for r in db.execute(
            "SELECT sha FROM commits WHERE platform = ? AND repo = ?", [platform, repo]
        )
    }


def latest_commit_time(db: sqlite_utils.Database, platform: str, repo: str) -> datetime | None:
    row = db.execute(
        "SELECT max(authored_at) FROM commits WHERE platform = ? AND repo = ?", [platform, repo]
    ).fetchone()
    return from_iso(row[0]) if row else None


# --- fetch runs ----------------------------------------------------------------------------


def start_run(db: sqlite_utils.Database, platform: str, repo: str, backend: str) -> int:
    with transaction(db):
        table = db.table("fetch_runs").insert(
            {
                "platform": platform,
                "repo": repo,
                "backend": backend,
                "started_at": now_iso(),
                "status": "running",
                "n_pages": 0,
                "n_commits": 0,
                "n_new": 0,
            }
        )
    return int(table.last_pk)  # type: ignore[arg-type]


def finish_run(
    db: sqlite_utils.Database,
    run_id: int,
    *,
    status: str,
    n_pages: int = 0,
    n_commits: int = 0,
    n_new: int = 0,
    error: str | None = None,
) -> None:
    """Close a run: `complete` only when every page arrived, else `failed` with the error."""
    with transaction(db):
        db.table("fetch_runs").update(
            run_id,
            {
                "status": status,
                "ended_at": now_iso(),
                "n_pages": n_pages,
                "n_commits": n_commits,
                "n_new": n_new,
                "error": error,
            },
        )


def last_complete_run(db: sqlite_utils.Database, platform: str, repo: str) -> dict | None:
    rows = list(
        db.query(
            "SELECT * FROM fetch_runs WHERE platform = ? AND repo = ? AND status = 'complete' "
            "ORDER BY ended_at DESC LIMIT 1",
            [platform, repo],
        )
    )
    return rows[0] if rows else None


# --- repositories and families -------------------------------------------------------------


def save_model_info(db: sqlite_utils.Database, info: ModelInfo) -> None:
    with transaction(db):
        db.table("repos").upsert(
            {
                "platform": "HF",
                "repo": info.model_id,
                "created_at": to_iso(info.created_at),
                "first_commit_at": to_iso(info.first_commit_at),
                "last_modified": to_iso(info.last_modified),
                "downloads": info.downloads,
                "likes": info.likes,
                "pipeline_tag": info.pipeline_tag,
                "gated": int(info.gated),
                "private": int(info.private),
                "head_sha": info.sha,
                "card_links": json.dumps(list(info.card_links)),
                "info_updated_at": now_iso(),
            },
            pk=("platform", "repo"),
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


def model_infos(db: sqlite_utils.Database, model_ids: Iterable[str]) -> dict[str, dict]:
    """What the Hub said of each model (the `repos` rows), keyed by model id."""
    ids = list(model_ids)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = db.query(f"SELECT * FROM repos WHERE platform = 'HF' AND repo IN ({marks})", ids)
    return {r["repo"]: r for r in rows}


def save_family(db: sqlite_utils.Database, family: Family) -> None:
    """Store a family definition and its members (with provenance) in one transaction."""
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


def remove_member(db: sqlite_utils.Database, family: str, model_id: str) -> None:
    """Mark a variant removed (kept, so a later resolution does not silently re-add it)."""
    with transaction(db):
        db.execute(
            "UPDATE family_members SET removed = 1 WHERE family = ? AND model_id = ?",
            [family, model_id],
        )


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


def family_commits(db: sqlite_utils.Database, family: Family) -> pd.DataFrame:
    """All cached commits of a family as the engine's frame (one row per commit).

    Columns: family, platform, model (HF id; empty for GH), repo, sha, timestamp (UTC),
    committed_at, author_name, author_email, author_login, authors, title, message, text.
    """
    repos: list[tuple[str, str]] = [("HF", v) for v in family.variants]
    if family.github_repo:
        repos.append(("GH", family.github_repo))
    if not repos:
        return _empty_commits()
    where = " OR ".join(["(platform = ? AND repo = ?)"] * len(repos))
    params = [x for pair in repos for x in pair]
    frame = pd.read_sql_query(f"SELECT * FROM commits WHERE {where}", db.conn, params=params)
    if frame.empty:
        return _empty_commits()
    frame["family"] = family.name
    frame["model"] = frame["repo"].where(frame["platform"] == "HF", "")
    frame["timestamp"] = pd.to_datetime(frame["authored_at"], utc=True, format="ISO8601")
    frame["committed_at"] = pd.to_datetime(frame["committed_at"], utc=True, format="ISO8601")
    frame = frame.drop(columns=["authored_at", "run_id"])
    return frame.sort_values(["timestamp", "platform", "repo"], kind="stable").reset_index(
        drop=True
    )


def _empty_commits() -> pd.DataFrame:
    cols = [
        "family",
        "platform",
        "model",
        "repo",
        "sha",
        "timestamp",
        "committed_at",
        "author_name",
        "author_email",
        "author_login",
        "authors",
        "title",
        "message",
        "text",
    ]
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    return frame


# --- corpus and batch (issue 6: corpus explorer, `corpus import`, `batch`) ------------------
# The paper's replication data (corpus = "paper") and the families analysed in SyncLens
# (corpus = "mine") live in their own tables, so re-importing one never touches the other or
# the commit cache. `batch_items` remembers each line of a `batch` run so it can resume.

CORPUS_TABLES = (
    "corpus_families",
    "corpus_switches",
    "corpus_models",
    "corpus_authors",
    "corpus_dunn",
)


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


def replace_corpus(
    db: sqlite_utils.Database,
    corpus: str,
    tables: dict[str, list[dict]],
    *,
    origin: str,
    n_skipped: int = 0,
    detail: dict | None = None,
) -> None:
    """Replace every row of one corpus (all five tables) in one transaction.

    `tables` maps a table name from CORPUS_TABLES to its rows (without the `corpus` column).
    A table left out is emptied for this corpus, so a re-import is exactly idempotent.
    """
    with transaction(db):
        for name in CORPUS_TABLES:
            db.execute(f"DELETE FROM {name} WHERE corpus = ?", [corpus])
            rows = [{**row, "corpus": corpus} for row in tables.get(name, [])]
            if rows:
                db.table(name).insert_all(rows)
        db.table("corpus_imports").upsert(
            {
                "corpus": corpus,
                "origin": origin,
                "imported_at": now_iso(),
                "n_families": len(tables.get("corpus_families", [])),
                "n_switches": len(tables.get("corpus_switches", [])),
                "n_skipped": n_skipped,
                "detail": json.dumps(detail or {}),
            },
            pk="corpus",
        )


def corpus_import_info(db: sqlite_utils.Database, corpus: str) -> dict | None:
    """When and from where a corpus was last imported (None if never)."""
    rows = list(db.query("SELECT * FROM corpus_imports WHERE corpus = ?", [corpus]))
    return rows[0] if rows else None


def corpus_version(db: sqlite_utils.Database) -> tuple:
    """Changes whenever a corpus is re-imported or a label/correction is added (a cache key)."""
    imports = tuple(
        tuple(r)
        for r in db.execute(
            "SELECT corpus, imported_at, n_families FROM corpus_imports ORDER BY corpus"
        )
    )
    labels = db.execute("SELECT count(*) FROM labels").fetchone()[0]
    fixes = db.execute("SELECT count(*), max(corrected_at) FROM corrections").fetchone()
    return (imports, labels, *fixes)


def load_corpus_table(db: sqlite_utils.Database, name: str, corpora: Iterable[str]) -> pd.DataFrame:
    """All rows of one corpus table for the given corpora, as a DataFrame."""
    if name not in CORPUS_TABLES:
        raise ValueError(f"unknown corpus table {name!r}")
    wanted = list(corpora)
    marks = ", ".join("?" * len(wanted)) or "NULL"
    return pd.read_sql_query(
        f"SELECT * FROM {name} WHERE corpus IN ({marks})", db.conn, params=wanted
    )


def add_batch_items(db: sqlite_utils.Database, batch: str, targets: Iterable[str]) -> None:
    """Register a batch's targets as pending; targets already known keep their status."""
    stamp = now_iso()
    with transaction(db):
        for position, target in enumerate(targets):
            db.execute(
                "INSERT OR IGNORE INTO batch_items (batch, position, target, status, attempts,"
                " updated_at) VALUES (?, ?, ?, 'pending', 0, ?)",
                [batch, position, target, stamp],
            )


def set_batch_status(
    db: sqlite_utils.Database,
    batch: str,
    target: str,
    status: str,
    *,
    family: str | None = None,
    kind: str | None = None,
    error: str | None = None,
) -> None:
    """Record one item's outcome: done, failed, or pending (rate limited, to retry)."""
    with transaction(db):
        db.execute(
            "UPDATE batch_items SET status = ?, family = coalesce(?, family), kind = ?, "
            "error = ?, attempts = attempts + 1, updated_at = ? WHERE batch = ? AND target = ?",
            [status, family, kind, error, now_iso(), batch, target],
        )


def batch_items(db: sqlite_utils.Database, batch: str) -> list[dict]:
    """Every item of a batch in input order."""
    return list(db.query("SELECT * FROM batch_items WHERE batch = ? ORDER BY position", [batch]))


# --- change-type labels and corrections (issue 4; used by core/labels.py) -----------------

_SQL_CHUNK = 500  # stay well under SQLite's bound-parameter limit


def cached_labels(
    db: sqlite_utils.Database, hashes: Iterable[str], labeler: str, version: str
) -> dict[str, str]:
    """Labels already stored for these text hashes by one labeler version."""
    keys, found = list(dict.fromkeys(hashes)), {}
    for i in range(0, len(keys), _SQL_CHUNK):
        chunk = keys[i : i + _SQL_CHUNK]
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
            f"SELECT text_hash, label FROM labels WHERE labeler = ? AND prompt_version = ? "
            f"AND text_hash IN ({marks})",
            [labeler, version, *chunk],
        ):
            found[row[0]] = row[1]
    return found


def save_labels(
    db: sqlite_utils.Database, labels: dict[str, str], labeler: str, version: str
) -> None:
    """Store new labels (text hash -> label) for one labeler version in one transaction."""
    if not labels:
        return
    stamp = now_iso()
    rows = [
        {
            "text_hash": h,
            "labeler": labeler,
            "prompt_version": version,
            "label": lb,
            "created_at": stamp,
        }
        for h, lb in labels.items()
    ]
    with transaction(db):
        db.table("labels").insert_all(
            rows, pk=("text_hash", "labeler", "prompt_version"), replace=True, batch_size=1000
        )


def corrections_for(db: sqlite_utils.Database, hashes: Iterable[str]) -> dict[str, str]:
    """User corrections (text hash -> label) for these text hashes."""
    keys, found = list(dict.fromkeys(hashes)), {}
    for i in range(0, len(keys), _SQL_CHUNK):
        chunk = keys[i : i + _SQL_CHUNK]
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
            f"SELECT text_hash, label FROM corrections WHERE text_hash IN ({marks})", chunk
        ):
            found[row[0]] = row[1]
    return found


def save_corrections(db: sqlite_utils.Database, rows: list[dict]) -> None:
    """Upsert corrections (`text_hash, text, label, note`) in one transaction."""
    if not rows:
        return
    stamp = now_iso()
    with transaction(db):
        db.table("corrections").upsert_all(
            [{**r, "corrected_at": r.get("corrected_at") or stamp} for r in rows], pk="text_hash"
        )


def load_corrections(db: sqlite_utils.Database) -> pd.DataFrame:
    """Every stored correction, oldest first."""
    return pd.read_sql_query(
        "SELECT text_hash, text, label, note, corrected_at FROM corrections "
        "ORDER BY corrected_at, text_hash",
        db.conn,
    )


# --- fetch bookkeeping (issue 3: core/fetch.py, core/resolve.py) ---------------------------


def head_sha(db: sqlite_utils.Database, platform: str, repo: str) -> str | None:
    """The repository head recorded by the last complete fetch (HF: the Hub's `sha`)."""
    row = db.execute(
        "SELECT head_sha FROM repos WHERE platform = ? AND repo = ?", [platform, repo]
    ).fetchone()
    return row[0] if row else None


def latest_committed_time(db: sqlite_utils.Database, platform: str, repo: str) -> datetime | None:
    """Newest committer date cached for a repo (author date when none), for `since`."""
    row = db.execute(
        "SELECT max(coalesce(committed_at, authored_at)) FROM commits "
        "WHERE platform = ? AND repo = ?",
        [platform, repo],
    ).fetchone()
    return from_iso(row[0]) if row else None


def count_commits(db: sqlite_utils.Database, platform: str, repo: str) -> int:
    return int(
        db.execute(
            "SELECT count(*) FROM commits WHERE platform = ? AND repo = ?", [platform, repo]
        ).fetchone()[0]
    )


def complete_fetch(
    db: sqlite_utils.Database,
    run_id: int,
    platform: str,
    repo: str,
    records: Iterable[CommitRecord],
    *,
    info: ModelInfo | None = None,
    n_pages: int = 0,
    present: set[str] | None = None,
) -> int:
    """Save one repo's fetched commits, its info and the run's completion in ONE transaction.

    Commits upsert by (platform, repo, sha), so a retried run never duplicates. `present`,
    given when the run listed the repository's whole history, holds every sha it saw: cached
    commits outside it were rewritten away (a force push, a squashed Hub history) and are
    dropped in the same transaction. For HF the repo's `first_commit_at` is recomputed from
    the cache (the Hub's createdAt stops at 2022-03-02). Returns how many commits were new.
    """
    rows = [commit_row(r, run_id) for r in records]
    with db.atomic():
        if present is not None:
            gone = known_shas(db, platform, repo) - present - {r["sha"] for r in rows}
            for sha in gone:
                db.execute(
                    "DELETE FROM commits WHERE platform = ? AND repo = ? AND sha = ?",
                    [platform, repo, sha],
                )
        before = count_commits(db, platform, repo)
        if rows:
            db.table("commits").upsert_all(rows, pk=("platform", "repo", "sha"))
        n_new = count_commits(db, platform, repo) - before
        if info is not None:
            db.table("repos").upsert(
                {
                    "platform": platform,
                    "repo": repo,
                    "created_at": to_iso(info.created_at),
                    "last_modified": to_iso(info.last_modified),
                    "downloads": info.downloads,
                    "likes": info.likes,
                    "pipeline_tag": info.pipeline_tag,
                    "gated": int(info.gated),
                    "private": int(info.private),
                    "head_sha": info.sha,
                    "card_links": json.dumps(list(info.card_links)),
                    "info_updated_at": now_iso(),
                },
                pk=("platform", "repo"),
            )
        else:
            db.table("repos").upsert(
                {"platform": platform, "repo": repo, "info_updated_at": now_iso()},
                pk=("platform", "repo"),
            )
        db.execute(
            "UPDATE repos SET first_commit_at = (SELECT min(authored_at) FROM commits "
            "WHERE platform = ? AND repo = ?) WHERE platform = ? AND repo = ?",
            [platform, repo, platform, repo],
        )
        db.table("fetch_runs").update(
            run_id,
            {
                "status": "complete",
                "ended_at": now_iso(),
                "n_pages": n_pages,
                "n_commits": len(rows),
                "n_new": n_new,
                "error": None,
            },
        )
    return n_new


def last_run(db: sqlite_utils.Database, platform: str, repo: str) -> dict | None:
    """The most recent fetch run of a repo, whatever its status."""
    rows = list(
        db.query(
            "SELECT * FROM fetch_runs WHERE platform = ? AND repo = ? ORDER BY id DESC LIMIT 1",
            [platform, repo],
        )
    )
    return rows[0] if rows else None


def removed_members(db: sqlite_utils.Database, family: str) -> set[str]:
    """Model ids the user removed from a family (lower-case), so resolution keeps them out."""
    return {
        r[0].lower()
        for r in db.execute(
            "SELECT model_id FROM family_members WHERE family = ? AND removed = 1", [family]
        )
    }


# --- model infos for the audit (issue 7: core/audit/inputs.py) ------------------------------


def load_model_infos(db: sqlite_utils.Database, model_ids: Iterable[str]) -> dict[str, ModelInfo]:
    """The cached `ModelInfo` of each HF model that has one (gating, dates, popularity)."""
    wanted = list(dict.fromkeys(model_ids))
    found: dict[str, ModelInfo] = {}
    for i in range(0, len(wanted), _SQL_CHUNK):
        chunk = wanted[i : i + _SQL_CHUNK]
        marks = ",".join("?" * len(chunk))
        for r in db.query(
            f"SELECT * FROM repos WHERE platform = 'HF' AND repo IN ({marks})", chunk
        ):
            found[r["repo"]] = ModelInfo(
                model_id=r["repo"],
                created_at=from_iso(r["created_at"]),
                first_commit_at=from_iso(r["first_commit_at"]),
                last_modified=from_iso(r["last_modified"]),
                downloads=r["downloads"],
                likes=r["likes"],
                pipeline_tag=r["pipeline_tag"],
                gated=bool(r["gated"]),
                private=bool(r["private"]),
                sha=r["head_sha"],
                card_links=tuple(json.loads(r["card_links"] or "[]")),
            )
    return found


# --- family list for the audit page (issue 7: pages/audit.py) --------------------------------


def list_families(db: sqlite_utils.Database) -> list[dict]:
    """Every stored family: name, github_repo and n_variants (members not removed), by name."""
    return list(
        db.query(
            "SELECT f.name, f.github_repo, "
            "(SELECT count(*) FROM family_members m WHERE m.family = f.name AND m.removed = 0) "
            "AS n_variants FROM families f ORDER BY lower(f.name)"
        )
    )
