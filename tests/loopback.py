"""Fake servers on 127.0.0.1 for tests that run real processes (`python -m core ...`).

`FakeHub` answers like the Hugging Face Hub (model info, README, search, the commit listing
50 a page with `Link` and `X-Total-Count`), `FakeGitHub` like GitHub's list-commits endpoint
(100 a page, `Link` next/last, `ETag`, a 304 on `If-None-Match`), `FakeAnthropic` like the
Messages API. Point a process at
them with `env()` (HF_ENDPOINT, SYNCLENS_GITHUB_API, ANTHROPIC_BASE_URL). Faults are injected
per request (`fault(...)`): any status/headers/body, a JSON object where a list belongs, an
empty page, a connection reset before or in the middle of an answer. Every request is
recorded with its headers, so tests can check what was sent where.
"""

from __future__ import annotations

import hashlib
import json
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from ghreplay import items_from_history
from hf_replay import model_info_body, synthetic_commits

RESET = "reset"  # body marker: drop the connection before answering
RESET_MID_BODY = "reset-mid-body"  # send the headers and part of the body, then reset


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class Answer:
    status: int = 200
    body: Any = b""  # bytes, str, a JSON-able value, RESET or RESET_MID_BODY
    headers: dict[str, str] = field(default_factory=dict)


class Loopback:
    """A threaded HTTP/1.1 server on 127.0.0.1 that asks `route(request)` for each answer."""

    def __init__(self, route: Callable[[Request], Answer]) -> None:
        self.route = route
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
                with server.lock:
                    server.requests.append(request)
                answer = server.route(request)
                if answer.body == RESET:
                    _reset(self.connection)
                    self.close_connection = True
                    return
                if answer.body == RESET_MID_BODY:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "5000")
                    self.end_headers()
                    self.wfile.write(b'[{"id": "')
                    self.wfile.flush()
                    _reset(self.connection)
                    self.close_connection = True
                    return
                body = answer.body
                if not isinstance(body, bytes):
                    body = (body if isinstance(body, str) else json.dumps(body)).encode()
                self.send_response(answer.status)
                headers = {"Content-Type": "application/json", **answer.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_HEAD = do_POST = _serve

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietServer(ThreadingHTTPServer):
    """A client that drops its connection (as clients do after a reset) is not an error here."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


def _reset(conn: socket.socket) -> None:
    """Close with a TCP reset (SO_LINGER 0), as a dropped connection looks to the client."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


class Faults:
    """Answers to give instead of the normal one: `(key, n)` -> a list used up in order."""

    def __init__(self) -> None:
        self.queued: dict[tuple, list[Answer]] = {}
        self.lock = threading.Lock()

    def add(self, key: tuple, answer: Answer, times: int = 1) -> None:
        with self.lock:
            self.queued.setdefault(key, []).extend([answer] * times)

    def take(self, key: tuple) -> Answer | None:
        with self.lock:
            queue = self.queued.get(key)
            return queue.pop(0) if queue else None


# --- the Hub ---------------------------------------------------------------------------------

HUB_PAGE = 50


@dataclass
class HubModel:
    commits: list[dict]  # newest first, as the Hub sends them
    github: str | None = None  # the repository its card links to

    @property
    def sha(self) -> str:
        return self.commits[0]["id"] if self.commits else "0" * 40


class FakeHub:
    """The Hub's endpoints SyncLens reads, over `models`; faults keyed by
    `("commits", model_id, page)`, `("info", model_id)`, `("readme", model_id)`, `("search",)`."""

    def __init__(self, github_url: str = "https://github.com") -> None:
        self.github_url = github_url  # where cards link (a GitHub Enterprise in some tests)
        self.models: dict[str, HubModel] = {}
        self.faults = Faults()
        self.server = Loopback(self.answer)

    def add_model(self, model_id: str, n_commits: int, github: str | None = None) -> HubModel:
        model = HubModel(synthetic_commits(model_id, n_commits), github)
        self.models[model_id] = model
        return model

    def answer(self, req: Request) -> Answer:
        path = req.path
        if path.startswith("/api/models/") and "/commits/" in path:
            model_id = path.removeprefix("/api/models/").split("/commits/")[0]
            page = int(req.query.get("p", ["0"])[0])
            return self.faults.take(("commits", model_id, page)) or self._commits(model_id, page)
        if path.startswith("/api/models/"):
            model_id = path.removeprefix("/api/models/")
            return self.faults.take(("info", model_id)) or self._info(model_id)
        if path == "/api/models":
            return self.faults.take(("search",)) or self._search(req.query)
        if path.endswith("/resolve/main/README.md"):
            model_id = path.strip("/").split("/resolve/")[0]
            return self.faults.take(("readme", model_id)) or self._readme(model_id, req)
        return _hub_not_found()

    def _commits(self, model_id: str, page: int) -> Answer:
        model = self.models.get(model_id)
        if model is None:
            return _hub_not_found()
        items = model.commits
        chunk = items[page * HUB_PAGE : (page + 1) * HUB_PAGE]
        headers = {"X-Total-Count": str(len(items))}
        if (page + 1) * HUB_PAGE < len(items):
            base = f"{self.server.url}/api/models/{model_id}/commits/main"
            headers["Link"] = f'<{base}?p={page + 1}&limit={HUB_PAGE}>; rel="next"'
        return Answer(200, chunk, headers)

    def _info(self, model_id: str) -> Answer:
        model = self.models.get(model_id)
        if model is None:
            return _hub_not_found()
        card = {"license": "apache-2.0"}
        if model.github:
            card["repo"] = f"{self.github_url}/{model.github}"
        return Answer(200, model_info_body(model_id, model.sha, card))

    def _readme(self, model_id: str, req: Request) -> Answer:
        model = self.models.get(model_id)
        if model is None:
            return _hub_not_found()
        link = f"Code: {self.github_url}/{model.github}\n" if model.github else ""
        text = f"---\nlicense: apache-2.0\n---\n# {model_id}\n{link}".encode()
        return Answer(
            200,
            text,
            {
                "Content-Type": "text/plain; charset=utf-8",
                "X-Repo-Commit": model.sha,
                "ETag": f'"{hashlib.sha1(text).hexdigest()}"',
            },
        )

    def _search(self, query: dict[str, list[str]]) -> Answer:
        author = (query.get("author") or [""])[0].lower()
        words = (query.get("search") or [""])[0].lower()
        hits = [
            m
            for m in self.models
            if (not author or m.lower().startswith(author + "/"))
            and (not words or words in m.lower())
        ]
        return Answer(
            200,
            [
                {"_id": hashlib.md5(m.encode()).hexdigest()[:24], "id": m, "modelId": m}
                for m in hits
            ],
        )


def _hub_not_found() -> Answer:
    return Answer(
        404,
        {"error": "Repository not found"},
        {"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"},
    )


# --- GitHub ----------------------------------------------------------------------------------

GH_PAGE = 100


class FakeGitHub:
    """`GET /repos/{owner}/{name}/commits` over `repos` (items newest first); faults keyed by
    `("commits", repo, page)` (pages count from 1, as GitHub's do)."""

    def __init__(self) -> None:
        self.repos: dict[str, list[dict]] = {}
        self.faults = Faults()
        self.server = Loopback(self.answer)

    def add_repo(self, repo: str, n_commits: int, prefix: str = "") -> list[dict]:
        rows = [
            ("Dev", "dev@example.com", f"2023-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}T10:00:00Z")
            for i in range(n_commits)
        ]
        history = [(n, e, d, d, f"change {i}") for i, (n, e, d) in enumerate(rows)]
        self.repos[repo] = items_from_history(repo, history, sha_prefix=prefix)
        return self.repos[repo]

    def answer(self, req: Request) -> Answer:
        # a GitHub Enterprise server answers the same under /api/v3
        base = self.server.url + ("/api/v3" if req.path.startswith("/api/v3/") else "")
        parts = req.path.removeprefix("/api/v3").strip("/").split("/")
        if len(parts) != 4 or parts[0] != "repos" or parts[3] != "commits":
            return Answer(404, {"message": "Not Found"})
        repo = f"{parts[1]}/{parts[2]}"
        page = int(req.query.get("page", ["1"])[0])
        fault = self.faults.take(("commits", repo, page))
        if fault is not None:
            return fault
        items = self.repos.get(repo)
        if items is None:
            return Answer(404, {"message": "Not Found"})
        per_page = min(int(req.query.get("per_page", ["30"])[0]), 100)
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        keep = {k: v[0] for k, v in req.query.items() if k not in ("page", "per_page")}

        def link(n: int) -> str:
            query = urlencode({**keep, "per_page": per_page, "page": n})
            return f"<{base}/repos/{repo}/commits?{query}>"

        rels = []
        if page < last:
            rels = [f'{link(page + 1)}; rel="next"', f'{link(last)}; rel="last"']
        # GitHub's conditional requests: the same answer again is a 304 (no quota spent)
        etag = f'W/"{hashlib.sha1(json.dumps([chunk, rels]).encode()).hexdigest()}"'
        if req.headers.get("if-none-match") == etag:
            return Answer(304, b"", {"ETag": etag})
        headers = {"ETag": etag}
        if rels:
            headers["Link"] = ", ".join(rels)
        return Answer(200, chunk, headers)


# --- Anthropic -------------------------------------------------------------------------------


class FakeAnthropic:
    """`POST /v1/messages`; every answer is `reply(request)` (tests decide)."""

    def __init__(self, reply: Callable[[Request], Answer]) -> None:
        self.server = Loopback(reply)


def env(
    hub: FakeHub | None = None,
    github: FakeGitHub | None = None,
    anthropic: FakeAnthropic | None = None,
) -> dict[str, str]:
    """Environment variables that point a process at the fake servers (and nowhere else)."""
    out = {"HF_HUB_DISABLE_TELEMETRY": "1", "GIT_ALLOW_PROTOCOL": "file"}
    if hub is not None:
        out["HF_ENDPOINT"] = hub.server.url
    if github is not None:
        out["SYNCLENS_GITHUB_API"] = github.server.url
    if anthropic is not None:
        out["ANTHROPIC_BASE_URL"] = anthropic.server.url
    return out
