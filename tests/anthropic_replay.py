"""Replay Anthropic Messages API responses to a real `anthropic.Anthropic` client, offline.

The anthropic 2.x SDK sends requests through httpx2 (respx only patches httpx), so the
client gets an `httpx2.MockTransport` that serves queued responses in order and records
every request. The SDK's own retry logic, parsing and errors all run for real.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import anthropic
import httpx2

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "anthropic"
Responder = Callable[[httpx2.Request], httpx2.Response]


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def reply(name: str, status: int = 200, **headers: str) -> httpx2.Response:
    """A queued response: a fixture body with a status (errors get `retry-after-ms: 1`)."""
    base = {"content-type": "application/json", "request-id": "req_test"}
    if status >= 400:
        base["retry-after-ms"] = "1"  # the SDK honours it: 1 ms backoff in tests
    return httpx2.Response(status, json=fixture(name), headers={**base, **headers})


def labels_reply(labels: list[str], usage: tuple[int, int] = (900, 30)) -> httpx2.Response:
    """A successful reply labeling items 1..n in order (built on the fixture's shape)."""
    body = fixture("message_labels.json")
    items = [{"id": i, "label": lb} for i, lb in enumerate(labels, start=1)]
    body["content"][0]["text"] = json.dumps({"labels": items})
    body["usage"] = {"input_tokens": usage[0], "output_tokens": usage[1]}
    return httpx2.Response(200, json=body, headers={"content-type": "application/json"})


class Replay:
    """Serves `responses` (or calls `responder`) and records the requests' JSON bodies."""

    def __init__(
        self, responses: list[httpx2.Response] | None = None, responder: Responder | None = None
    ) -> None:
        self.queue = list(responses or [])
        self.responder = responder
        self.requests: list[dict] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(json.loads(request.content))
        if self.responder is not None:
            return self.responder(request)
        assert self.queue, "the labeler made a request the test did not expect"
        return self.queue.pop(0)

    def client(self, max_retries: int = 2) -> anthropic.Anthropic:
        return anthropic.Anthropic(
            api_key="sk-ant-test-not-a-key",
            max_retries=max_retries,
            http_client=httpx2.Client(transport=httpx2.MockTransport(self)),
        )


def batch_items(request_body: dict) -> list[dict]:
    """The commit items a labeler put into a recorded request's user message."""
    content = request_body["messages"][0]["content"]
    return json.loads(content[content.index("[") :])
