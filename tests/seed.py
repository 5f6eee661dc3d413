"""Seed a real SQLite cache with a corpus family built from ../shared data (for tests, the
browser test, benchmarks and local demos).

GitHub commits are the family's real history (author dates, messages, authors). HF commits are
the real weight-file commits of its models plus one commit at every HF time the paper's switch
table gives, with typical Hub titles. Model facts come from the corpus table.

    python tests/seed.py --db cache/synclens.db Qwen_Qwen
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import store
from core.records import CommitRecord, Family, FamilyMember, ModelInfo

SHARED = Path(__file__).resolve().parents[2] / "shared"
CUTOFF = pd.Timestamp("2024-10-13", tz="UTC")
HF_TITLES = [
    "Update README.md",
    "Upload config.json",
    "Update generation_config.json",
    "Upload model-00001-of-00002.safetensors",
    "Update tokenizer_config.json",
    "Update modeling_qwen.py",
    "Create requirements.txt",
    "Upload folder using huggingface_hub",
    "Update LICENSE",
    "Adding `safetensors` variant of this model",
]


def _pick(seq: list[str], key: str) -> str:
    return seq[int(hashlib.md5(key.encode()).hexdigest(), 16) % len(seq)]


def _utc(value: str) -> datetime:
    return (
        pd.Timestamp(value).tz_convert("UTC").to_pydatetime()
        if pd.Timestamp(value).tzinfo
        else pd.Timestamp(value, tz="UTC").to_pydatetime()
    )


def corpus_family(
    key: str, shared: Path = SHARED, *, paper_window: bool = True, switch_times: bool = True
) -> tuple[Family, list[CommitRecord], list[ModelInfo]]:
    """The family `key` (e.g. "Qwen_Qwen") as records, ready to save.

    `paper_window` keeps GitHub commits from 2016-01-01 to the paper's collection date;
    `switch_times` adds an HF commit at every HF time of the paper's switch table. Without
    both, the records are the real data as a fetch would have cached it.
    """
    index = pd.read_csv(shared / "data" / "gh_histories" / "INDEX.csv").set_index("family")
    repo = index.at[key, "gh_repo"]
    models = pd.read_csv(shared / "corpus" / "complete_dataset.csv")
    models = models[models["family"].str.lower() == key.lower()]
    variants = sorted(models["model_name"])
    gh = pd.read_csv(shared / "data" / "gh_histories" / f"{key}.csv")
    records = []
    for row in gh.itertuples():
        authored = _utc(row.author_date)
        if paper_window and not (
            datetime(2016, 1, 1, tzinfo=UTC) <= authored <= CUTOFF.to_pydatetime()
        ):
            continue
        message = str(row.message) if isinstance(row.message, str) else ""
        records.append(
            CommitRecord(
                platform="GH",
                repo=repo,
                sha=row.sha,
                authored_at=authored,
                committed_at=_utc(row.committer_date),
                title=message.split("\n", 1)[0],
                message=message,
                author_name=row.author_name,
                author_email=row.author_email,
            )
        )
    people = pd.read_csv(shared / "corpus" / "family_author_comparison.csv")
    people = people[people["family"].str.lower() == key.lower()]
    hf_people = (
        [u.rsplit("/", 1)[-1] for u in ast.literal_eval(people["authors_HF"].iloc[0])]
        if len(people)
        else ["maintainer"]
    )
    real = pd.read_csv(shared / "data" / "hf_commits" / "hf_commits_replication_models.csv")
    for row in real[real["model_id"].isin(variants)].itertuples():
        records.append(
            CommitRecord(
                platform="HF",
                repo=row.model_id,
                sha=row.commit_id,
                authored_at=_utc(row.date),
                title=row.title,
                message=row.message if isinstance(row.message, str) else "",
                author_name=row.authors,
                authors=(row.authors,),
            )
        )
    switches = pd.read_csv(shared / "corpus" / "GH_HF_commit_time_differences.csv")
    switches = switches[switches["family"].str.lower() == key.lower()]
    times = sorted(
        set(switches.loc[switches["source"] == "HF", "prev_commit"])
        | set(switches.loc[switches["target"] == "HF", "next_commit"])
    )
    if not switch_times:
        times = []
    for i, when in enumerate(times):
        model = variants[i % len(variants)] if variants else f"{key}/model"
        sha = hashlib.sha1(f"{model}{when}".encode()).hexdigest()
        title = _pick(HF_TITLES, sha)
        author = _pick(hf_people, sha)
        records.append(
            CommitRecord(
                platform="HF",
                repo=model,
                sha=sha,
                authored_at=_utc(when),
                title=title,
                message="",
                author_name=author,
                authors=(author,),
            )
        )
    infos = [
        ModelInfo(
            model_id=m.model_name,
            created_at=_utc(pd.Timestamp(m.created_at_main).strftime("%Y-%m-%d")),
            downloads=int(m.downloads),
            likes=int(m.likes),
            pipeline_tag=m.pipeline_tag,
        )
        for m in models.itertuples()
    ]
    family = Family(
        name=repo,
        github_repo=repo,
        members=tuple(FamilyMember(v, "corpus", "complete_dataset.csv") for v in variants),
    )
    return family, records, infos


def seed(db, key: str, shared: Path = SHARED, **options: bool) -> Family:
    """Save a corpus family, its commits, model facts and complete fetch runs in `db`
    (options as for `corpus_family`)."""
    family, records, infos = corpus_family(key, shared, **options)
    store.save_family(db, family)
    store.save_commits(db, records)
    for info in infos:
        store.save_model_info(db, info)
    for platform, repo in [("GH", family.github_repo)] + [("HF", v) for v in family.variants]:
        run = store.start_run(db, platform, repo, "seed")
        n = sum(1 for r in records if r.repo == repo)
        store.finish_run(db, run, status="complete", n_pages=1, n_commits=n, n_new=n)
    return family


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("families", nargs="+", help="corpus family keys, e.g. Qwen_Qwen")
    parser.add_argument("--db", default="cache/synclens.db")
    args = parser.parse_args()
    db = store.open_db(args.db)
    for key in args.families:
        family = seed(db, key)
        print(f"seeded {family.name} ({len(family.variants)} variants) into {args.db}")


if __name__ == "__main__":
    main()
