"""Benchmark the GitHub side of `fetch`: git backend into SQLite against plain git, and API counts.

1. Builds a local repository of 20,000 commits replayed from the real histories in
   ../shared/data/gh_histories (largest families first, repeated if needed) with fast-import.
2. Times, in one run and best of --repeat: the project's import (GitBackend clone + `git log`
   parse + `store.save_commits` into a fresh SQLite file) against the floors — `git log` with
   the same format on the same clone, and plain `git clone` + that `git log` — and prints the
   ratios (issue 13 target: import <= 2x `git log`); then an unchanged refresh.
3. Counts API requests through a replay of GitHub's list-commits endpoint (`responses`): a
   first fetch of 250 commits (expected 3) and an unchanged refresh with `since` (expected 1).

    python benchmarks/bench_git_import.py [--commits 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import subprocess
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
from core.ingest.sources.gitrepo import _FORMAT, BLOBLESS, GitBackend, read_log  # noqa: E402

TARGET_RATIO = 2.0


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


def _git_log(path: Path) -> float:
    """Seconds for `git log` with the backend's own format on the clone at `path` (the floor)."""
    t0 = time.perf_counter()
    subprocess.run(
        [
            "git",
            f"--git-dir={path}",
            "log",
            "-z",
            f"--format={_FORMAT}",
            "--no-color",
            "--encoding=UTF-8",
            "HEAD",
        ],
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - t0


def _git_clone(url: str, into: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [
            "git",
            "clone",
            "--bare",
            "--single-branch",
            "--no-tags",
            f"--filter={BLOBLESS}",
            "--quiet",
            url,
            str(into),
        ],
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - t0


def bench_git(n: int, work: Path, repeat: int) -> None:
    rows = real_commits(n)
    t0 = time.perf_counter()
    build_repo(work / "remote" / "bench" / "history", rows)
    print(f"fast-import of {n:,} real commits:            {time.perf_counter() - t0:6.2f} s")
    template = url_template(work / "remote")

    best: dict[str, float] = {}

    def keep(name: str, seconds: float) -> None:
        best[name] = min(best.get(name, seconds), seconds)

    for i in range(repeat):
        backend = GitBackend(work / f"cache{i}", url_template=template)
        db = store.open_db(work / f"cache{i}" / "bench.db")
        t0 = time.perf_counter()
        path = backend.update("bench/history")
        t1 = time.perf_counter()
        commits = list(read_log(path, "bench/history"))
        t2 = time.perf_counter()
        new = store.save_commits(db, commits)
        t3 = time.perf_counter()
        db.close()
        keep("clone", t1 - t0)
        keep("log + parse", t2 - t1)
        keep("save", t3 - t2)
        keep("import", t3 - t0)
        keep("git log", _git_log(path))
        clone = _git_clone(template.format(repo="bench/history"), work / f"plain{i}.git")
        keep("git clone + git log", clone + _git_log(work / f"plain{i}.git"))
    print(
        f"project: clone {best['clone']:.2f} s + log and parse {best['log + parse']:.2f} s "
        f"+ save {best['save']:.2f} s ({new:,} new)"
    )
    print(f"project import (clone + log + parse + save):   {best['import']:6.2f} s")
    for floor in ("git log", "git clone + git log"):
        ratio = best["import"] / best[floor]
        print(f"floor {floor + ':':<24}               {best[floor]:6.2f} s   ratio {ratio:4.1f}x")
    verdict = "OK" if best["import"] / best["git log"] <= TARGET_RATIO else "ABOVE TARGET"
    print(f"target: import <= {TARGET_RATIO:.0f}x git log: {verdict}")

    backend = GitBackend(work / "cache0", url_template=template)
    db = store.open_db(work / "cache0" / "bench.db")
    t0 = time.perf_counter()
    again = list(backend.iter_commits("bench/history"))
    new = store.save_commits(db, again)
    print(
        f"unchanged refresh (fetch + parse + upsert):   {time.perf_counter() - t0:6.2f} s  "
        f"({new} new; git network operations: {backend.requests})"
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
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="synclens-bench-") as tmp:
        bench_git(args.commits, Path(tmp), args.repeat)
    bench_api_requests()


if __name__ == "__main__":
    main()
