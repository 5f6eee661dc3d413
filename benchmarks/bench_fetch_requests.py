"""Count requests (not seconds) that `fetch_family` makes for a family with several variants.

HF answers are replayed with respx exactly as the tests do (tests/hf_replay.py: 50 commits a
page, `Link` headers); GitHub answers with `responses` through the real API backend
(tests/ghreplay.py, 100 commits a page) over a real history from ../shared/data/gh_histories.

Targets: an unchanged refresh costs one request per repository; a first fetch costs
1 + ceil(n/50) per HF variant and ceil(n/100) for the GitHub repository.

    python benchmarks/bench_fetch_requests.py
"""

from __future__ import annotations

import math
import sys
import tempfile
from pathlib import Path

import responses
import respx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from ghreplay import CommitsEndpoint, items_from_history  # noqa: E402
from gitutil import history  # noqa: E402
from hf_replay import hub_for, mock_commits, mock_model_info, synthetic_commits  # noqa: E402

from core import store  # noqa: E402
from core.ingest.fetch import fetch_family  # noqa: E402
from core.ingest.sources.github import ApiBackend  # noqa: E402
from core.ingest.sources.github_client import make_github_client  # noqa: E402
from core.records import Family, FamilyMember  # noqa: E402

GH_REPO = "smallcloudai/refact"
VARIANTS = {
    "smallcloudai/Refact-1_6B-fim": 260,
    "smallcloudai/Refact-1_6-base": 120,
    "smallcloudai/refact-tiny": 51,
    "smallcloudai/refact-docs": 50,
    "smallcloudai/refact-gguf": 7,
}


def serve_hub(router: respx.Router, sha_suffix: str = "a", grow: str | None = None) -> None:
    router.routes.clear()
    for model, n in VARIANTS.items():
        extra = 3 if model == grow else 0
        sha = (sha_suffix * 40) if model != grow else "c" * 40
        mock_model_info(router, model, sha)
        mock_commits(router, model, synthetic_commits(model, n + extra))


def main() -> None:
    family = Family(GH_REPO, GH_REPO, tuple(FamilyMember(m, "card") for m in VARIANTS))
    rows = history("smallcloudai_Refact", limit=250)
    with (
        tempfile.TemporaryDirectory(prefix="synclens-bench-") as tmp,
        responses.RequestsMock() as rsps,
    ):
        db = store.open_db(Path(tmp) / "bench.db")
        router = respx.Router(assert_all_mocked=True)
        hub = hub_for(router, Path(tmp))
        endpoint = CommitsEndpoint(GH_REPO, items_from_history(GH_REPO, rows)).register(rsps)
        github = ApiBackend(make_github_client("ghp_benchmark", seconds_between_requests=None))

        serve_hub(router)
        first = fetch_family(db, family, hub=hub, github=github)
        hf_first, gh_first = len(router.calls), len(endpoint.calls)

        serve_hub(router)
        router.calls.clear()
        endpoint.calls.clear()
        again = fetch_family(db, family, hub=hub, github=github, refresh=True)
        hf_again, gh_again = len(router.calls), len(endpoint.calls)

        serve_hub(router, grow="smallcloudai/refact-tiny")
        router.calls.clear()
        endpoint.calls.clear()
        grown = fetch_family(db, family, hub=hub, github=github, refresh=True)
        hf_grown, gh_grown = len(router.calls), len(endpoint.calls)
        db.close()

    n_repos = len(VARIANTS) + 1
    expected_hf = sum(1 + math.ceil(n / 50) for n in VARIANTS.values())
    expected_gh = math.ceil(len(rows) / 100)
    print(
        f"family {GH_REPO}: {len(VARIANTS)} HF variants ({sum(VARIANTS.values())} commits) "
        f"+ GitHub ({len(rows)} commits, real history)"
    )
    print(
        f"first fetch:        HF {hf_first:3d} requests (expected {expected_hf}: model info + "
        f"ceil(n/50) pages each), GitHub {gh_first} (expected ceil({len(rows)}/100) = "
        f"{expected_gh}); all complete: {first.ok}"
    )
    print(
        f"unchanged refresh:  HF {hf_again:3d} requests, GitHub {gh_again}  -> "
        f"{hf_again + gh_again} for {n_repos} repositories (target: at most {n_repos}); "
        f"statuses: {sorted({r.status for r in again.repos})}"
    )
    print(
        f"one variant grew:   HF {hf_grown:3d} requests, GitHub {gh_grown}  -> the changed "
        f"variant re-lists its pages, the others cost one request; new commits: "
        f"{sum(r.n_new for r in grown.repos)}"
    )
    ok = (
        hf_first == expected_hf
        and gh_first == expected_gh
        and hf_again + gh_again <= n_repos
        and again.ok
    )
    print("OK" if ok else "UNEXPECTED COUNTS")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
