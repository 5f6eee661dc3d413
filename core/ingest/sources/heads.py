"""Where a repository's head is now, for one request each: `git ls-remote` for GitHub (no API
quota), else a conditional GitHub API request (a 304 costs no quota), and the Hub's model info.

Nothing here writes the cache; `core.ingest.watch` compares the answers with what it last saw.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests

from core import settings
from core.errors import SourceError
from core.ingest.sources.gitrepo import GitBackend, _git, check_repo_name
from core.records import GH, HF

LS_REMOTE_TIMEOUT = 60
API_TIMEOUT = 15


@dataclass(frozen=True)
class Head:
    """A repository's head as one request saw it.

    `sha` None with `not_modified`: the server said 304 (unchanged since `etag`);
    `gone`: the repository no longer exists (a variant deleted on the Hub).
    """

    platform: str
    repo: str
    sha: str | None
    via: str  # "ls-remote" | "api" | "model_info"
    etag: str | None = None
    not_modified: bool = False
    gone: bool = False


class HeadProbe:
    """Asks GitHub and the Hub for heads; counts what it sends (`requests`)."""

    def __init__(
        self,
        hub=None,
        *,
        git_url_template: str | None = None,
        api_url: str | None = None,
        token: str | None = None,
        session: requests.Session | None = None,
        use_git: bool = True,
    ) -> None:
        self.hub = hub
        self.git = GitBackend(settings.cache_dir(), git_url_template)
        self.api_url = (api_url or settings.github_api() or settings.PUBLIC_GITHUB_API).rstrip("/")
        self.token = token
        self.session = session or requests.Session()
        self.use_git = use_git
        self.requests = 0

    def hub_head(self, model_id: str) -> Head:
        """The variant's current commit from one `model_info`; `gone` when the Hub says 404.

        Raises:
            SourceError: anything but "not found" (network down, gated, rate limit, ...).
        """
        if self.hub is None:
            raise SourceError("No Hugging Face client to ask.", kind="network", repo=model_id)
        self.requests += 1
        try:
            info = self.hub.model_info(model_id)
        except SourceError as err:
            if err.kind == "not_found":
                return Head(HF, model_id, None, "model_info", gone=True)
            raise
        return Head(HF, model_id, info.sha, "model_info")

    def github_head(self, repo: str, etag: str | None = None) -> Head:
        """The default branch's head: `git ls-remote`, else the API asked with `etag`.

        Raises:
            SourceError: neither way could tell (the API's error when both failed).
        """
        check_repo_name(repo)
        if self.use_git:
            try:
                return self._ls_remote(repo)
            except SourceError as err:
                if err.kind in ("not_found", "private") and not self.token:
                    raise
        return self._api(repo, etag)

    def _ls_remote(self, repo: str) -> Head:
        self.requests += 1
        out = _git(
            ["ls-remote", "--symref", self.git.url_for(repo), "HEAD"],
            repo=repo,
            timeout=LS_REMOTE_TIMEOUT,
            action="ls-remote",
        ).decode()
        for line in out.splitlines():
            sha, _, ref = line.partition("\t")
            if ref == "HEAD" and not sha.startswith("ref:"):
                return Head(GH, repo, sha, "ls-remote")
        return Head(GH, repo, None, "ls-remote")  # an empty repository has no HEAD yet

    def _api(self, repo: str, etag: str | None) -> Head:
        headers = {"Accept": "application/vnd.github+json"}
        if etag:
            headers["If-None-Match"] = etag
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        self.requests += 1
        try:
            answer = self.session.get(
                f"{self.api_url}/repos/{repo}/commits",
                params={"per_page": 1},
                headers=headers,
                timeout=API_TIMEOUT,
            )
        except requests.RequestException as err:
            raise SourceError(
                f"Could not reach GitHub to look at {repo} (network down?); the cache is "
                "unchanged.",
                kind="network",
                repo=repo,
            ) from err
        new_etag = answer.headers.get("ETag") or etag
        if answer.status_code == 304:
            return Head(GH, repo, None, "api", etag=new_etag, not_modified=True)
        if answer.status_code == 409:  # an empty repository
            return Head(GH, repo, None, "api", etag=new_etag)
        if answer.status_code == 404:
            raise SourceError(
                f"There is no repository {repo} on GitHub.", kind="not_found", repo=repo
            )
        if answer.status_code in (403, 429):
            raise SourceError(
                f"GitHub refused to show {repo} ({answer.status_code}: rate limit or "
                "permissions); set GITHUB_TOKEN or try later.",
                kind="rate_limit" if answer.status_code == 429 else "auth",
                repo=repo,
            )
        if answer.status_code != 200:
            raise SourceError(
                f"GitHub answered {answer.status_code} for {repo}.", kind="server", repo=repo
            )
        items = answer.json()
        sha = items[0].get("sha") if isinstance(items, list) and items else None
        return Head(GH, repo, sha if isinstance(sha, str) else None, "api", etag=new_etag)
