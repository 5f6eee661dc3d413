"""A stand-in for GitHub's list-commits endpoint, served through `responses` (no network).

`CommitsEndpoint` answers `GET /repos/{repo}/commits` the way GitHub does: a JSON array newest
first, `per_page`/`page`/`since` honoured, `Link` headers with next/last/prev/first pointing at
the numeric `/repositories/{id}/commits` form, rate-limit headers counting down, 409 for an
empty repository, and faults injected per page. Items and headers are built from the templates
in `fixtures/github/` (the documented shape of the real answer).
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import responses

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "github"
API = "https://api.github.com"
ITEM = json.loads((FIXTURES / "commit_item.json").read_text())
HEADERS = json.loads((FIXTURES / "list_commits.headers.json").read_text())
ERRORS = json.loads((FIXTURES / "errors.json").read_text())


def utc_z(value: str | datetime) -> str:
    """GitHub's date form: UTC with a `Z`."""
    dt = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def login_from_email(email: str) -> str | None:
    """GitHub links a commit to a user when the email is theirs; noreply addresses show it."""
    m = re.match(r"^(?:\d+\+)?([A-Za-z0-9-]+)@users\.noreply\.github\.com$", email)
    return m.group(1) if m else None


def api_item(
    repo: str,
    sha: str,
    name: str,
    email: str,
    authored: str | datetime,
    committed: str | datetime,
    message: str,
    parent: str | None = None,
) -> dict:
    """One list-commits item with every documented field, filled with this commit's values."""
    item = copy.deepcopy(ITEM)
    text = json.dumps(item).replace("OWNER/NAME", repo).replace("PARENT", parent or "0" * 40)
    item = json.loads(text.replace("SHA", sha))
    item["commit"]["author"] = {"name": name, "email": email, "date": utc_z(authored)}
    item["commit"]["committer"]["date"] = utc_z(committed)
    item["commit"]["message"] = message
    login = login_from_email(email)
    if login is None:
        item["author"] = None  # GitHub sends null when no account owns the email
    else:
        item["author"] = json.loads(json.dumps(item["author"]).replace("LOGIN", login))
    if parent is None:
        item["parents"] = []
    return item


def items_from_history(
    repo: str, rows: Sequence[tuple[str, str, str, str, str]], sha_prefix: str = ""
) -> list[dict]:
    """API items, newest first, for a history given oldest first (tests/gitutil.Commit rows)."""
    shas = [f"{sha_prefix}{i:040x}"[-40:] for i in range(1, len(rows) + 1)]
    items = [
        api_item(repo, shas[i], *rows[i], parent=shas[i - 1] if i else None)
        for i in range(len(rows))
    ]
    return items[::-1]


@dataclass
class CommitsEndpoint:
    """Serve one repository's commits; `calls` lists the (path, query) of every request."""

    repo: str
    items: list[dict]  # newest first
    repo_id: int = 654321
    remaining: int = 4870
    faults: dict[int, list[tuple[int, Any, dict[str, str]]]] = field(default_factory=dict)
    calls: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)

    def register(self, rsps: responses.RequestsMock) -> CommitsEndpoint:
        pattern = re.compile(
            rf"^{re.escape(API)}(:443)?/(repos/{re.escape(self.repo)}|repositories/{self.repo_id})"
            r"/commits(\?.*)?$"
        )
        rsps.add_callback(responses.GET, pattern, callback=self._answer, content_type=None)
        return self

    def fail(
        self,
        page: int,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` requests for `page` answer `status` with `body`."""
        self.faults.setdefault(page, []).extend([(status, body, headers or {})] * times)

    def _headers(self, **extra: str) -> dict[str, str]:
        self.remaining -= 1
        headers = {
            **HEADERS,
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Used": str(5000 - self.remaining),
            **extra,
        }
        headers.pop("Content-Type")
        return headers

    def _answer(self, request: Any) -> tuple[int, dict[str, str], str]:
        url = urlparse(request.url)
        query = parse_qs(url.query)
        self.calls.append((url.path, query))
        page = int(query.get("page", ["1"])[0])
        per_page = min(int(query.get("per_page", ["30"])[0]), 100)
        ctype = {"Content-Type": "application/json; charset=utf-8"}
        if self.faults.get(page):
            status, body, headers = self.faults[page].pop(0)
            text = body if isinstance(body, str) else json.dumps(body)
            return status, {**self._headers(), **ctype, **headers}, text
        if not self.items:
            return 409, {**self._headers(), **ctype}, json.dumps(ERRORS["empty"]["body"])
        items = self.items
        if "since" in query:
            since = query["since"][0]
            items = [i for i in items if i["commit"]["committer"]["date"] >= since]
        last = max(1, math.ceil(len(items) / per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        keep = {k: v[0] for k, v in query.items() if k not in ("page", "per_page")}

        def link(n: int) -> str:
            q = urlencode({**keep, "per_page": per_page, "page": n})
            return f"<{API}/repositories/{self.repo_id}/commits?{q}>"

        rels = []
        if page > 1:
            rels.append(f'{link(page - 1)}; rel="prev"')
        if page < last:
            rels += [f'{link(page + 1)}; rel="next"', f'{link(last)}; rel="last"']
        if page > 1:
            rels.append(f'{link(1)}; rel="first"')
        headers = self._headers(**({"Link": ", ".join(rels)} if rels else {}))
        return 200, {**headers, **ctype}, json.dumps(chunk, separators=(",", ":"))


def error_body(name: str) -> tuple[int, dict]:
    """(status, body) of a recorded GitHub error answer from fixtures/github/errors.json."""
    entry = ERRORS[name]
    return entry["status"], entry["body"]
