"""Benchmark the corpus page for the paper's 325 families, server-side (target: < 3 s warm).

Imports ../shared/corpus into a temporary cache, then renders the page with Streamlit's AppTest
(the whole script: app frame, filters, the first section's charts) and times:
1. the first render (loads the corpus, computes the section's charts and tests, fills the caches);
2. warm renders, the target: the same page again from the cache (median of --repeat);
3. a new filter choice (Matured families): computed once, then cached like the rest.

    python benchmarks/bench_corpus_page.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TARGET_SECONDS = 3.0


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    opts = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from streamlit.testing.v1 import AppTest

    from core import store
    from core.corpus import import_replication

    db_file = Path(tempfile.mkdtemp()) / "bench.db"
    import_replication(store.open_db(db_file), SHARED / "corpus")
    os.environ["SYNCLENS_DB"] = str(db_file)

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/corpus.py")
    cold = timed(at.run)
    assert not at.exception, at.exception
    assert any("Disperse 39.4%" in c.value for c in at.caption)
    n_charts = len(at.get("plotly_chart"))

    warm = [timed(at.run) for _ in range(opts.repeat)]
    assert not at.exception

    box = at.selectbox(key="corpus_age").select("Matured")
    new_filter = timed(box.run)
    again = [timed(at.run) for _ in range(opts.repeat)]

    median = statistics.median(warm)
    print(f"corpus page, paper's 325 families / 3,863 switches, {n_charts} charts (AppTest)")
    print(f"  first render (load + compute + fill the cache): {cold:6.3f} s")
    print(
        f"  warm render from the cache (median of {opts.repeat}):  {median:6.3f} s "
        f"(min {min(warm):.3f}, max {max(warm):.3f})"
    )
    print(f"  new filter (Matured), first render:             {new_filter:6.3f} s")
    print(
        f"  new filter, warm (median of {opts.repeat}):            "
        f"{statistics.median(again):6.3f} s"
    )
    verdict = "OK" if median < TARGET_SECONDS else "SLOW"
    print(f"  target < {TARGET_SECONDS:.0f} s warm: {verdict}")
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
