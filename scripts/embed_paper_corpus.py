"""Rebuild core/corpus/data/paper_corpus.json.gz from a folder of the replication CSVs.

The copy holds the tables SyncLens imports (families, switches, models, authors, the
published Dunn matrix), not the CSVs themselves, with the package's commit and date and each
CSV's git blob id (`git hash-object FILE` gives the same id, so anyone can check them
against the repository).

    python scripts/embed_paper_corpus.py ../shared/corpus \\
        --commit 17cc1f6d529e884914bebfb2c0feaf847a0ef323 --date 2025-04-11
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.corpus.embedded import EMBEDDED, build_embedded
from core.corpus.package import read_folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the package's dataset/ folder")
    parser.add_argument("--commit", required=True, help="the package commit the CSVs are from")
    parser.add_argument("--date", required=True, help="that commit's date (YYYY-MM-DD)")
    parser.add_argument("--output", type=Path, default=EMBEDDED)
    opts = parser.parse_args()
    data = build_embedded(read_folder(opts.folder), commit=opts.commit, date=opts.date)
    opts.output.write_bytes(data)
    print(f"wrote {opts.output} ({len(data) / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
