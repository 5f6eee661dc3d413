"""GitHub commit histories: the backend interface, the REST API backend and the choice between them.

Two backends yield the same `CommitRecord`s (default branch, newest first): `ApiBackend`
(PyGithub, 100 commits per request, needs quota) and `gitrepo.GitBackend` (a partial clone read
with `git log`, no quota). `choose_backend` picks one and says why.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import github
import requests
from github.GithubException import (
    BadCredentialsException,
    GithubException,
    RateLimitExceededExceedsMaxWait,
    UnknownObjectException,
)
from github.GithubRetry import GithubRetry
from urllib3.exceptions import MaxRetryError, ResponseError

from core.errors import InputError, SourceError
from core.ingest.sources.gitrepo import GitBackend, check_repo_name
from core.records import GH, CommitRecord
from core.settings import redact

PER_PAGE = 100
MAX_WAIT_SECONDS = 60.0
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


# --- the client ------------------------------------------------------------------------------


class BoundedRetry(GithubRetry):
    """PyGithub's retry policy with a ceiling on how long one request may wait.

    `GithubRetry` waits until `X-RateLimit-Reset` on a primary rate limit (up to an hour),
    60 s on a secondary one, and urllib3 honours any `Retry-After`. Here the sum of the waits
    for one request is capped at `max_wait`; past it the rate-limit response is raised at once,
    so the caller can tell the user when to come back instead of hanging.
    """

    def __init__(
        self, max_wait: float = MAX_WAIT_SECONDS, waited: float = 0.0, **kwargs: Any
    ) -> None:
        kwargs.setdefault("max_rate_limit_wait", max_wait)
        kwargs.setdefault("secondary_rate_wait", min(60.0, max_wait))
        kwargs.setdefault("retry_after_max", max(int(max_wait), 0))
        super().__init__(**kwargs)
        self.max_wait = max_wait
        self.waited = waited

    def new(self, **kw: Any) -> BoundedRetry:
        kw.setdefault("max_wait", self.max_wait)
        kw.setdefault("waited", self.waited)
        return super().new(**kw)

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> BoundedRetry:
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        assert isinstance(retry, BoundedRetry)
        # urllib3 sleeps Retry-After when present (capped, hence read raw here), otherwise
        # the backoff that GithubRetry set from X-RateLimit-Reset
        raw = response.headers.get("Retry-After") if response is not None else None
        if raw is None:
            wait = retry.get_backoff_time()
        elif raw.strip().isdigit():
            wait = float(raw)
        else:
            wait = retry.get_retry_after(response) or 0.0
        if self.waited + wait > self.max_wait:
            status = getattr(response, "status", None)
            if status in (403, 429):
                raise RateLimitExceededExceedsMaxWait(
                    status, None, dict(response.headers), wait=wait
                )
            raise MaxRetryError(
                _pool,
                url or "",
                ResponseError(
                    f"waiting {wait:.0f}s more would pass the {self.max_wait:.0f}s limit"
                ),
            )
        retry.waited = self.waited + wait
        return retry


def make_github_client(
    token: str | None,
    base_url: str | None = None,
    *,
    max_wait: float = MAX_WAIT_SECONDS,
    timeout: int = 15,
    seconds_between_requests: float | None = 0.25,
) -> github.Github:
    """Build the one PyGithub client a session uses (call with `settings.secret("GITHUB_TOKEN")`).

    100 items per page, lazy objects (no request until data is needed), at most 3 retries
    for 5xx and rate limits, never more than `max_wait` seconds of waiting per request.
    The token is only handed to PyGithub's auth object, never logged.
    """
    retry = BoundedRetry(max_wait=max_wait, total=3, backoff_factor=0.5, raise_on_status=False)
    return github.Github(
        auth=github.Auth.Token(token) if token else None,
        base_url=base_url or github.Consts.DEFAULT_BASE_URL,
        per_page=PER_PAGE,
        retry=retry,
        timeout=timeout,
        seconds_between_requests=seconds_between_requests,
        lazy=True,
    )


# --- the API backend -------------------------------------------------------------------------


class ApiBackend:
    """Default-branch commits through the REST API: `GET /repos/{repo}/commits`, 100 per page.

    A first fetch of n commits costs ceil(n / 100) requests (the repository itself is never
    fetched: without `sha` the endpoint lists the default branch); a refresh with `since`
    costs one request when nothing is new. An empty repository (HTTP 409) yields nothing.
    """

    name = "api"

    def __init__(self, client: github.Github) -> None:
        self.client = client
        self.requests = 0
        # Parent shas of the commits the last `iter_commits` yielded: a parent that is neither
        # listed nor cached shows that `since` (committer dates) hid a branch merged late.
        self.parents: set[str] = set()

    def iter_commits(self, repo: str, since: datetime | None = None) -> Iterator[CommitRecord]:
        """Yield commits newest first; `since` keeps those committed at or after it.

        GitHub compares `since` with the committer date, inclusively, so a refresh from the
        newest cached `committed_at` returns that commit again (the store upserts by sha).
        """
        check_repo_name(repo)
        self.parents = set()
        kwargs: dict[str, Any] = {}
        if since is not None:
            kwargs["since"] = _utc(since).replace(tzinfo=None)
        try:
            if self.client.requester.is_not_lazy:
                self.requests += 1  # a non-lazy client fetches the repository first
            pages = self.client.get_repo(repo).get_commits(**kwargs)
            # PaginatedList fetches one page per _grow(); driving it by hand lets us count
            # requests exactly and read each item's JSON without PyGithub completing it
            # (`raw_data` would GET every commit again).
            while pages._couldGrow():
                self.requests += 1
                for item in pages._grow():
                    record = commit_from_json(repo, item._rawData)
                    self.parents.update(
                        str(p["sha"]) for p in item._rawData.get("parents") or () if p.get("sha")
                    )
                    yield record
        except SourceError:
            raise
        except GithubException as exc:
            if exc.status == 409:  # "Git Repository is empty."
                return
            raise source_error(repo, exc, self.client) from exc
        except (requests.RequestException, MaxRetryError) as exc:
            raise _network_error(repo, exc) from exc
        except (ValueError, TypeError, KeyError, AttributeError, AssertionError) as exc:
            raise SourceError(
                f"GitHub sent an unreadable commit list for {repo} ({type(exc).__name__}); "
                "the cache is unchanged. Try again later, or use --via git.",
                kind="malformed",
                repo=repo,
            ) from exc

    def count_commits(self, repo: str) -> int:
        """The default branch's commit count from one cheap request (`per_page=1`, `Link` last page)."""
        check_repo_name(repo)
        try:
            self.requests += 1
            return self.client.get_repo(repo).get_commits().totalCount
        except GithubException as exc:
            if exc.status == 409:
                return 0
            raise source_error(repo, exc, self.client) from exc
        except (requests.RequestException, MaxRetryError) as exc:
            raise _network_error(repo, exc) from exc
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


# --- errors ----------------------------------------------------------------------------------


def _headers(exc: GithubException) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in (exc.headers or {}).items()}


def _message(exc: GithubException) -> str:
    data = exc.data
    if isinstance(data, dict) and data.get("message"):
        return str(data["message"])
    return exc.message or ""


def reset_time(headers: dict[str, str], now: datetime | None = None) -> datetime | None:
    """When a rate limit lifts: `Retry-After` seconds from now, else `X-RateLimit-Reset`."""
    now = now or datetime.now(UTC)
    after = headers.get("retry-after", "")
    if after.strip().isdigit():
        return (now + timedelta(seconds=int(after))).replace(microsecond=0)
    reset = headers.get("x-ratelimit-reset", "")
    if reset.strip().isdigit():
        return datetime.fromtimestamp(int(reset), UTC)
    return None


def is_rate_limited(status: int | None, headers: dict[str, str], message: str = "") -> bool:
    """GitHub's documented signals: 403/429 with remaining 0, a Retry-After, or a limit message."""
    if status not in (403, 429):
        return False
    return (
        headers.get("x-ratelimit-remaining") == "0"
        or "retry-after" in headers
        or status == 429
        or "rate limit" in message.lower()
    )


def source_error(
    repo: str, exc: GithubException, client: github.Github, *, doing: str = "the commits of"
) -> SourceError:
    """One clear SourceError for a failed GitHub API call while reading `doing` `repo`
    ("the commits of", "the files of"): what happened, and what to do."""
    headers = _headers(exc)
    message = _message(exc)
    status = exc.status
    if isinstance(exc, RateLimitExceededExceedsMaxWait) or is_rate_limited(
        status, headers, message
    ):
        at = reset_time(headers)
        when = at.strftime("%Y-%m-%d %H:%M UTC") if at else "in up to an hour"
        secondary = "secondary" in message.lower() or (
            "retry-after" in headers and headers.get("x-ratelimit-remaining") != "0"
        )
        what = "secondary (abuse) rate limit" if secondary else "API rate limit"
        advice = (
            "use --via git, which needs no API quota"
            if client.requester.auth
            else "set GITHUB_TOKEN (5,000 requests an hour instead of 60) or use --via git"
        )
        return SourceError(
            f"GitHub's {what} stopped reading {doing} {repo}; it lifts at {when}. The cache "
            f"keeps what it had. Try again then, or {advice}.",
            kind="rate_limit",
            repo=repo,
            retry_at=at.isoformat() if at else None,
        )
    if isinstance(exc, UnknownObjectException) or status == 404:
        return SourceError(
            f"GitHub has no repository {repo} (404). Check the spelling; if it is private, "
            "set GITHUB_TOKEN to a token that can read it.",
            kind="not_found",
            repo=repo,
        )
    if isinstance(exc, BadCredentialsException) or status == 401:
        return SourceError(
            f"GitHub rejected the token while reading {doing} {repo} "
            f"(401 {message or 'Bad credentials'}). Fix or unset GITHUB_TOKEN (public "
            "repositories work without one).",
            kind="auth",
            repo=repo,
        )
    if status == 403:
        return SourceError(
            f"GitHub refused access to {repo} (403: {redact(message) or 'Forbidden'}). It may be "
            "private, or the token lacks read access; set GITHUB_TOKEN to a token that can "
            "read it.",
            kind="private",
            repo=repo,
        )
    if status == 451:
        return SourceError(
            f"GitHub blocks access to {repo} for legal reasons (451).", kind="not_found", repo=repo
        )
    if status is not None and status >= 500:
        return SourceError(
            f"GitHub had a server error ({status}) while reading {doing} {repo}; the cache is "
            "unchanged. Try again in a few minutes, or use --via git.",
            kind="server",
            repo=repo,
        )
    return SourceError(
        f"GitHub answered {status} while reading {doing} {repo}: "
        f"{redact(message) or 'no message'}. The cache is unchanged.",
        kind="server",
        repo=repo,
    )


def _network_error(repo: str, exc: Exception) -> SourceError:
    if isinstance(exc, requests.Timeout):
        return SourceError(
            f"GitHub did not answer in time while listing the commits of {repo}; the cache is "
            "unchanged. Try again, or use --via git.",
            kind="timeout",
            repo=repo,
        )
    if isinstance(exc, requests.exceptions.RetryError | MaxRetryError):
        return SourceError(
            f"GitHub kept failing while listing the commits of {repo} (gave up after retries); "
            "the cache is unchanged. Try again later, or use --via git.",
            kind="server",
            repo=repo,
        )
    return SourceError(
        f"Could not reach GitHub to list the commits of {repo} (network down?); the cache is "
        "unchanged and still usable offline.",
        kind="network",
        repo=repo,
    )


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
