"""GitHub commit histories: the backend interface, the REST API backend and the choice between them.

Two backends yield the same `CommitRecord`s (default branch, newest first): `ApiBackend`
(PyGithub, 100 commits per request, needs quota) and `gitrepo.GitBackend` (a partial clone read
with `git log`, no quota). `choose_backend` picks one and says why. The client itself (retries,
waits) is built in `github_client`; failures are worded in `github_errors`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import github
import requests
from github.GithubException import GithubException
from urllib3.exceptions import MaxRetryError

from core.errors import InputError, SourceError
from core.ingest.sources.github_client import PER_PAGE, make_github_client
from core.ingest.sources.github_errors import network_error, source_error
from core.ingest.sources.gitrepo import GitBackend
from core.ingest.sources.listing import PagedListing, link_header, page_number
from core.ingest.sources.retry import GITHUB_RETRY, RetryPolicy
from core.ingest.targets import check_github_repo
from core.records import GH, CommitRecord

LONG_HISTORY = 1000  # commits; above this `auto` prefers git (10+ API requests, no quota needed)
VIAS = ("auto", "api", "git")


class GitHubBackend(Protocol):
    """Anything that yields a GitHub repository's default-branch commits, newest first.

    `name` is "api" or "git"; `requests` counts the network requests (HTTP requests or git
    network operations) made so far, for the "a refresh costs one request" promise.
    """

    name: str
    requests: int

    def iter_commits(self, repo: str, since: datetime | None = None) -> Iterator[CommitRecord]:
        """Yield `repo`'s default-branch commits (newest first), committed at or after `since`.

        Raises:
            SourceError: the repository cannot be read (kind says why; cache untouched).
        """
        ...


# --- the API backend -------------------------------------------------------------------------


class ApiBackend:
    """Default-branch commits through the REST API: `GET /repos/{repo}/commits`, 100 per page.

    A first fetch of n commits costs ceil(n / 100) requests (the repository itself is never
    fetched: without `sha` the endpoint lists the default branch); a refresh with `since`
    costs one request when nothing is new. An empty repository (HTTP 409) yields nothing.

    The pages are followed here, not by PyGithub's `PaginatedList` (which takes an empty page
    or a JSON object for the end of the list): each page must be a list, the chain must reach
    the `rel="last"` page GitHub announced, or the listing raises (kind "incomplete"). A
    connection reset while a page arrives is retried a few times (`policy`).
    """

    name = "api"

    def __init__(
        self,
        client: github.Github,
        *,
        policy: RetryPolicy = GITHUB_RETRY,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.policy = policy
        self.sleep = sleep
        self.requests = 0
        # Parent shas of the commits the last `iter_commits` yielded: a parent that is neither
        # listed nor cached shows that `since` (committer dates) hid a branch merged late.
        self.parents: set[str] = set()

    def iter_commits(self, repo: str, since: datetime | None = None) -> Iterator[CommitRecord]:
        """Yield commits newest first; `since` keeps those committed at or after it.

        GitHub compares `since` with the committer date, inclusively, so a refresh from the
        newest cached `committed_at` returns that commit again (the store upserts by sha).
        Without `since` the listing is proved whole before it ends: the pages reached the
        last one GitHub announced, and every listed commit's parents were listed too.
        """
        check_github_repo(repo)
        self.parents = set()
        params: dict[str, Any] = {"per_page": PER_PAGE}
        if since is not None:
            params["since"] = _utc(since).strftime("%Y-%m-%dT%H:%M:%SZ")
        listing = PagedListing("GitHub", repo, f"the commit list of {repo}", nonempty=since is None)
        try:
            if self.client.requester.is_not_lazy:
                self.requests += 1  # a non-lazy client fetches the repository first
            listed: set[str] = set()
            for page in self._pages(f"/repos/{repo}/commits", params, listing):
                for item in page:
                    record = commit_from_json(repo, item)
                    listed.add(record.sha)
                    self.parents.update(
                        str(p["sha"]) for p in item.get("parents") or () if p.get("sha")
                    )
                    yield record
            unlisted = self.parents - listed
            if since is None and unlisted:
                # A whole history holds every parent of every commit in it.
                raise listing.broken(f"{len(unlisted)} parent commit(s) were never listed")
        except SourceError:
            raise
        except GithubException as exc:
            if exc.status == 409:  # "Git Repository is empty."
                return
            raise source_error(repo, exc, self.client) from exc
        except (requests.RequestException, MaxRetryError) as exc:
            raise network_error(repo, exc) from exc
        except (ValueError, TypeError, KeyError, AttributeError, AssertionError) as exc:
            raise SourceError(
                f"GitHub sent an unreadable commit list for {repo} ({type(exc).__name__}); "
                "the cache is unchanged. Try again later, or use --via git.",
                kind="malformed",
                repo=repo,
            ) from exc

    def _pages(
        self, url: str, params: dict[str, Any] | None, listing: PagedListing
    ) -> Iterator[list[dict]]:
        """Each page of a listing, following `rel="next"` on GitHub's own host, then
        `listing.finish()`."""
        while True:
            headers, data = self._get(url, params)
            links = link_header(headers.get("link"))
            yield listing.page(
                data, has_next="next" in links, last_page=page_number(links.get("last"))
            )
            if "next" not in links:
                break
            url = listing.next_page(self.client.requester.base_url, links["next"])
            params = None
        listing.finish()

    def _get(self, url: str, params: dict[str, Any] | None) -> tuple[dict[str, Any], Any]:
        """One page; a connection reset while its body arrives is retried (urllib3 retries
        only until the headers)."""
        for attempt in range(self.policy.retries + 1):
            self.requests += 1
            try:
                return self.client.requester.requestJsonAndCheck("GET", url, params)
            except requests.exceptions.ChunkedEncodingError:
                if attempt == self.policy.retries:
                    raise
                self.sleep(self.policy.delay(attempt))
        raise AssertionError("unreachable")

    def count_commits(self, repo: str) -> int:
        """The default branch's commit count from one cheap request (`per_page=1`, `Link` last page)."""
        check_github_repo(repo)
        try:
            self.requests += 1
            return self.client.get_repo(repo).get_commits().totalCount
        except GithubException as exc:
            if exc.status == 409:
                return 0
            raise source_error(repo, exc, self.client) from exc
        except (requests.RequestException, MaxRetryError) as exc:
            raise network_error(repo, exc) from exc
        except (ValueError, TypeError, KeyError) as exc:
            raise SourceError(
                f"GitHub sent an unreadable answer while counting the commits of {repo}. "
                "Try again later, or use --via git.",
                kind="malformed",
                repo=repo,
            ) from exc


def commit_from_json(repo: str, item: dict[str, Any]) -> CommitRecord:
    """One item of the list-commits answer as a `CommitRecord` (author date, in UTC, is the time).

    Raises KeyError/TypeError/ValueError on an item that lacks the documented fields.
    """
    commit = item["commit"]
    author = commit["author"] or {}
    committer = commit.get("committer") or {}
    message = commit["message"] or ""
    user = item.get("author") or {}
    committed = committer.get("date")
    return CommitRecord(
        platform=GH,
        repo=repo,
        sha=str(item["sha"]),
        authored_at=_parse_time(author.get("date") or committer["date"]),
        committed_at=_parse_time(committed) if committed else None,
        author_name=author.get("name"),
        author_email=author.get("email"),
        author_login=user.get("login") if isinstance(user, dict) else None,
        title=first_line(message),
        message=message,
    )


def first_line(message: str) -> str:
    """A commit's title: its first line, as `git log --oneline` and GitHub show it."""
    return message.split("\n", 1)[0].rstrip("\r")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


# --- choosing a backend ----------------------------------------------------------------------


def choose_backend(
    via: str,
    *,
    token: str | None,
    repo: str,
    cache_dir: Path,
    client: github.Github | None = None,
    known_commit_count: int | None = None,
) -> tuple[GitHubBackend, str]:
    """Return the backend for `via` ("api", "git" or "auto") and one line saying why.

    `auto` uses git when no token is set (60 API requests an hour would not go far) or the
    history is long (> 1000 commits, from the cache's count or else one probe request that
    reads the count from the `Link` header), and the API otherwise. A probe that hits a rate
    limit or a server error falls back to git; an unknown or private repository raises.
    """
    if via not in VIAS:
        raise InputError(f"--via must be one of {', '.join(VIAS)}, not {via!r}.")
    if via == "git":
        return GitBackend(cache_dir), "Using git (--via git): a partial clone, no API quota."
    api = ApiBackend(client or make_github_client(token))
    if via == "api":
        return api, "Using the GitHub API (--via api)."
    if not token:
        return GitBackend(cache_dir), (
            "Using git: no GITHUB_TOKEN is set, and unauthenticated "
            "API access allows only 60 requests an hour."
        )
    count, source = known_commit_count, "cached"
    if count is None:
        try:
            count, source = api.count_commits(repo), "counted"
        except SourceError as err:
            if err.kind in ("not_found", "private", "auth"):
                raise
            return GitBackend(cache_dir), (
                f"Using git: the API probe failed ({err.kind}), and git needs no API quota."
            )
    if count > LONG_HISTORY:
        return GitBackend(cache_dir), (
            f"Using git: {repo} has a long history ({count:,} "
            f"commits {source}), faster to clone than to page."
        )
    return api, (
        f"Using the GitHub API: {repo} has {count:,} commits ({source}), "
        f"{max(1, -(-count // PER_PAGE))} request(s) at most."
    )
