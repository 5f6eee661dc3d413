"""Benchmark the family page on a family with 10,000 commits and 10 variants (warm cache).

Targets: the page renders server-side (AppTest) in under 2 s; the engine and chart building
for the family take under 300 ms.

    python benchmarks/bench_family_page.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core import store  # noqa: E402
from core.engine.analysis import analyze  # noqa: E402
from core.figures.family import timeline_figure  # noqa: E402
from core.labeling.rules import RulesLabeler  # noqa: E402
from core.records import CommitRecord, Family, FamilyMember  # noqa: E402
from core.report.family import build_report  # noqa: E402

SHARED = REPO.parent / "shared"


def big_family(db, n_commits: int = 10_000, n_variants: int = 10) -> Family:
    """Real GitHub messages over a synthetic 4-year history, plus HF commits on 10 variants."""
    rng = np.random.default_rng(3)
    messages = pd.read_csv(SHARED / "data" / "gh_histories" / "DeepPavlov_rubert.csv")["message"]
    messages = messages.dropna().tolist()
    hf_titles = [
        "Update README.md",
        "Upload config.json",
        "Upload model.safetensors",
        "Update tokenizer_config.json",
        "Upload folder using huggingface_hub",
    ]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    variants = [f"bench-org/model-{i}" for i in range(n_variants)]
    n_hf = n_commits // 5
    records = []
    for i in range(n_commits - n_hf):
        when = start + timedelta(minutes=int(rng.integers(0, 4 * 365 * 24 * 60)))
        msg = messages[i % len(messages)]
        records.append(
            CommitRecord(
                "GH",
                "bench-org/model",
                f"gh{i:06d}",
                when,
                title=msg.split("\n")[0],
                message=msg,
                author_name=f"dev{i % 23}",
            )
        )
    for i in range(n_hf):
        when = start + timedelta(minutes=int(rng.integers(200_000, 4 * 365 * 24 * 60)))
        records.append(
            CommitRecord(
                "HF",
                variants[i % n_variants],
                f"hf{i:06d}",
                when,
                title=hf_titles[i % len(hf_titles)],
                author_name=f"dev{i % 7}",
                authors=(f"dev{i % 7}",),
            )
        )
    family = Family(
        "bench-org/model", "bench-org/model", tuple(FamilyMember(v, "user") for v in variants)
    )
    store.save_family(db, family)
    store.save_commits(db, records)
    return family


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_file = Path(tmp) / "bench.db"
        db = store.open_db(db_file)
        family = big_family(db)
        build_report(db, family, labeler=RulesLabeler())  # warm: labels cached

        t = time.perf_counter()
        report = build_report(db, family, labeler=RulesLabeler())
        t_report = time.perf_counter() - t
        frame = store.family_commits(db, family)
        t = time.perf_counter()
        result = analyze(frame)[0]
        t_engine = time.perf_counter() - t
        t = time.perf_counter()
        timeline_figure(report.commits, pd.Timestamp(result.t0), result.co_active_periods)
        t_chart = time.perf_counter() - t
        print(
            f"family: {len(frame):,} commits, {len(family.variants)} variants, "
            f"{result.n_periods} periods, pattern {result.pattern}"
        )
        print(
            f"engine (analyze): {t_engine * 1000:.0f} ms; timeline figure: "
            f"{t_chart * 1000:.0f} ms; engine + chart: {(t_engine + t_chart) * 1000:.0f} ms"
        )
        print(
            f"full report from the cache (read, labels from cache, engine, delays, "
            f"shares): {t_report * 1000:.0f} ms"
        )

        os.environ["SYNCLENS_DB"] = str(db_file)
        from streamlit.testing.v1 import AppTest

        times = []
        for _ in range(3):
            at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
            at.query_params["q"] = "bench-org/model"
            at.run()
            at.switch_page("pages/family.py")
            t = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t)
            assert not at.exception, at.exception
        print(
            "family page render (AppTest, server side): "
            + ", ".join(f"{x:.2f} s" for x in times)
            + " (first run fills st.cache_data; later runs are warm)"
        )


if __name__ == "__main__":
    main()
