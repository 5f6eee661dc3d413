"""Benchmark `python -m core classify` on 2,000 synthetic families / 1,000,000 commits.

Reports wall time and peak memory of the whole command (a child process, interpreter start-up
included) and compares the vectorised engine with a straightforward per-family loop (filter
the frame per family, then apply the paper's algorithms) on the same data, in the same run.

    python benchmarks/bench_classify.py [--families 2000] [--commits 1000000]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.engine.analysis import analyze  # noqa: E402
from core.engine.reference import classify_one, switches_one  # noqa: E402
from core.ingest.commit_csv import read_commits_csv  # noqa: E402


def synthesize(n_families: int, n_commits: int, seed: int = 7) -> pd.DataFrame:
    """Families of 1-12 variants over up to 6 years, bursty like real histories."""
    rng = np.random.default_rng(seed)
    weights = rng.pareto(1.2, n_families) + 1
    sizes = np.maximum(2, (weights / weights.sum() * n_commits).astype(int))
    sizes[-1] += n_commits - sizes.sum()
    family = np.repeat([f"org{i:04d}/family{i:04d}" for i in range(n_families)], sizes)
    start = np.repeat(rng.integers(1_450_000_000, 1_700_000_000, n_families), sizes)
    span = np.repeat(rng.integers(30, 6 * 365, n_families), sizes) * 86_400
    offset = (rng.beta(0.6, 1.5, n_commits) * span).astype(np.int64)
    hf = rng.random(n_commits) < np.repeat(rng.uniform(0.05, 0.5, n_families), sizes)
    n_var = np.repeat(rng.integers(1, 13, n_families), sizes)
    variant = (rng.random(n_commits) * n_var).astype(int)
    model = np.where(
        hf, np.char.add(np.char.add(family.astype(str), "-v"), variant.astype(str)), ""
    )
    stamp = pd.to_datetime(start + offset, unit="s", utc=True)
    return pd.DataFrame(
        {
            "family": family,
            "platform": np.where(hf, "HF", "GH"),
            "model": model,
            "date": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    )


def per_family_loop(frame: pd.DataFrame) -> int:
    """The baseline: filter the big frame per family, then run Algorithms 2-4 and switches."""
    done = 0
    for fam in frame["family"].unique():
        part = frame[frame["family"] == fam]
        rows = list(
            zip(part["platform"], part["model"], part["timestamp"].dt.to_pydatetime(), strict=True)
        )
        classify_one(rows)
        switches_one(rows)
        done += 1
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--families", type=int, default=2000)
    parser.add_argument("--commits", type=int, default=1_000_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "commits.csv"
        synthesize(args.families, args.commits).to_csv(path, index=False)
        mb = path.stat().st_size / 1e6
        print(f"input: {args.families} families, {args.commits:,} commits, {mb:.0f} MB CSV")

        t = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "core", "classify", str(path)],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        wall = time.perf_counter() - t
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"classify (whole command): {wall:.2f} s wall, peak RSS {peak_mb:.0f} MB, "
            f"{len(proc.stdout.splitlines())} families out"
        )

        frame = read_commits_csv(path).frame
        t = time.perf_counter()
        analyze(frame)
        engine = time.perf_counter() - t

        t = time.perf_counter()
        n = per_family_loop(frame)
        loop = time.perf_counter() - t
        print(f"engine (analyze, in process): {engine:.2f} s")
        print(
            f"per-family loop (filter per family + Algorithms 2-4 + switches): {loop:.2f} s "
            f"for {n} families"
        )
        print(f"speed-up: {loop / engine:.0f}x")


if __name__ == "__main__":
    main()
