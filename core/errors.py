"""Errors that carry a message meant for the user: what happened and what to do."""

from __future__ import annotations

from core.redaction import redact


class SyncLensError(Exception):
    """Base class: `str(err)` is a complete, user-facing sentence, with secrets redacted
    (a server may echo a token back in the text an error quotes)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(redact(str(message)))


class InputError(SyncLensError):
    """The user's input (a target, a CSV row, an option) cannot be used as given."""


class SourceError(SyncLensError):
    """A remote source (Hub, GitHub, Anthropic) failed or refused; the cache is unchanged.

    `kind` is a short machine-readable reason: not_found, private, gated, auth, rate_limit,
    server, timeout, network, malformed, incomplete (a listing ended short of what the
    server announced).
    """

    def __init__(
        self, message: str, *, kind: str, repo: str | None = None, retry_at: str | None = None
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.repo = repo
        self.retry_at = retry_at
