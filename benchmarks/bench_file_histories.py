"""Benchmark file histories (issue 14): a 20,000-commit repository's file changes imported
into SQLite against `git log --raw` on the same clone, in one run.

1. Builds a local repository of 20,000 real commits (../shared/data/gh_histories, replayed
   with fast-import) where each commit changes 1-3 of 400 files in nested folders.
2. Clones it blobless, as the git backend does (not timed against the floor: it is the
   network step that fetching commits already pays).
3. Times, best of --repeat: the floor (`git log --raw --no-renames` with the same options on
   the clone) and the project (the same log parsed by `core.propagation.gitlog` and stored by
   `store.save_file_history` into a fresh SQLite file); prints both and the ratio (target
   <= 3x). Then a refresh after 10 new commits, which reads only those.

    python benchmarks/bench_file_histories.py [--commits 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_git_import import real_commits  # noqa: E402
from gitutil import append_commits, build_repo, url_template  # noqa: E402

from core import store  # noqa: E402
from core.ingest.sources.gitrepo import GitBackend  # noqa: E402
from core.propagation.gitlog import _LOG, read_history  # noqa: E402

TARGET_RATIO = 3.0
FOLDERS = ("", "src/", "src/model/", "configs/", "configs/7b/", "scripts/", "docs/", "eval/")


def file_plan(n: int, n_files: int = 400, seed: int = 14) -> dict[int, dict[str, bytes | None]]:
    """What each commit writes: 1-3 files changed (sometimes one deleted and re-added)."""
    rng = random.Random(seed)
    paths = [f"{FOLDERS[i % len(FOLDERS)]}file_{i}.py" for i in range(n_files)]
    plan: dict[int, dict[str, bytes | None]] = {0: {p: b"v0\n" for p in paths[:50]}}
    for i in range(1, n):
        chosen = rng.sample(paths, rng.randint(1, 3))
        plan[i] = {p: (None if rng.random() < 0.03 else f"{i}:{p}\n".encode()) for p in chosen}
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="synclens-bench-") as tmp:
        work = Path(tmp)
        remote = work / "remote" / "bench" / "files"
        t0 = time.perf_counter()
        build_repo(remote, real_commits(args.commits), files=file_plan(args.commits))
        print(
            f"fast-import of {args.commits:,} commits with files: {time.perf_counter() - t0:6.2f} s"
        )
        backend = GitBackend(work / "cache", url_template(work / "remote"))
        t0 = time.perf_counter()
        path = backend.update("bench/files")
        print(f"blobless clone (network step, not compared):   {time.perf_counter() - t0:6.2f} s")

        floor = project = float("inf")
        for i in range(args.repeat):
            t0 = time.perf_counter()
            subprocess.run(
                ["git", f"--git-dir={path}", *_LOG, "HEAD"], capture_output=True, check=True
            )
            floor = min(floor, time.perf_counter() - t0)
            db = store.open_db(work / f"files{i}.db")
            t0 = time.perf_counter()
            history = read_history(path, "GH", "bench/files", set())
            store.save_file_history(db, history)
            project = min(project, time.perf_counter() - t0)
            db.close()
        print(
            f"project: read {len(history.commits):,} commits, {len(history.changes):,} changes "
            f"and store them: {project:6.2f} s"
        )
        ratio = project / floor
        verdict = "OK" if ratio <= TARGET_RATIO else "ABOVE TARGET"
        print(
            f"floor: git log --raw on the clone:             {floor:6.2f} s   ratio {ratio:4.1f}x "
            f"(target <= {TARGET_RATIO:.0f}x: {verdict})"
        )

        extra = real_commits(10)
        append_commits(remote, extra, files={i: {f"new_{i}.json": b"{}\n"} for i in range(10)})
        db = store.open_db(work / "files0.db")
        t0 = time.perf_counter()
        path = backend.update("bench/files")
        again = read_history(path, "GH", "bench/files", store.scanned_shas(db, "GH", "bench/files"))
        store.save_file_history(db, again)
        print(
            f"refresh after 10 new commits (fetch + read + store): {time.perf_counter() - t0:5.2f} s "
            f"({len(again.commits)} commits read)"
        )


if __name__ == "__main__":
    main()
