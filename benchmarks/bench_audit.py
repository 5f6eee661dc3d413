"""Time `python -m core audit`'s work for a cached family with 10 variants; count listing requests.

The cache holds a real GitHub history (../shared/data/gh_histories/allenai_OLMo.csv,
4,700 commits), 10 HF variants with 300 commits each spread over the same years, and the
paper's corpus (../shared/corpus). File listings are replayed: the Hub's tree endpoint with
respx (60 files per variant, LFS weights included), GitHub's git trees endpoint with
`responses` (2,000 files). Target: the audit (gather + audit + Markdown) in under 1 s, and
one listing request per repository, no downloads.

    python benchmarks/bench_audit.py
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import responses
import respx

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from gitutil import history  # noqa: E402
from hf_replay import HUB, ReplayClients, hub_for  # noqa: E402

from core import store  # noqa: E402
from core.audit import audit_family  # noqa: E402
from core.audit.badge import render_badge  # noqa: E402
from core.audit.inputs import audit_gathered, gather_inputs  # noqa: E402
from core.audit.render import render_markdown  # noqa: E402
from core.corpus import import_replication  # noqa: E402
from core.ingest.sources.github import make_github_client  # noqa: E402
from core.records import GH, HF, CommitRecord, Family, FamilyMember  # noqa: E402

GH_REPO = "allenai/OLMo"
VARIANTS = [f"allenai/olmo-variant-{i}" for i in range(10)]
HF_COMMITS = 300
GH_FILES = 2000
TODAY = datetime(2024, 10, 13, tzinfo=UTC)
TITLES = [
    "Upload config.json",
    "Update README.md",
    "Upload tokenizer.json",
    "Adding `safetensors` variant of this model",
    "Update generation_config.json",
]


def blob(text: str) -> str:
    data = text.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def seed(db) -> Family:
    family = Family(GH_REPO, GH_REPO, tuple(FamilyMember(v, "user") for v in VARIANTS))
    store.save_family(db, family)
    rows = history("allenai_OLMo")
    gh = [
        CommitRecord(
            GH,
            GH_REPO,
            hashlib.sha1(f"{i}".encode()).hexdigest(),
            datetime.fromisoformat(a.replace("Z", "+00:00")).astimezone(UTC),
            msg.split("\n", 1)[0],
            msg,
            name,
            email,
        )
        for i, (name, email, a, _c, msg) in enumerate(rows)
    ]
    store.save_commits(db, gh)
    start, end = min(c.authored_at for c in gh), max(c.authored_at for c in gh)
    rnd = random.Random(7)
    span = (end - start).total_seconds()
    hf = [
        CommitRecord(
            HF,
            v,
            hashlib.sha1(f"{v}:{i}".encode()).hexdigest(),
            start + timedelta(seconds=rnd.random() * span),
            TITLES[i % len(TITLES)],
        )
        for v in VARIANTS
        for i in range(HF_COMMITS)
    ]
    store.save_commits(db, hf)
    return family


def gh_tree() -> dict:
    entries = [
        {
            "path": f"megatron/module_{i}.py",
            "mode": "100644",
            "type": "blob",
            "sha": blob(f"m{i}"),
            "size": 1000 + i,
        }
        for i in range(GH_FILES - 6)
    ]
    for name, text in [
        ("README.md", "readme"),
        ("requirements.txt", "torch"),
        ("LICENSE", "apache"),
        ("hf/config.json", "cfg-0"),
        ("hf/tokenizer.json", "tok"),
        ("hf/generation_config.json", "gen"),
    ]:
        entries.append(
            {"path": name, "mode": "100644", "type": "blob", "sha": blob(text), "size": len(text)}
        )
    return {"sha": "f" * 40, "url": "", "tree": entries, "truncated": False}


def hf_tree(i: int) -> list[dict]:
    files = [
        ("README.md", f"card {i}"),
        ("config.json", f"cfg-{i % 3}"),
        ("tokenizer.json", "tok"),
        ("generation_config.json", f"gen{i}"),
        ("special_tokens_map.json", "stm"),
        ("tokenizer_config.json", "tc"),
    ]
    items = [{"type": "file", "oid": blob(t), "size": len(t), "path": p} for p, t in files]
    for k in range(54):
        sha = hashlib.sha256(f"{i}:{k}".encode()).hexdigest()
        items.append(
            {
                "type": "file",
                "oid": blob(sha),
                "size": 4_000_000_000,
                "lfs": {"oid": sha, "size": 4_000_000_000, "pointerSize": 135},
                "path": f"model-{k:05d}-of-00054.safetensors",
            }
        )
    return items


def run_audit(db, family, hub, client):
    inputs = gather_inputs(db, family, ReplayClients(hub, api=client))
    report = audit_gathered(inputs, today=TODAY)
    render_markdown(report)
    render_badge(report)
    return inputs, report


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="synclens-bench-") as tmp:
        db = store.open_db(Path(tmp) / "bench.db")
        family = seed(db)
        import_replication(db, SHARED / "corpus")
        n = db.execute("SELECT count(*) FROM commits").fetchone()[0]
        router = respx.Router(assert_all_mocked=True)
        for i, v in enumerate(VARIANTS):
            router.get(f"{HUB}/api/models/{v}/tree/main").mock(
                return_value=httpx.Response(200, json=hf_tree(i))
            )
        hub = hub_for(router, Path(tmp))
        client = make_github_client(None, seconds_between_requests=None)
        with responses.RequestsMock() as rsps:
            rsps.get(
                re.compile(
                    r"^https://api\.github\.com(:443)?/repos/allenai/OLMo/"
                    r"git/trees/HEAD"
                ),
                json=gh_tree(),
            )
            timings = []
            for _ in range(4):
                before_hf, before_gh = len(router.calls), len(rsps.calls)
                t0 = time.perf_counter()
                inputs, report = run_audit(db, family, hub, client)
                timings.append(time.perf_counter() - t0)
                hf_req, gh_req = len(router.calls) - before_hf, len(rsps.calls) - before_gh
            t0 = time.perf_counter()
            report = audit_family(
                family.name,
                family.github_repo,
                family.variants,
                inputs.commits,
                hf_listings=inputs.hf_listings,
                gh_listing=inputs.gh_listing,
                corpus=inputs.corpus,
                today=TODAY,
            )
            pure = time.perf_counter() - t0
        print(
            f"family {GH_REPO}: {len(VARIANTS)} variants, {n:,} cached commits, "
            f"{GH_FILES:,} GitHub files, {sum(len(hf_tree(i)) for i in range(10))} HF files"
        )
        print(f"first audit (labels computed by the rules labeler): {timings[0] * 1000:.0f} ms")
        warm = sorted(timings[1:])[len(timings[1:]) // 2]
        print(
            f"audit with labels cached (gather + audit + Markdown + badge), median: "
            f"{warm * 1000:.0f} ms  (target < 1000 ms)"
        )
        print(f"audit_family alone (pure): {pure * 1000:.0f} ms")
        print(
            f"listing requests per audit: Hub {hf_req} for {len(VARIANTS)} variants, "
            f"GitHub {gh_req} for 1 repository (target: one per repository)"
        )
        print(
            f"findings: pattern {report.standing.pattern}, "
            f"{sum(s.is_stale for s in report.stale)} stale variants, "
            f"{report.drift.count('different')} differing files, "
            f"{report.isolated.n_gh + report.isolated.n_hf} isolated changes, "
            f"{len(report.recommendations)} recommendations"
        )
        ok = warm < 1.0 and hf_req == len(VARIANTS) and gh_req == 1
        print("PASS" if ok else "FAIL")
        db.close()
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
