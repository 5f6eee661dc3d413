"""Replay the Hugging Face Hub with respx, shaped like the real endpoints (no network).

huggingface_hub 2.4 talks through `httpx2`, which respx does not patch; `RespxTransport`
hands each request to a respx router instead, so routes, side effects and call counts
work as usual. Shapes follow the library's parsing code and the recorded examples in
../shared/data/hf_commits/api_examples/:

- GET /api/models/{id}/commits/main: JSON array newest first, 50 per page, next page in a
  `Link: <...?p=1&limit=50>; rel="next"` header, `X-Total-Count`.
- GET /api/models/{id}: model info with `cardData`, `sha`, `createdAt`, ...
- HEAD/GET /{id}/resolve/main/README.md: the card, with `X-Repo-Commit` and `ETag`.
- GET /api/models?search=&author=&limit=&sort=downloads: JSON array of models.
- Errors: `X-Error-Code: RepoNotFound` / `GatedRepo` and `X-Error-Message` headers.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import httpx2
import respx

from core.ingest.sources.hf import HubClient, connect_hub

HUB = "https://huggingface.co"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hf"
PAGE = 50


class RespxTransport(httpx2.BaseTransport):
    """An httpx2 transport answering from a respx router (httpx requests/responses inside)."""

    def __init__(self, router: respx.Router) -> None:
        self.router = router

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        mirrored = httpx.Request(
            request.method,
            str(request.url),
            headers=list(request.headers.raw),
            content=request.read(),
        )
        try:
            answer = self.router.handler(mirrored)
        except httpx.TransportError as err:
            kind = getattr(httpx2, type(err).__name__, httpx2.TransportError)
            raise kind(str(err), request=request) from err
        return httpx2.Response(
            answer.status_code, headers=answer.headers.raw, content=answer.content, request=request
        )


def hub_for(router: respx.Router, tmp_path: Path) -> HubClient:
    """A HubClient whose every request goes to `router`; retries do not sleep.

    huggingface_hub fetches `/api/agent-harnesses` once per process (telemetry for its
    user-agent header); it is not part of what SyncLens asks, so it is pre-answered empty
    here to keep request counts exact.
    """
    from huggingface_hub.utils import _detect_agent

    _detect_agent._registry = _detect_agent._EMPTY_REGISTRY
    return connect_hub(
        token="",
        transport=RespxTransport(router),
        readme_dir=tmp_path / "hf-cache",
        sleep=lambda _s: None,
    )


def load(name: str):
    return json.loads((FIXTURES / name).read_text())


def commit_item(
    sha: str, date: datetime, title: str, message: str = "", authors: tuple[str, ...] = ("someone",)
) -> dict:
    """One element of the commits array, as the Hub sends it."""
    return {
        "id": sha,
        "title": title,
        "message": message,
        "authors": [
            {"user": a, "avatar": f"https://cdn-avatars.huggingface.co/{a}.png"} for a in authors
        ],
        "date": date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }


def synthetic_commits(model_id: str, n: int, start: datetime | None = None) -> list[dict]:
    """`n` commits newest first, one per day from `start`, with stable 40-hex ids."""
    start = start or datetime(2023, 1, 1, 9, 30, tzinfo=UTC)
    items = [
        commit_item(
            hashlib.sha1(f"{model_id}:{i}".encode()).hexdigest(),
            start + timedelta(days=i),
            f"Update README.md ({i})" if i else "initial commit",
            authors=("system",) if i == 0 else ("maintainer",),
        )
        for i in range(n)
    ]
    return items[::-1]


def commits_url(model_id: str, page: int = 0) -> str:
    base = f"{HUB}/api/models/{model_id}/commits/main"
    return base if page == 0 else f"{base}?p={page}&limit={PAGE}"


def mock_commits(
    router: respx.Router,
    model_id: str,
    items: list[dict],
    fail_page: int | None = None,
    fail_status: int = 500,
) -> list[respx.Route]:
    """Serve `items` (newest first) in pages of 50 with `Link` headers; one page may fail."""
    pages = [items[i : i + PAGE] for i in range(0, len(items), PAGE)] or [[]]
    routes = []
    for number, chunk in enumerate(pages):
        headers = {"X-Total-Count": str(len(items))}
        if number + 1 < len(pages):
            headers["Link"] = f'<{commits_url(model_id, number + 1)}>; rel="next"'
        route = router.route(method="GET", url__eq=commits_url(model_id, number))
        if fail_page is not None and number == fail_page:
            route.mock(return_value=httpx.Response(fail_status, json={"error": "Internal Error"}))
        else:
            route.mock(return_value=httpx.Response(200, json=chunk, headers=headers))
        routes.append(route)
    return routes


def model_info_body(model_id: str, sha: str, card_data: dict | None = None, **extra) -> dict:
    """A model-info answer shaped like the recorded ggml-org/gemma-3-1b-it-GGUF one."""
    owner = model_id.split("/")[0]
    body = {
        "_id": hashlib.md5(model_id.encode()).hexdigest()[:24],
        "id": model_id,
        "private": False,
        "tags": ["transformers", "safetensors"],
        "downloads": 1234,
        "likes": 56,
        "modelId": model_id,
        "author": owner,
        "sha": sha,
        "lastModified": "2024-05-13T07:15:00.000Z",
        "gated": False,
        "disabled": False,
        "pipeline_tag": "text-generation",
        "library_name": "transformers",
        "cardData": card_data if card_data is not None else {"license": "apache-2.0"},
        "siblings": [{"rfilename": ".gitattributes"}, {"rfilename": "README.md"}],
        "spaces": [],
        "createdAt": "2024-05-10T02:11:28.000Z",
        "usedStorage": 123456,
    }
    body.update(extra)
    return body


def mock_model_info(
    router: respx.Router, model_id: str, sha: str, card_data: dict | None = None, **extra
) -> respx.Route:
    return router.route(method="GET", url__eq=f"{HUB}/api/models/{model_id}").mock(
        return_value=httpx.Response(200, json=model_info_body(model_id, sha, card_data, **extra))
    )


def mock_readme(router: respx.Router, model_id: str, text: str, sha: str) -> None:
    """HEAD + GET of README.md as `hf_hub_download` asks for them."""
    content = text.encode()
    etag = f'"{hashlib.sha1(content).hexdigest()}"'
    headers = {
        "X-Repo-Commit": sha,
        "ETag": etag,
        "Content-Length": str(len(content)),
        "Content-Type": "text/plain; charset=utf-8",
    }
    url = f"{HUB}/{model_id}/resolve/main/README.md"
    router.route(method="HEAD", url=url).mock(return_value=httpx.Response(200, headers=headers))
    router.route(method="GET", url=url).mock(
        return_value=httpx.Response(200, headers=headers, content=content)
    )


def mock_search(router: respx.Router, ids: list[str], **params: str) -> respx.Route:
    body = [
        {
            "_id": hashlib.md5(i.encode()).hexdigest()[:24],
            "id": i,
            "likes": 1,
            "downloads": 100,
            "private": False,
            "tags": [],
            "modelId": i,
            "createdAt": "2024-01-01T00:00:00.000Z",
        }
        for i in ids
    ]
    return router.route(
        method="GET", url__startswith=f"{HUB}/api/models?", params__contains=params
    ).mock(return_value=httpx.Response(200, json=body))


def error_response(kind: str, model_id: str = "") -> httpx.Response:
    """The Hub's error answers, headers included."""
    if kind == "not_found":
        return httpx.Response(
            404,
            json={"error": "Repository not found"},
            headers={"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"},
        )
    if kind == "gated":
        message = (
            f"Access to model {model_id} is restricted. You must have access to it "
            "and be authenticated to access it. Please log in."
        )
        return httpx.Response(
            401,
            json={"error": message},
            headers={"X-Error-Code": "GatedRepo", "X-Error-Message": message},
        )
    if kind == "bad_token":
        message = "Invalid credentials in Authorization header"
        return httpx.Response(401, json={"error": message}, headers={"X-Error-Message": message})
    if kind == "forbidden":
        return httpx.Response(
            403, json={"error": "Forbidden"}, headers={"X-Error-Message": "Forbidden"}
        )
    if kind == "rate_limit":
        return httpx.Response(
            429,
            json={"error": "Rate limit reached"},
            headers={
                "RateLimit": '"api";r=0;t=55',
                "RateLimit-Policy": '"fixed window";"api";q=500;w=300',
            },
        )
    if kind == "server":
        return httpx.Response(500, json={"error": "Internal Error"})
    if kind == "malformed":
        return httpx.Response(
            200,
            content=b'[{"id": "abc", "title": "trunc',
            headers={"Content-Type": "application/json"},
        )
    raise ValueError(kind)


class ReplayClients:
    """`core.ingest.clients.Clients` for tests: a replayed Hub, a given GitHub backend and
    API client, no clone unless given."""

    def __init__(self, hub=None, backend=None, api=None, clone=None) -> None:
        self._hub, self._backend, self._api, self._clone = hub, backend, api, clone

    def hub(self):
        return self._hub

    def github(self, repo: str, known_commits: int | None = None):
        return self._backend, "git: a local clone (test)"

    def github_api(self):
        return self._api

    def clone_of(self, repo):
        return self._clone
