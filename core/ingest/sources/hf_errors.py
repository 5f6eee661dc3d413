"""Every failure of a Hub call as one `SourceError`: what happened to which model, and what to do."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx2
from huggingface_hub.utils import (
    DisabledRepoError,
    GatedRepoError,
    HfHubHTTPError,
    LocalEntryNotFoundError,
    OfflineModeIsEnabled,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from core import settings
from core.errors import SourceError
from core.ingest.sources.hf_transport import HubGaveUp
from core.ingest.sources.retry import retry_after_seconds, retry_time

# Failures that huggingface_hub types by class: (class, kind, message), subclasses first.
_REPO_ERRORS: tuple[tuple[type[Exception], str, str], ...] = (
    (
        GatedRepoError,
        "gated",
        "{repo} is gated on the Hugging Face Hub: accept its conditions on {where} and set "
        "HF_TOKEN to a token of that account.",
    ),
    (
        DisabledRepoError,
        "not_found",
        "{repo} has been disabled on the Hugging Face Hub; remove it from the family.",
    ),
    (RevisionNotFoundError, "not_found", "{repo} has no main branch on the Hugging Face Hub."),
    (
        RepositoryNotFoundError,
        "not_found",
        "The Hugging Face Hub has no model {repo} (or it is private and HF_TOKEN cannot see "
        "it); check the id on {where}.",
    ),
)


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
    where = f"{settings.hub_url()}/{repo}"
    if isinstance(err, HubGaveUp):
        if err.kind in ("rate_limit", "server") and err.response is not None:
            return _status_error(err.response.status_code, err.response.headers, repo)
        return _timeout_error(repo) if err.kind == "timeout" else _network_error(repo)
    for cls, kind, text in _REPO_ERRORS:  # subclasses first: gated is a "not found" too
        if isinstance(err, cls):
            return SourceError(text.format(repo=repo, where=where), kind=kind, repo=repo)
    if isinstance(err, HfHubHTTPError) and err.response is not None:
        return _status_error(err.response.status_code, err.response.headers, repo)
    if isinstance(err, httpx2.TimeoutException):
        return _timeout_error(repo)
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
        f"{str(err).splitlines()[0] if str(err) else type(err).__name__}.",
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
        when = "in a few minutes"
        if wait is not None:
            retry_at = retry_time(wait).strftime("%Y-%m-%dT%H:%M:%SZ")
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


def _timeout_error(repo: str) -> SourceError:
    return SourceError(
        f"The Hugging Face Hub did not answer in time for {repo}; "
        "try again later (cached data is still shown).",
        kind="timeout",
        repo=repo,
    )


def _network_error(repo: str) -> SourceError:
    return SourceError(
        f"Cannot reach the Hugging Face Hub to read {repo}: the connection failed on "
        "every try (refused, reset or no network); check the connection and try again "
        "(cached families still work offline).",
        kind="network",
        repo=repo,
    )
