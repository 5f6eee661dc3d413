"""How long a client keeps at one request: a few short retries for transient faults (a reset
connection, a 5xx, a 429 asking for a short wait), then a clear error naming when to retry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

_RATELIMIT = re.compile(r"r\s*=\s*(\d+)\s*;\s*t\s*=\s*(\d+)")


@dataclass(frozen=True)
class RetryPolicy:
    """`retries` extra attempts after the first, waiting `backoff` s then doubling; a wait the
    server asks for (Retry-After) is honoured only up to `max_wait` s, past it the request
    fails at once with the time to come back."""

    retries: int = 2
    backoff: float = 0.5
    max_wait: float = 5.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number `attempt + 1`."""
        return self.backoff * 2**attempt


def retry_after_seconds(headers: Any, now: datetime | None = None) -> int | None:
    """Seconds to wait from `RateLimit: "api";r=0;t=55`, `Retry-After: 55` or a
    `Retry-After` HTTP date, if the answer says."""
    ratelimit = headers.get("ratelimit")
    if ratelimit:
        match = _RATELIMIT.search(ratelimit)
        if match and int(match.group(1)) == 0:
            return int(match.group(2))
    value = (headers.get("retry-after") or "").strip()
    if value.isdigit():
        return int(value)
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0, round((when - (now or datetime.now(UTC))).total_seconds()))


def retry_time(seconds: int, now: datetime | None = None) -> datetime:
    """The UTC moment `seconds` from now, to the second."""
    return ((now or datetime.now(UTC)) + timedelta(seconds=seconds)).replace(microsecond=0)


HUB_RETRY = RetryPolicy(retries=2, backoff=0.5, max_wait=5.0)
# GitHub's secondary limits ask for up to a minute; waiting that out beats failing a fetch.
GITHUB_RETRY = RetryPolicy(retries=3, backoff=0.5, max_wait=60.0)
