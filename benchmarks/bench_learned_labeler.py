"""Benchmark the learned labeler on every unique real text of ../shared/data (about 43,000
GitHub messages and HF title+message pairs, once per platform as the cache keys them).

CPU time, in one run, with the ratios between them:
1. learned: `LearnedLabeler.label_with_confidence` over all texts, cold (the model just
   loaded, its per-word feature memo empty) and warm (a second pass in the same process, as
   when the app labels its next family). Target: >= 20,000 texts/s.
2. rules: the rules labeler on the same texts (the learned labeler runs it too: its
   decision is a feature).
3. floor: scikit-learn's HashingVectorizer (words, unigrams) transforming the same texts:
   the cheapest n-gram vectoriser, with no labeling at all.
Also: the model file's size and its load time.

    nice python benchmarks/bench_learned_labeler.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from real_texts import real_texts  # noqa: E402

from core.labeling.learned.labeler import LearnedLabeler  # noqa: E402
from core.labeling.learned.model import MODEL_FILE, load_model  # noqa: E402
from core.labeling.rules import label_texts  # noqa: E402


def cpu(fn) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = parser.parse_args()
    from sklearn.feature_extraction.text import HashingVectorizer

    frame = real_texts().drop_duplicates(["platform", "text"])
    texts, platforms = frame["text"].tolist(), frame["platform"].tolist()
    n = len(texts)
    load = cpu(load_model)
    floor_vectorizer = HashingVectorizer(alternate_sign=False)

    def learned_run(warm: bool) -> float:  # the model load is not part of labeling
        labeler = LearnedLabeler(load_model())
        if warm:
            labeler.label_with_confidence(texts, platforms)
        return cpu(lambda: labeler.label_with_confidence(texts, platforms))

    times = {
        "learned": min(learned_run(False) for _ in range(args.repeat)),
        "learned_warm": min(learned_run(True) for _ in range(args.repeat)),
        "rules": min(cpu(lambda: label_texts(texts, platforms)) for _ in range(args.repeat)),
        "floor": min(cpu(lambda: floor_vectorizer.transform(texts)) for _ in range(args.repeat)),
    }
    rate = {k: n / v for k, v in times.items()}
    result = {
        "texts": n,
        "texts_per_s": {k: round(v) for k, v in rate.items()},
        "learned_vs_rules": round(times["learned"] / times["rules"], 2),
        "learned_vs_floor": round(times["learned"] / times["floor"], 2),
        "model_mb": round(MODEL_FILE.stat().st_size / 1e6, 2),
        "model_load_s": round(load, 3),
        "target_met_cold": rate["learned"] >= 20_000,
        "target_met_warm": rate["learned_warm"] >= 20_000,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
