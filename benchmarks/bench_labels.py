"""Benchmark the labelers: rules throughput on real-shaped texts, Claude request counts.

1. rules: >= 100,000 commit texts built from the real GitHub histories and HF commits in
   ../shared/data (each made unique with a pull-request suffix, so the per-text memo cannot
   help), then the same texts with the repeats a real history has, then the whole service
   (`label_commits` with hashing and the SQLite cache). Target: >= 20,000 texts/s.
2. claude: a synthetic family (real texts, many repeats) labeled through replayed Messages
   API responses. Target: at most one request per 50 unique texts; a second run, zero.

    python benchmarks/bench_labels.py [--texts 100000] [--family-commits 6000]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from anthropic_replay import Replay, batch_items, labels_reply  # noqa: E402

from core import store  # noqa: E402
from core.labeling import rules  # noqa: E402
from core.labeling.claude import ClaudeLabeler  # noqa: E402
from core.labeling.labels import label_commits  # noqa: E402

SKIP = {"INDEX.csv", "FAMILIES.csv", "timestamp_match.csv"}


def real_texts() -> pd.DataFrame:
    """Every real GitHub message and HF title+message in ../shared/data (platform, text)."""
    gh = [
        pd.read_csv(f, usecols=["message"])
        for f in sorted((SHARED / "data" / "gh_histories").glob("*.csv"))
        if f.name not in SKIP
    ]
    gh_text = pd.concat(gh)["message"].dropna()
    hf = pd.read_csv(SHARED / "data" / "hf_commits" / "hf_commits_s2elab_all.csv")
    hf_text = (hf["title"].fillna("") + "\n" + hf["message"].fillna("")).str.strip()
    return pd.concat(
        [
            pd.DataFrame({"platform": "GH", "text": gh_text}),
            pd.DataFrame({"platform": "HF", "text": hf_text}),
        ],
        ignore_index=True,
    )


def bench_rules(n: int) -> None:
    pool = real_texts()
    sample = pool.sample(n, replace=True, random_state=3).reset_index(drop=True)
    unique = [
        f"{t} (#{i})" if "\n" not in t else t.replace("\n", f" (#{i})\n", 1)
        for i, t in enumerate(sample["text"])
    ]
    platforms = sample["platform"].tolist()
    labeler = rules.RulesLabeler()

    rules.label_one.cache_clear()
    t0 = time.perf_counter()
    labeler.label(unique, platforms)
    unique_rate = n / (time.perf_counter() - t0)

    rules.label_one.cache_clear()
    t0 = time.perf_counter()
    labeler.label(sample["text"].tolist(), platforms)
    repeat_rate = n / (time.perf_counter() - t0)

    rules.label_one.cache_clear()
    db = store.open_db(memory=True)
    t0 = time.perf_counter()
    _, stats = label_commits(db, pd.DataFrame({"platform": platforms, "text": unique}), labeler)
    service_rate = n / (time.perf_counter() - t0)

    print(
        f"rules labeler on {n:,} texts from {len(pool):,} real commits "
        f"({sample['text'].nunique():,} distinct before suffixes)"
    )
    print(
        f"  all-unique texts (no memo hits): {unique_rate:10,.0f} texts/s  "
        f"{'OK' if unique_rate >= 20_000 else 'BELOW'} target 20,000"
    )
    print(f"  real repeats (memo per text):    {repeat_rate:10,.0f} texts/s")
    print(
        f"  label_commits + SQLite cache:    {service_rate:10,.0f} texts/s "
        f"({stats.n_new:,} labels stored)"
    )


def bench_claude(n_commits: int) -> None:
    pool = real_texts()
    family = pool.sample(n_commits, replace=True, random_state=5).reset_index(drop=True)
    n_unique = family["text"].map(lambda t: " ".join(t.split())).nunique()

    def answer(request):
        items = batch_items(json.loads(request.content))
        labels = [rules.label_one(i["text"], i["platform"]) or "Model Structure" for i in items]
        return labels_reply(labels, usage=(400 + 40 * len(items), 12 * len(items)))

    db = store.open_db(memory=True)
    replay = Replay(responder=answer)
    t0 = time.perf_counter()
    _, first = label_commits(db, family, ClaudeLabeler(replay.client()))
    elapsed = time.perf_counter() - t0
    again = Replay()
    _, second = label_commits(db, family, ClaudeLabeler(again.client()))

    budget = math.ceil(first.n_unique / 50)
    print(
        f"claude labeler (replayed API) on a family of {n_commits:,} commits, "
        f"{first.n_unique:,} unique texts (~{n_unique:,} by whitespace)"
    )
    print(
        f"  first run:  {first.requests} requests (budget {budget} = 1 per 50 unique; "
        f"{'OK' if first.requests <= budget else 'OVER'}), {first.input_tokens:,} input / "
        f"{first.output_tokens:,} output tokens, {first.n_new:,} labeled, "
        f"{first.n_unlabeled} unlabeled, {elapsed:.2f}s"
    )
    print(
        f"  second run: {second.requests} requests, {second.n_cached:,} from cache "
        f"({'OK' if second.requests == 0 and not again.requests else 'NOT ZERO'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--family-commits", type=int, default=6_000)
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} not found: the benchmark reads real commits from ../shared/data")
    bench_rules(args.texts)
    bench_claude(args.family_commits)


if __name__ == "__main__":
    main()
