"""Benchmark the GitHub side of `fetch`: git backend into SQLite, and API request counts.

1. Builds a local repository of 20,000 commits replayed from the real histories in
   ../shared/data/gh_histories (largest families first, repeated if needed) with fast-import.
2. Times GitBackend clone + `git log` parse + `store.save_commits` into a fresh SQLite file
   (target: under 10 s), then an unchanged refresh (fetch + parse + upsert).
3. Counts API requests through a replay of GitHub's list-commits endpoint (`responses`): a
   first fetch of 250 commits (expected 3) and an unchanged refresh with `since` (expected 1).

    python benchmarks/bench_git_import.py [--commits 20000]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

import responses

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from ghreplay import CommitsEndpoint, items_from_history  # noqa: E402
from gitutil import HISTORIES, build_repo, history, url_template  # noqa: E402

from core import store  # noqa: E402
from core.ingest.sources.github import ApiBackend, make_github_client  # noqa: E402
from core.ingest.sources.gitrepo import GitBackend  # noqa: E402

TARGET_SECONDS = 10.0


def real_commits(n: int) -> list:
    """`n` real commits (oldest first per family), largest histories first, repeated if short."""
    with (HISTORIES / "INDEX.csv").open(newline="") as fh:
        families = sorted(csv.DictReader(fh), key=lambda r: -int(r["n_commits_total"] or 0))
    rows: list = []
    while len(rows) < n:
        for fam in families:
            if (HISTORIES / f"{fam['family']}.csv").exists():
                rows += history(fam["family"])
            if len(rows) >= n:
                break
    return rows[:n]


def bench_git(n: int, work: Path) -> None:
    rows = real_commits(n)
    t0 = time.perf_counter()
    build_repo(work / "remote" / "bench" / "history", rows)
    print(f"fast-import of {n:,} real commits:            {time.perf_counter() - t0:6.2f} s")

    backend = GitBackend(work / "cache", url_template=url_template(work / "remote"))
    db = store.open_db(work / "cache" / "bench.db")
    t0 = time.perf_counter()
    commits = list(backend.iter_commits("bench/history"))
    t1 = time.perf_counter()
    new = store.save_commits(db, commits)
    t2 = time.perf_counter()
    total = t2 - t0
    print(f"git clone + log parse ({len(commits):,} commits):     {t1 - t0:6.2f} s")
    print(f"store.save_commits into a fresh SQLite file:  {t2 - t1:6.2f} s  ({new:,} new)")
    verdict = "OK" if total < TARGET_SECONDS else "TOO SLOW"
    print(
        f"import total:                                 {total:6.2f} s  "
        f"(target < {TARGET_SECONDS:.0f} s: {verdict}); git network operations: "
        f"{backend.requests}"
    )

    t0 = time.perf_counter()
    again = list(backend.iter_commits("bench/history"))
    new = store.save_commits(db, again)
    print(
        f"unchanged refresh (fetch + parse + upsert):   {time.perf_counter() - t0:6.2f} s  "
        f"({new} new; git network operations: {backend.requests - 1})"
    )


def bench_api_requests() -> None:
    rows = history("smallcloudai_Refact", limit=250)
    repo = "smallcloudai/refact"
    with responses.RequestsMock() as rsps:
        endpoint = CommitsEndpoint(repo, items_from_history(repo, rows)).register(rsps)
        client = make_github_client("ghp_benchmark", seconds_between_requests=None)
        first = ApiBackend(client)
        commits = list(first.iter_commits(repo))
        newest = max(c.committed_at for c in commits if c.committed_at)
        refresh = ApiBackend(client)
        again = list(refresh.iter_commits(repo, since=newest))
    print(
        f"API first fetch of {len(commits)} commits:     {first.requests} requests "
        f"(ceil({len(commits)}/100) = {-(-len(commits) // 100)}; replayed HTTP calls: "
        f"{len(endpoint.calls) - refresh.requests})"
    )
    print(
        f"API unchanged refresh (since newest):  {refresh.requests} request "
        f"({len(again)} commit returned again; the upsert ignores it)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="synclens-bench-") as tmp:
        bench_git(args.commits, Path(tmp))
    bench_api_requests()


if __name__ == "__main__":
    main()
