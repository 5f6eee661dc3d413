"""The Hugging Face Hub as SyncLens sees it: commits, model info, card links, search, files.

Everything goes through `huggingface_hub` over the transport of `hf_transport` (bounded
retries); raw answers become `CommitRecord` / `ModelInfo` here and every failure becomes a
`SourceError` with a `kind` (`hf_errors`). The commit listing is paged here rather than by
`HfApi.list_repo_commits`, which stops at the first page without a next link and ignores
the Hub's `X-Total-Count`: a listing that ends short must fail, not prune the cache
(`listing.PagedListing`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx2
from huggingface_hub import HfApi, constants
from huggingface_hub.hf_api import RepoFile as HubRepoFile
from huggingface_hub.utils import (
    EntryNotFoundError,
    build_hf_headers,
    get_session,
    hf_raise_for_status,
    parse_datetime,
)

from core import settings
from core.errors import SourceError
from core.ingest.sources.card_links import body_links, metadata_links
from core.ingest.sources.hf_errors import translate_errors
from core.ingest.sources.hf_transport import BoundedRetryTransport, install_transport
from core.ingest.sources.listing import PagedListing, header_count, link_header
from core.ingest.sources.retry import HUB_RETRY, RetryPolicy
from core.ingest.targets import hub_model_id
from core.records import HF, CommitRecord, FileListing, ModelInfo, RepoFile


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
        """Every commit on the model's main branch, newest first: all pages, proved whole.

        Raises:
            SourceError: the model cannot be read, or (kind "incomplete") the listing ended
                short of what the Hub announced or changed shape on the way.
        """
        listing = PagedListing(
            "The Hugging Face Hub", model_id, f"the commits of {model_id}", nonempty=True
        )
        url = (
            f"{self.api.endpoint}/api/models/{quote(model_id, safe='/')}/commits/"
            f"{constants.DEFAULT_REVISION}"
        )
        with translate_errors(model_id):
            return [_commit(model_id, item) for page in self._pages(url, listing) for item in page]

    def _pages(self, url: str, listing: PagedListing) -> Iterator[list[dict]]:
        """Each page of a Hub listing, following `Link: rel="next"` on the Hub's own host only
        (the token goes with every request), then `listing.finish()`."""
        headers = build_hf_headers(
            token=self.api.token,
            library_name=self.api.library_name,
            library_version=self.api.library_version,
            user_agent=self.api.user_agent,
            headers=self.api.headers,
        )
        session = get_session()
        while True:
            response = session.get(url, headers=headers)
            hf_raise_for_status(response)
            following = link_header(response.headers.get("link")).get("next")
            yield listing.page(
                response.json(),
                has_next=following is not None,
                total=header_count(response.headers.get("x-total-count")),
            )
            if following is None:
                break
            url = listing.next_page(url, following)
        listing.finish()

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
            # ids from a server are data: one that breaks the Hub's naming rules is dropped
            return [m.id for m in models if isinstance(m.id, str) and hub_model_id(m.id)]

    # --- file listings (the audit's content-drift check) ----------------------------------

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
    policy: RetryPolicy = HUB_RETRY,
    sleep: Callable[[float], None] = time.sleep,
) -> HubClient:
    """Build the one `HubClient` of a process: token from settings, bounded retries.

    Call it once per process (the app keeps it in `st.cache_resource`): huggingface_hub
    shares one HTTP client, so the latest `connect_hub` decides the transport for all.

    `endpoint` defaults to $HF_ENDPOINT, else the Hub; `transport` lets tests replay recorded
    answers; the token is never logged or stored.
    """
    hub = endpoint or settings.hub_endpoint() or constants.ENDPOINT
    bounded = BoundedRetryTransport(
        transport, policy=policy, sleep=sleep, token_host=urlsplit(hub).netloc
    )
    install_transport(bounded)
    secret = token if token is not None else settings.secret("HF_TOKEN")
    # token=False: never fall back to a token saved by `hf auth login` on this machine.
    api = HfApi(endpoint=hub, token=secret or False)
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


def _commit(model_id: str, item: dict) -> CommitRecord:
    """One item of the Hub's commit listing (the fields `HfApi.list_repo_commits` reads)."""
    sha = item["id"]
    if not isinstance(sha, str) or not sha:
        raise ValueError("commit without an id")
    authors = tuple(str(a["user"]) for a in item["authors"])
    return CommitRecord(
        platform=HF,
        repo=model_id,
        sha=sha,
        authored_at=_utc(parse_datetime(item["date"])),
        title=item["title"] or "",
        message=item["message"] or "",
        authors=authors,
        author_login=authors[0] if authors else None,
    )


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _utc_or_none(value: datetime | None) -> datetime | None:
    return _utc(value) if value is not None else None


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) else None
