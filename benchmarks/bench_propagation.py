"""Benchmark exact propagation (issue 14): a 10-variant family computed in under a second.

The family is real-shaped: GitHub's file history has 20,000 commits changing 1-3 of 400
files; each of 10 variants has 60 commits holding 40 flattened files, half of their versions
copied from GitHub hours to weeks later, the rest the Hub's own; a few Hub commit messages
name GitHub commits. Times, best of --repeat, `propagation_of` (pure: frames in, links,
measures and matrix out) and `build_propagation` (reading the cache first).

    python benchmarks/bench_propagation.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core import store  # noqa: E402
from core.propagation.build import build_propagation, propagation_of  # noqa: E402
from core.propagation.records import FileChange, FileCommit, FileHistory  # noqa: E402
from core.records import GH, HF, CommitRecord, Family, FamilyMember  # noqa: E402

TARGET_SECONDS = 1.0
GH_REPO = "bench/llm"


def _sha(*parts: object) -> str:
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()


def family_histories(n_gh: int = 20_000, n_variants: int = 10, seed: int = 14):
    rng = random.Random(seed)
    start = datetime(2022, 1, 1, tzinfo=UTC)
    paths = [f"{('src/', 'configs/', '')[i % 3]}file_{i}.json" for i in range(400)]
    gh_commits, gh_changes, versions = [], [], []
    for i in range(n_gh):
        sha, when = _sha("gh", i), start + timedelta(minutes=40 * i)
        gh_commits.append(FileCommit(sha, when))
        for path in rng.sample(paths, rng.randint(1, 3)):
            blob = _sha("blob", i, path)
            gh_changes.append(FileChange(sha, path, "M", blob))
            versions.append((when, path, blob, sha))
    histories = [FileHistory(GH, GH_REPO, "git", tuple(gh_commits), tuple(gh_changes))]
    records = [CommitRecord(GH, GH_REPO, c.sha, c.authored_at, title="change") for c in gh_commits]
    variants = [f"bench/llm-{k}b" for k in range(n_variants)]
    for v in variants:
        carried = set(rng.sample(paths, 40))
        commits, changes = [], []
        picks = sorted(rng.sample(range(len(versions)), 600))
        for j in range(60):
            sha = _sha(v, j)
            when = start + timedelta(days=5 + 9 * j)
            title = "Upload files"
            for k in picks[j * 10 : j * 10 + 10]:
                _, path, blob, gh_sha = versions[k]
                if path not in carried:
                    continue
                own = rng.random() < 0.5
                changes.append(
                    FileChange(sha, path.rsplit("/", 1)[-1], "M", _sha(v, j, k) if own else blob)
                )
                if not own and rng.random() < 0.05:
                    title = f"Sync with {gh_sha[:10]}"
            commits.append(FileCommit(sha, when))
            records.append(CommitRecord(HF, v, sha, when, title=title))
        histories.append(FileHistory(HF, v, "git", tuple(commits), tuple(changes)))
    family = Family("bench", GH_REPO, tuple(FamilyMember(v, "user") for v in variants))
    return family, histories, records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    family, histories, records = family_histories()
    with tempfile.TemporaryDirectory(prefix="synclens-bench-") as tmp:
        db = store.open_db(Path(tmp) / "bench.db")
        store.save_commits(db, records)
        for history in histories:
            store.save_file_history(db, history)
        changes = store.file_changes(db, [(GH, GH_REPO), *[(HF, v) for v in family.variants]])
        commits = store.family_commits(db, family)
        print(
            f"family: {len(family.variants)} variants, {len(changes):,} file changes, "
            f"{len(commits):,} commits"
        )
        pure = cached = cpu = float("inf")
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            result = propagation_of(family, changes, commits)
            pure = min(pure, time.perf_counter() - t0)
            cpu = min(cpu, time.process_time() - c0)
            t0 = time.perf_counter()
            build_propagation(db, family)
            cached = min(cached, time.perf_counter() - t0)
        s = result.summary
        print(
            f"links: {len(result.links):,}; reached {s.reached:,}, never {s.never:,}; "
            f"matrix cells {len(result.matrix):,}"
        )
        verdict = "OK" if cpu < TARGET_SECONDS else "TOO SLOW"
        print(
            f"propagation_of (pure): {pure:6.3f} s wall, {cpu:6.3f} s CPU (target < "
            f"{TARGET_SECONDS:.0f} s CPU: "
            f"{verdict})"
        )
        print(f"build_propagation (cache + pure): {cached:6.3f} s")


if __name__ == "__main__":
    main()
