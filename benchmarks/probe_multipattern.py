"""How much faster could the keyword rules be matched? A probe, not part of SyncLens.

The rules labeler asks its 28 keyword rules of every subject and body (`matcher.first_labels`:
RE2 passes through pyarrow, rule blocks behind screens). The fastest multi-pattern engine
installable here is Hyperscan (`pip install hyperscan`, x86-64 only; not a dependency). This
compiles every rule's look-around-free RE2 form into one Hyperscan database and scans the same
printable-ASCII questions, joined by newlines, in one call:

* `scan only`: no match reported to Python (the engine's own floor);
* `scan + report`: every match end handed to a Python callback (what a labeler would need);
* `compile`: building the database (once per process unless a serialised copy is kept).

The Hyperscan figures are a lower bound for that approach: they neither confirm the rules'
look-arounds nor pick each text's first rule. Printed beside `first_labels` on the same texts,
CPU time, in one run.

    nice python benchmarks/probe_multipattern.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from real_texts import unique_real_texts  # noqa: E402

from core.labeling.rules import columns, matcher  # noqa: E402

NON_ASCII = "\\x{80}-\\x{10FFFF}"  # the RE2 forms' Unicode word characters: moot for ASCII


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def main() -> None:
    texts = unique_real_texts(SHARED)
    found = columns.read_all(texts, ["GH"] * len(texts))
    asked = dict.fromkeys([*found.subject[1], *found.body[1]])
    questions = [q for q in asked if q is not None and q.isascii() and q.isprintable()]
    print(f"{len(questions):,} printable-ASCII questions from {len(texts):,} real texts")
    re2 = best(lambda: matcher.first_labels(questions))
    print(f"  RE2 passes (matcher.first_labels)  {re2:6.3f} s")
    try:
        import hyperscan
    except ImportError:
        print("  hyperscan is not installed (pip install hyperscan): nothing to compare")
        return
    rules = [(i, r.either.replace(NON_ASCII, "")) for i, r in enumerate(matcher.RULES)]
    database = hyperscan.Database()
    t0 = time.process_time()
    database.compile(
        expressions=[p.encode() for _, p in rules],
        ids=[i for i, _ in rules],
        elements=len(rules),
        flags=[hyperscan.HS_FLAG_MULTILINE] * len(rules),
    )
    compiled = time.process_time() - t0
    joined = "\n".join(questions).encode()
    ends: list[int] = []
    scan = best(lambda: database.scan(joined))
    report = best(lambda: database.scan(joined, match_event_handler=lambda *m: ends.append(1)))
    print(f"  Hyperscan scan only                {scan:6.3f} s   ({re2 / scan:4.1f}x faster)")
    print(f"  Hyperscan scan + report            {report:6.3f} s   ({re2 / report:4.1f}x faster)")
    print(f"  Hyperscan compile                  {compiled:6.3f} s   (once per process)")


if __name__ == "__main__":
    main()
