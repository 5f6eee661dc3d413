"""What the Hub says of each model repository (`repos`): saved on fetch, read back as `ModelInfo`."""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils

from core.records import ModelInfo
from core.store.db import from_iso, now_iso, to_iso, transaction

_SQL_CHUNK = 500  # stay well under SQLite's bound-parameter limit


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


def head_sha(db: sqlite_utils.Database, platform: str, repo: str) -> str | None:
    """The repository head recorded by the last complete fetch (HF: the Hub's `sha`)."""
    row = db.execute(
        "SELECT head_sha FROM repos WHERE platform = ? AND repo = ?", [platform, repo]
    ).fetchone()
    return row[0] if row else None


def model_infos(db: sqlite_utils.Database, model_ids: Iterable[str]) -> dict[str, ModelInfo]:
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
