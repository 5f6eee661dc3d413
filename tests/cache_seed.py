"""Seed a cache with a real family from ../shared/data (GitHub history + HF commits), offline.

The GitHub side comes from `data/gh_histories/<family>.csv`, the HF side from
`data/hf_commits/hf_commits_replication_models.csv` (weight-touching commits only), the
members from the paper's `corpus/complete_dataset.csv`. Each repo gets a complete fetch run,
as if `python -m core fetch` had run.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pandas as pd

from core import store
from core.records import GH, HF, CommitRecord, Family, FamilyMember
from core.resolve import load_corpus_mapping


def seed_family(db, shared: Path, history: str) -> Family:
    """Store the family whose GitHub history file is `gh_histories/<history>.csv`."""
    index = pd.read_csv(shared / "data" / "gh_histories" / "INDEX.csv")
    repo = index.loc[index["family"] == history, "gh_repo"].iloc[0]
    mapping = load_corpus_mapping(shared / "corpus" / "complete_dataset.csv")
    models = mapping.loc[mapping["github_repo"].str.lower() == repo.lower(), "model_id"].tolist()
    family = Family(
        store.family_name_for(repo),
        repo,
        tuple(FamilyMember(m, "corpus", "paper corpus") for m in sorted(models)),
    )
    store.save_family(db, family)

    gh = pd.read_csv(
        shared / "data" / "gh_histories" / f"{history}.csv", dtype=str, keep_default_na=False
    )
    records = [
        CommitRecord(
            GH,
            repo,
            r.sha,
            _utc(r.author_date),
            r.message.split("\n", 1)[0],
            r.message,
            r.author_name,
            r.author_email,
            committed_at=_utc(r.committer_date),
        )
        for r in gh.itertuples()
    ]
    _complete(db, GH, repo, "git", records)

    hf = pd.read_csv(
        shared / "data" / "hf_commits" / "hf_commits_replication_models.csv",
        dtype=str,
        keep_default_na=False,
    )
    for model in models:
        rows = hf[hf["model_id"] == model]
        _complete(
            db,
            HF,
            model,
            "hub",
            [
                CommitRecord(
                    HF,
                    model,
                    r.commit_id,
                    _utc(r.date),
                    r.title,
                    r.message,
                    authors=tuple(_authors(r.authors)),
                )
                for r in rows.itertuples()
            ],
        )
    return family


def _complete(db, platform: str, repo: str, backend: str, records: list[CommitRecord]) -> None:
    run = store.start_run(db, platform, repo, backend)
    store.complete_fetch(db, run, platform, repo, records)


def _utc(text: str) -> datetime:
    return pd.Timestamp(text).tz_convert("UTC").to_pydatetime()


def _authors(text: str) -> list[str]:
    try:
        value = json.loads(text)
    except ValueError:
        return [text] if text else []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]
