"""The Hugging Face Hub as SyncLens sees it: commits, model info, card links, search.

Everything goes through `huggingface_hub.HfApi`; raw answers become `CommitRecord` /
`ModelInfo` here and every failure becomes a `SourceError` with a `kind`.

Retries: huggingface_hub retries 429/5xx/timeouts itself with up to ~23 s of sleeping, and on
a rate limit it sleeps for the whole reset window. SyncLens must never hang like that, so
`connect_hub` installs a small HTTP transport under the library's shared client that does a
bounded number of short retries and then raises an error the library does not retry.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
from huggingface_hub import HfApi, constants, set_client_factory
from huggingface_hub.hf_api import RepoFile as HubRepoFile
from huggingface_hub.utils import (
    DisabledRepoError,
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    LocalEntryNotFoundError,
    OfflineModeIsEnabled,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from core import settings
from core.errors import SourceError
from core.ingest.targets import github_repo_from_url
from core.records import HF, CommitRecord, FileListing, ModelInfo, RepoFile

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
DEFAULT_TIMEOUT = {"connect": 10.0, "read": 30.0, "write": 30.0, "pool": 10.0}
LINK_FIELDS = ("repo", "repository", "github", "code", "source_code", "code_repository", "url")
_GITHUB_LINK = re.compile(r"(?:https?://)?(?:www\.)?github\.com/[^\s)\]}>\"'`,;|<]+", re.I)
# Sentence punctuation and Markdown emphasis (`**url**`, `~~url~~`) after a bare link.
_TRAILING = ".:!?*~"
_FRONT_MATTER = re.compile(r"\A\ufeff?---\s*\n.*?\n---\s*(\n|\Z)", re.DOTALL)


class HubGaveUp(Exception):
    """Raised by `BoundedRetryTransport` when more retries make no sense.

    huggingface_hub does not catch this type, so its own long backoff never starts.
    """

    def __init__(
        self, kind: str, response: httpx2.Response | None = None, cause: Exception | None = None
    ) -> None:
        super().__init__(kind)
        self.kind = kind
        self.response = response
        self.cause = cause


class BoundedRetryTransport(httpx2.BaseTransport):
    """Wrap a transport: default timeouts, at most `retries` short retries, count requests.

    429 is retried only when the server asks for a wait of at most `max_wait` seconds.
    """

    def __init__(
        self,
        inner: httpx2.BaseTransport | None = None,
        *,
        retries: int = 2,
        backoff: float = 0.5,
        max_wait: float = 5.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.inner = inner or httpx2.HTTPTransport()
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep
        self.requests = 0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        timeout = request.extensions.get("timeout") or {}
        if not any(timeout.get(k) for k in DEFAULT_TIMEOUT):
            request.extensions["timeout"] = dict(DEFAULT_TIMEOUT)
        for attempt in range(self.retries + 1):
            self.requests += 1
            last = attempt == self.retries
            try:
                response = self.inner.handle_request(request)
            except httpx2.TimeoutException as err:
                if last:
                    raise HubGaveUp("timeout", cause=err) from err
                self.sleep(self.backoff * 2**attempt)
                continue
            except httpx2.TransportError as err:
                # Connection refused / DNS failure: the network is down, retrying will not help.
                raise HubGaveUp("network", cause=err) from err
            if response.status_code not in RETRY_STATUSES:
                return response
            asked = retry_after_seconds(response.headers)
            wait = self.backoff * 2**attempt if asked is None else float(asked)
            if last or wait > self.max_wait:
                response.read()
                response.close()
                raise HubGaveUp(
                    "rate_limit" if response.status_code == 429 else "server", response=response
                )
            response.close()
            self.sleep(wait)
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.inner.close()


def retry_after_seconds(headers: Any) -> int | None:
    """Seconds to wait from `RateLimit: "api";r=0;t=55` or `Retry-After: 55`, if present."""
    ratelimit = headers.get("ratelimit")
    if ratelimit:
        match = re.search(r"r\s*=\s*(\d+)\s*;\s*t\s*=\s*(\d+)", ratelimit)
        if match and int(match.group(1)) == 0:
            return int(match.group(2))
    value = (headers.get("retry-after") or "").strip()
    return int(value) if value.isdigit() else None


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


@dataclass
class HubClient:
    """Reads the Hub through one `HfApi`; built once (see `connect_hub`) and passed in."""

    api: HfApi
    readme_dir: Path | None = None
    transport: BoundedRetryTransport | None = None

    @property
    def requests(self) -> int:
        """HTTP requests sent so far (retries included), when built by `connect_hub`."""
        return self.transport.requests if self.transport else 0

    def list_commits(self, model_id: str) -> list[CommitRecord]:
        """Every commit on the model's main branch, newest first (all pages, or an error)."""
        with translate_errors(model_id):
            commits = self.api.list_repo_commits(model_id)
            return [
                CommitRecord(
                    platform=HF,
                    repo=model_id,
                    sha=c.commit_id,
                    authored_at=_utc(c.created_at),
                    title=c.title or "",
                    message=c.message or "",
                    authors=tuple(c.authors),
                    author_login=c.authors[0] if c.authors else None,
                )
                for c in commits
            ]

    def model_info(self, model_id: str) -> ModelInfo:
        """One request: dates, popularity, gating, head sha and the links in the card metadata."""
        with translate_errors(model_id):
            info = self.api.model_info(model_id)
            card = info.card_data.to_dict() if info.card_data is not None else {}
            if not isinstance(info.id, str):
                raise ValueError("model info without an id")
            return ModelInfo(
                model_id=model_id,
                created_at=_utc_or_none(info.created_at),
                last_modified=_utc_or_none(info.last_modified),
                downloads=_int(info.downloads),
                likes=_int(info.likes),
                pipeline_tag=info.pipeline_tag,
                gated=bool(info.gated),
                private=bool(info.private),
                sha=info.sha,
                card_links=tuple(metadata_links(card)),
            )

    def readme(self, model_id: str) -> str:
        """The model card's text (README.md, as `ModelCard.load` reads it); "" when absent."""
        with translate_errors(model_id):
            try:
                path = self.api.hf_hub_download(
                    model_id,
                    constants.REPOCARD_NAME,
                    cache_dir=str(self.readme_dir) if self.readme_dir else None,
                )
            except EntryNotFoundError:
                return ""
            return Path(path).read_text(encoding="utf-8-sig", errors="replace")

    def card_links(self, model_id: str) -> list[str]:
        """GitHub links in the card: metadata fields first, then the README body (repeats kept)."""
        info = self.model_info(model_id)
        try:
            body = self.readme(model_id)
        except SourceError as err:
            if err.kind not in ("gated", "private", "auth"):
                raise
            body = ""  # gated cards still show their metadata in model_info
        return [*info.card_links, *body_links(body)]

    def search_models(
        self, query: str | None = None, author: str | None = None, limit: int = 50
    ) -> list[str]:
        """Model ids matching `query` and/or owned by `author`, most downloaded first."""
        label = f"models of {author}" if author else f"models matching '{query}'"
        with translate_errors(label):
            models = self.api.list_models(
                search=query or None, author=author or None, limit=limit, sort="downloads"
            )
            return [m.id for m in models]

    # --- file listings (issue 7: the audit's content-drift check) --------------------------

    def list_files(
        self, model_id: str, revision: str | None = None, *, expand: bool = False
    ) -> FileListing:
        """Every file of the model at `revision` (default main), from one tree listing.

        `GET /api/models/{id}/tree/{rev}?recursive=true` pages 1,000 entries per request, so
        a model repository costs one request; nothing is downloaded. `expand=True` adds each
        file's last commit but the Hub then pages 50 entries per request.
        """
        before = self.requests
        with translate_errors(model_id):
            entries = self.api.list_repo_tree(
                model_id, recursive=True, expand=expand, revision=revision
            )
            files = tuple(repo_file(e) for e in entries if isinstance(e, HubRepoFile))
        return FileListing(
            platform=HF,
            repo=model_id,
            revision=revision or constants.DEFAULT_REVISION,
            files=files,
            source="api",
            requests=max(self.requests - before, 1) if self.transport else 1,
        )


def connect_hub(
    *,
    token: str | None = None,
    endpoint: str | None = None,
    transport: httpx2.BaseTransport | None = None,
    readme_dir: Path | None = None,
    retries: int = 2,
    backoff: float = 0.5,
    max_wait: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
) -> HubClient:
    """Build the one `HubClient` of a process: token from settings, bounded retries.

    Call it once per process (the app keeps it in `st.cache_resource`): huggingface_hub
    shares one HTTP client, so the latest `connect_hub` decides the transport for all.

    `transport` lets tests replay recorded answers; the token is never logged or stored.
    """
    bounded = BoundedRetryTransport(
        transport, retries=retries, backoff=backoff, max_wait=max_wait, sleep=sleep
    )
    install_transport(bounded)
    secret = token if token is not None else settings.secret("HF_TOKEN")
    # token=False: never fall back to a token saved by `hf auth login` on this machine.
    api = HfApi(endpoint=endpoint or constants.ENDPOINT, token=secret or False)
    return HubClient(
        api=api, readme_dir=readme_dir or settings.cache_dir() / "hf", transport=bounded
    )


def repo_file(entry: HubRepoFile) -> RepoFile:
    """A `huggingface_hub.RepoFile` as SyncLens's `RepoFile` (blob id, LFS sha256, sizes)."""
    lfs = entry.lfs
    last = entry.last_commit
    return RepoFile(
        path=entry.path,
        blob_id=entry.blob_id,
        size=_int(entry.size),
        lfs_sha256=lfs.sha256 if lfs is not None else None,
        lfs_size=_int(lfs.size) if lfs is not None else None,
        last_commit_at=_utc(last.date) if last is not None and last.date else None,
        last_commit_id=last.oid if last is not None else None,
    )


# --- links -----------------------------------------------------------------------------------


def body_links(text: str) -> list[str]:
    """Every github.com link in a README body (front matter removed), in order."""
    body = _FRONT_MATTER.sub("", text or "", count=1)
    return [m.group(0).rstrip(_TRAILING) for m in _GITHUB_LINK.finditer(body)]


def metadata_links(card: Any) -> list[str]:
    """GitHub links anywhere in the card metadata; `repo: owner/name`-style fields count too."""
    found: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k).lower())
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            links = [m.group(0).rstrip(_TRAILING) for m in _GITHUB_LINK.finditer(value)]
            if links:
                found.extend(links)
            elif key in LINK_FIELDS and github_repo_from_url(f"github.com/{value.strip()}"):
                found.append(f"https://github.com/{value.strip()}")

    walk(card)
    return found


# --- errors ----------------------------------------------------------------------------------


@contextmanager
def translate_errors(repo: str) -> Iterator[None]:
    """Turn whatever huggingface_hub or the network raised into one `SourceError`."""
    try:
        yield
    except SourceError:
        raise
    except Exception as err:
        raise source_error(err, repo) from err


def source_error(err: Exception, repo: str) -> SourceError:
    """The `SourceError` (kind + user-facing sentence) for one failure on `repo`."""
    where = f"https://huggingface.co/{repo}"
    if isinstance(err, HubGaveUp):
        if err.kind in ("rate_limit", "server") and err.response is not None:
            return _status_error(err.response.status_code, err.response.headers, repo)
        if err.kind == "timeout":
            return SourceError(
                f"The Hugging Face Hub did not answer in time for {repo}; "
                "try again later (cached data is still shown).",
                kind="timeout",
                repo=repo,
            )
        return _network_error(repo)
    if isinstance(err, GatedRepoError):
        return SourceError(
            f"{repo} is gated on the Hugging Face Hub: accept its conditions on "
            f"{where} and set HF_TOKEN to a token of that account.",
            kind="gated",
            repo=repo,
        )
    if isinstance(err, DisabledRepoError):
        return SourceError(
            f"{repo} has been disabled on the Hugging Face Hub; remove it from the family.",
            kind="not_found",
            repo=repo,
        )
    if isinstance(err, RevisionNotFoundError):
        return SourceError(
            f"{repo} has no main branch on the Hugging Face Hub.", kind="not_found", repo=repo
        )
    if isinstance(err, RepositoryNotFoundError):
        return SourceError(
            f"The Hugging Face Hub has no model {repo} (or it is private and "
            f"HF_TOKEN cannot see it); check the id on {where}.",
            kind="not_found",
            repo=repo,
        )
    if isinstance(err, HfHubHTTPError) and err.response is not None:
        return _status_error(err.response.status_code, err.response.headers, repo)
    if isinstance(err, httpx2.TimeoutException):
        return SourceError(
            f"The Hugging Face Hub did not answer in time for {repo}; try again later.",
            kind="timeout",
            repo=repo,
        )
    if isinstance(
        err,
        OfflineModeIsEnabled | httpx2.TransportError | LocalEntryNotFoundError | ConnectionError,
    ):
        return _network_error(repo)
    if isinstance(err, ValueError | KeyError | TypeError | AttributeError | json.JSONDecodeError):
        return SourceError(
            f"The Hugging Face Hub sent an answer for {repo} that SyncLens cannot "
            f"read ({type(err).__name__}); try again later.",
            kind="malformed",
            repo=repo,
        )
    return SourceError(
        f"Reading {repo} from the Hugging Face Hub failed: "
        f"{settings.redact(str(err)).splitlines()[0] if str(err) else type(err).__name__}.",
        kind="server",
        repo=repo,
    )


def _status_error(status: int, headers: Any, repo: str) -> SourceError:
    if status == 401:
        return SourceError(
            f"The Hugging Face Hub refused HF_TOKEN while reading {repo} (401); "
            "set a valid token or unset it to read public models.",
            kind="auth",
            repo=repo,
        )
    if status == 403:
        return SourceError(
            f"The Hugging Face Hub forbids reading {repo} with this token (403); "
            "it may be private: use a token with read access.",
            kind="private",
            repo=repo,
        )
    if status == 429:
        wait = retry_after_seconds(headers)
        retry_at = None
        when = "later"
        if wait is not None:
            retry_at = (datetime.now(UTC) + timedelta(seconds=wait)).strftime("%Y-%m-%dT%H:%M:%SZ")
            when = f"after {retry_at} (in {wait} s)"
        return SourceError(
            f"The Hugging Face Hub rate limit was reached while reading {repo}; "
            f"try again {when}, or set HF_TOKEN for a higher limit.",
            kind="rate_limit",
            repo=repo,
            retry_at=retry_at,
        )
    if status >= 500:
        return SourceError(
            f"The Hugging Face Hub failed with HTTP {status} while reading {repo}; "
            "try again later (cached data is still shown).",
            kind="server",
            repo=repo,
        )
    return SourceError(
        f"The Hugging Face Hub answered HTTP {status} for {repo}; check the id.",
        kind="not_found" if status == 404 else "server",
        repo=repo,
    )


def _network_error(repo: str) -> SourceError:
    return SourceError(
        f"Cannot reach the Hugging Face Hub to read {repo}: the network seems "
        "down; check the connection (cached families still work offline).",
        kind="network",
        repo=repo,
    )


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _utc_or_none(value: datetime | None) -> datetime | None:
    return _utc(value) if value is not None else None


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) else None
