"""Every failure of a GitHub API call as one `SourceError`: what happened, and what to do."""

from __future__ import annotations

from datetime import UTC, datetime

import github
import requests
from github.GithubException import (
    BadCredentialsException,
    GithubException,
    RateLimitExceededExceedsMaxWait,
    UnknownObjectException,
)
from urllib3.exceptions import MaxRetryError

from core.errors import SourceError
from core.ingest.sources.retry import retry_after_seconds, retry_time


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
    after = retry_after_seconds(headers, now)
    if after is not None:
        return retry_time(after, now)
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
            f"GitHub refused access to {repo} (403: {message or 'Forbidden'}). It may be "
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
        f"{message or 'no message'}. The cache is unchanged.",
        kind="server",
        repo=repo,
    )


def network_error(repo: str, exc: Exception) -> SourceError:
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
