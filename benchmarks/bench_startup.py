"""Benchmark start-up: `python -m core --help` against `python -c pass`, in one run.

CPU time (user + system) and wall time of each child process, the best of `--repeat`.
Target: `--help` at most 0.15 s above `python -c pass`.

    nice python benchmarks/bench_startup.py [--repeat 10]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def best_run(args: list[str], repeat: int) -> tuple[float, float]:
    """The least CPU seconds and the least wall seconds of `repeat` runs."""
    cpu = wall = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        with open(os.devnull, "wb") as sink:
            child = subprocess.Popen(args, cwd=REPO, stdout=sink)
            _, status, usage = os.wait4(child.pid, 0)
        wall = min(wall, time.perf_counter() - start)
        if status != 0:
            raise SystemExit(f"{' '.join(args)} failed")
        cpu = min(cpu, usage.ru_utime + usage.ru_stime)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    floor_cpu, floor_wall = best_run([sys.executable, "-c", "pass"], args.repeat)
    help_cpu, help_wall = best_run([sys.executable, "-m", "core", "--help"], args.repeat)
    print(f"best of {args.repeat}        CPU s    wall s")
    print(f"python -c pass       {floor_cpu:6.3f}    {floor_wall:6.3f}")
    print(f"python -m core --help {help_cpu:5.3f}    {help_wall:6.3f}")
    print(
        f"above the floor      {help_cpu - floor_cpu:6.3f}    {help_wall - floor_wall:6.3f}"
        "   (target <= 0.15 s)"
    )


if __name__ == "__main__":
    main()
