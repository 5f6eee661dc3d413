"""Build core/demo/data/qwen-vl.json, the demo family shipped with SyncLens, from ../shared.

The family is the paper's `Qwen_Qwen-VL`: GitHub `QwenLM/Qwen-VL` and its one HF model
`Qwen/Qwen-VL-Chat`. Only public commit metadata is kept (no e-mail addresses, no message
bodies): GitHub commits' sha, author name, author and committer dates and title; HF commit
times from the paper's replication package. See core/demo/data/README.md.

    python scripts/build_demo.py ../shared
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

KEY = "Qwen_Qwen-VL"
REPO = "QwenLM/Qwen-VL"
OUT = Path(__file__).resolve().parents[1] / "core" / "demo" / "data" / "qwen-vl.json"
WINDOW_END = "2024-10-14"


def _utc(value: str) -> str:
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_convert("UTC") if stamp.tzinfo else stamp.tz_localize("UTC")
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def build(shared: Path) -> dict:
    gh = pd.read_csv(shared / "data" / "gh_histories" / f"{KEY}.csv", dtype=str)
    commits = [
        {
            "platform": "GH",
            "repo": REPO,
            "sha": row.sha,
            "authored_at": _utc(row.author_date),
            "committed_at": _utc(row.committer_date),
            "author_name": row.author_name,
            "title": str(row.message).split("\n", 1)[0].strip(),
        }
        for row in gh.itertuples()
        if _utc(row.author_date) < WINDOW_END
    ]
    models = pd.read_csv(shared / "corpus" / "complete_dataset.csv", dtype=str)
    models = models[models["family"] == KEY]
    (model,) = models.itertuples()
    switches = pd.read_csv(shared / "corpus" / "GH_HF_commit_time_differences.csv", dtype=str)
    switches = switches[switches["family"] == KEY]
    hf_times = set(switches.loc[switches["source"] == "HF", "prev_commit"])
    hf_times |= set(switches.loc[switches["target"] == "HF", "next_commit"])
    days = {_utc(t) for t in hf_times}
    # The model's first and last commits carry their full time in complete_dataset.csv;
    # a switch-table day is dropped when one of them falls on it (the same commit).
    exact = {_utc(model.first_commits), _utc(model.last_commits)}
    days = {d for d in days if d[:10] not in {e[:10] for e in exact}}
    for when in sorted(days | exact):
        where = "first/last commit" if when in exact else "switch table"
        commits.append(
            {
                "platform": "HF",
                "repo": model.model_name,
                "sha": f"paper-{when[:10]}"
                + ("-" + when[11:19].replace(":", "") if when in exact else ""),
                "authored_at": when,
                "committed_at": None,
                "author_name": None,
                "title": "",
                "source": where,
            }
        )
    commits.sort(key=lambda c: (c["authored_at"], c["platform"], c["sha"]))
    return {
        "source": {
            "github": f"git history of github.com/{REPO} (default branch), as in ../shared/data/gh_histories/{KEY}.csv",
            "hf": "eyinlojuoluwa/Synchronization-Patterns dataset/ (GH_HF_commit_time_differences.csv, complete_dataset.csv), commit 17cc1f6 of 2025-04-11",
            "window": f"commits dated before {WINDOW_END}",
        },
        "family": {
            "name": REPO,
            "github_repo": REPO,
            "members": [[model.model_name, "corpus", "complete_dataset.csv"]],
        },
        "models": [
            {
                "model_id": model.model_name,
                "created_at": _utc(model.first_created),
                "last_modified": _utc(model.last_modified),
                "downloads": int(model.downloads),
                "likes": int(model.likes),
                "pipeline_tag": model.pipeline_tag,
            }
        ],
        "commits": commits,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", type=Path, help="the ../shared folder")
    args = parser.parse_args()
    data = build(args.shared)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    n = len(data["commits"])
    print(f"wrote {n} commits of {data['family']['name']} to {OUT}")


if __name__ == "__main__":
    main()
