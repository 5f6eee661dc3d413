"""Benchmark `python -m core corpus-report` on the paper's 325 families (target: < 2 s in-process).

Imports ../shared/corpus into a temporary cache, then times:
1. in-process: `core.cli.main(["corpus-report"])` with stdout captured. The first call also
   imports pandas, scipy and scikit-posthocs (reported, not the target); the target is the
   median of the following calls (load the corpus from SQLite, compute, print JSON);
2. start-up in child processes: a bare `python -c pass`, and the interpreter plus the
   libraries the command imports;
3. the whole command in a child process (`python -m core corpus-report`).

    python benchmarks/bench_corpus_report.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TARGET_SECONDS = 2.0


def child_seconds(args: list[str], repeat: int) -> float:
    """Median wall time of a child process."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, cwd=REPO, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    opts = parser.parse_args()
    db = Path(tempfile.mkdtemp()) / "bench.db"
    subprocess.run(
        [sys.executable, "-m", "core", "--db", str(db), "corpus", "import", str(SHARED / "corpus")],
        cwd=REPO,
        check=True,
        capture_output=True,
    )

    sys.path.insert(0, str(REPO))
    from core.cli import main as cli_main

    times = []
    for _ in range(opts.repeat + 1):
        out = io.StringIO()
        t = time.perf_counter()
        with redirect_stdout(out):
            code = cli_main(["--db", str(db), "corpus-report"])
        times.append(time.perf_counter() - t)
        assert code == 0 and '"n_families": 325' in out.getvalue()
    cold = times[0]
    warm = statistics.median(times[1:])
    whole = child_seconds(
        [sys.executable, "-m", "core", "--db", str(db), "corpus-report"], opts.repeat
    )
    bare = child_seconds([sys.executable, "-c", "pass"], opts.repeat)
    imports = child_seconds(
        [sys.executable, "-c", "import core.cli, core.corpus, core.corpus.stats, scikit_posthocs"],
        opts.repeat,
    )

    print(f"corpus-report on 325 families / 3,863 switches (median of {opts.repeat})")
    print(f"  in-process (libraries loaded):                 {warm:6.3f} s")
    print(f"  in-process, first call (also imports them):    {cold:6.3f} s")
    print(f"  start-up: interpreter alone (python -c pass):  {bare:6.3f} s")
    print(f"  start-up: interpreter + library imports:       {imports:6.3f} s")
    print(f"  whole command (child process, start-up incl.): {whole:6.3f} s")
    verdict = "OK" if warm < TARGET_SECONDS else "SLOW"
    print(f"  target < {TARGET_SECONDS:.0f} s in-process: {verdict}")
    return 0 if warm < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
