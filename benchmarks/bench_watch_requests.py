"""Count requests (not seconds) that one `watch` look makes, against loopback fake servers.

A fake Hub (tests/loopback.py, HTTP on 127.0.0.1) holds five variants; GitHub is either a
real local git repository read by `git ls-remote`, or the fake GitHub API asked with the
stored ETag (a 304 answer costs no quota). Each look is counted at the servers (HTTP
requests) and by the probe (git operations included).

Target: one request per repository per look when nothing moved; a moved variant adds only
its own fetch (one model info + its commit pages).

    python benchmarks/bench_watch_requests.py
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_fetch_requests import GH_REPO, VARIANTS  # noqa: E402  (the same family)
from gitutil import build_repo, history, url_template  # noqa: E402
from hf_replay import ReplayClients, commit_item  # noqa: E402
from loopback import FakeGitHub, FakeHub  # noqa: E402

from core import store  # noqa: E402
from core.ingest.fetch import update_family  # noqa: E402
from core.ingest.sources.github import ApiBackend  # noqa: E402
from core.ingest.sources.github_client import make_github_client  # noqa: E402
from core.ingest.sources.gitrepo import GitBackend  # noqa: E402
from core.ingest.sources.heads import HeadProbe  # noqa: E402
from core.ingest.sources.hf import connect_hub  # noqa: E402
from core.ingest.watch import Look, look  # noqa: E402
from core.records import Family, FamilyMember  # noqa: E402


def quiet_hub(endpoint: str, tmp: Path):
    from huggingface_hub.utils import _detect_agent

    _detect_agent._registry = _detect_agent._EMPTY_REGISTRY  # no telemetry request
    return connect_hub(token="", endpoint=endpoint, readme_dir=tmp / "hf", sleep=lambda _s: None)


def scenario(name: str, tmp: Path, *, use_git: bool) -> bool:
    hub_server, gh_server = FakeHub(), FakeGitHub()
    try:
        for model_id, n in VARIANTS.items():
            hub_server.add_model(model_id, n, github=GH_REPO)
        gh_server.add_repo(GH_REPO, 250)
        build_repo(tmp / name / "remote" / GH_REPO, history("smallcloudai_Refact", 250))
        hub = quiet_hub(hub_server.server.url, tmp)
        if use_git:
            template = url_template(tmp / name / "remote")
            github = GitBackend(tmp / name / "cache", url_template=template)
        else:
            template = "http://127.0.0.1:9/{repo}"  # unused: use_git=False
            client = make_github_client(None, gh_server.server.url, seconds_between_requests=None)
            github = ApiBackend(client)
        clients = ReplayClients(hub, github)
        probe = HeadProbe(hub, git_url_template=template, api_url=gh_server.server.url,
                          use_git=use_git)  # fmt: skip
        family = Family(GH_REPO, GH_REPO, tuple(FamilyMember(m, "card") for m in VARIANTS))
        db = store.open_db(tmp / name / "bench.db")
        assert update_family(db, family, clients).ok
        n_repos = len(VARIANTS) + 1

        def counted() -> tuple[int, int, Look]:
            hub_server.server.requests.clear()
            gh_server.server.requests.clear()
            before = probe.requests
            seen = look(db, family, probe, clients)
            http = len(hub_server.server.requests) + len(gh_server.server.requests)
            return probe.requests - before, http, seen

        first_probe, first_http, first = counted()
        again_probe, again_http, again = counted()
        conditional = any("if-none-match" in r.headers for r in gh_server.server.requests)
        grown = hub_server.models["smallcloudai/refact-tiny"]
        newest = datetime.fromisoformat(grown.commits[0]["date"].replace("Z", "+00:00"))
        grown.commits.insert(0, commit_item("f" * 40, newest + timedelta(days=1), "new weights"))
        moved_probe, moved_http, moved = counted()
        db.close()
    finally:
        hub_server.server.close()
        gh_server.server.close()
    github_way = "git ls-remote (local repository)" if use_git else "API + ETag (loopback)"
    print(f"{name}: {len(VARIANTS)} HF variants + GitHub via {github_way}")
    print(
        f"  first look:      {first_probe} head requests ({first_http} HTTP), "
        f"changed: {len(first.changed)}"
    )
    print(
        f"  unchanged look:  {again_probe} head requests ({again_http} HTTP) for {n_repos} "
        f"repositories (target {n_repos}); fetched: {again.fetch is not None}"
        + ("; GitHub asked with If-None-Match (304)" if conditional else "")
    )
    fetch_requests = moved.fetch.requests if moved.fetch else 0
    print(
        f"  one variant moved: {moved_probe} head requests + {fetch_requests} to fetch it "
        f"({moved_http} HTTP in all); fetched: "
        f"{[r.repo for r in moved.fetch.repos] if moved.fetch else []}"
    )
    return (
        first_probe == n_repos
        and again_probe == n_repos
        and again_http == (len(VARIANTS) if use_git else n_repos)
        and again.fetch is None
        and (use_git or conditional)
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="synclens-bench-watch-") as tmp:
        ok = scenario("git", Path(tmp), use_git=True) & scenario("api", Path(tmp), use_git=False)
    print("OK" if ok else "UNEXPECTED COUNTS")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
