"""The HTTP transport under huggingface_hub: default timeouts, bounded retries, a request count.

huggingface_hub retries 429/5xx/timeouts itself with up to ~23 s of sleeping, and on a rate
limit it sleeps for the whole reset window. SyncLens must never hang like that, so
`connect_hub` installs this transport under the library's shared client: it retries
transient faults a few times (a reset or refused connection, a timeout, a 5xx, a 429 asking
for a short wait), reading each body inside the retry so a connection reset mid-answer is
retried too, and then raises `HubGaveUp`, which the library does not retry. The token goes
only to the Hub's own host: huggingface_hub follows a listing's next link with its headers
wherever it points, so a request elsewhere leaves without its Authorization header.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx2
from huggingface_hub import set_client_factory

from core.ingest.sources.retry import HUB_RETRY, RetryPolicy, retry_after_seconds

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
DEFAULT_TIMEOUT = {"connect": 10.0, "read": 30.0, "write": 30.0, "pool": 10.0}


class HubGaveUp(Exception):
    """Raised by `BoundedRetryTransport` when more retries make no sense.

    `kind` is "timeout", "network", "rate_limit" or "server"; huggingface_hub does not catch
    this type, so its own long backoff never starts.
    """

    def __init__(
        self, kind: str, response: httpx2.Response | None = None, cause: Exception | None = None
    ) -> None:
        super().__init__(kind)
        self.kind = kind
        self.response = response
        self.cause = cause


class BoundedRetryTransport(httpx2.BaseTransport):
    """Wrap a transport: default timeouts, at most `policy.retries` short retries, a count.

    429 is retried only when the server asks for a wait of at most `policy.max_wait` s.
    """

    def __init__(
        self,
        inner: httpx2.BaseTransport | None = None,
        *,
        policy: RetryPolicy = HUB_RETRY,
        sleep: Callable[[float], None] = time.sleep,
        token_host: str | None = None,
    ) -> None:
        self.inner = inner or httpx2.HTTPTransport()
        self.token_host = token_host
        self.policy = policy
        self.sleep = sleep
        self.requests = 0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if self.token_host is not None and request.url.netloc.decode() != self.token_host:
            request.headers.pop("authorization", None)
        timeout = request.extensions.get("timeout") or {}
        if not any(timeout.get(k) for k in DEFAULT_TIMEOUT):
            request.extensions["timeout"] = dict(DEFAULT_TIMEOUT)
        for attempt in range(self.policy.retries + 1):
            self.requests += 1
            last = attempt == self.policy.retries
            try:
                response = _buffered(self.inner.handle_request(request), request)
            except httpx2.TransportError as err:
                # A timeout, a reset, a refused connection: transient until proven otherwise.
                if last:
                    kind = "timeout" if isinstance(err, httpx2.TimeoutException) else "network"
                    raise HubGaveUp(kind, cause=err) from err
                self.sleep(self.policy.delay(attempt))
                continue
            if response.status_code not in RETRY_STATUSES:
                return response
            asked = retry_after_seconds(response.headers)
            wait = self.policy.delay(attempt) if asked is None else float(asked)
            if last or wait > self.policy.max_wait:
                raise HubGaveUp(
                    "rate_limit" if response.status_code == 429 else "server", response=response
                )
            self.sleep(wait)
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.inner.close()


def _buffered(response: httpx2.Response, request: httpx2.Request) -> httpx2.Response:
    """The response with its body read now (the Hub's answers are small JSON or a card)."""
    if response.is_stream_consumed:  # built with its content already (replays)
        return response
    try:
        body = b"".join(response.iter_raw())
    finally:
        response.close()
    return httpx2.Response(
        response.status_code,
        headers=response.headers,
        stream=httpx2.ByteStream(body),
        extensions=response.extensions,
        request=request,
    )


def install_transport(transport: BoundedRetryTransport) -> None:
    """Make huggingface_hub's shared HTTP client use `transport` (process-wide, like the library)."""
    from huggingface_hub.utils._http import hf_request_event_hook

    set_client_factory(
        lambda: httpx2.Client(
            transport=transport,
            follow_redirects=True,
            event_hooks={"request": [hf_request_event_hook]},
        )
    )
