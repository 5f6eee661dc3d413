"""The PyGithub client SyncLens builds once: 100 items a page, bounded retries, capped waits."""

from __future__ import annotations

from typing import Any

import github
from github.GithubException import RateLimitExceededExceedsMaxWait
from github.GithubRetry import GithubRetry
from urllib3.exceptions import MaxRetryError, ResponseError

from core import settings
from core.ingest.sources.retry import GITHUB_RETRY

PER_PAGE = 100
MAX_WAIT_SECONDS = GITHUB_RETRY.max_wait


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
    for resets, 5xx and rate limits, never more than `max_wait` seconds of waiting per
    request. `base_url` defaults to $SYNCLENS_GITHUB_API, else api.github.com. The token is only handed to PyGithub's auth object, never logged.
    """
    retry = BoundedRetry(
        max_wait=max_wait,
        total=GITHUB_RETRY.retries,
        backoff_factor=GITHUB_RETRY.backoff,
        raise_on_status=False,
    )
    return github.Github(
        auth=github.Auth.Token(token) if token else None,
        base_url=base_url or settings.github_api() or github.Consts.DEFAULT_BASE_URL,
        per_page=PER_PAGE,
        retry=retry,
        timeout=timeout,
        seconds_between_requests=seconds_between_requests,
        lazy=True,
    )
