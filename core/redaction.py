"""Secrets kept out of everything that leaves the process: one `redact` for stdout, stderr,
logs, the cache and exports, whatever a server echoes back.

A configured secret (HF_TOKEN, GITHUB_TOKEN, ANTHROPIC_API_KEY, from the environment or
secrets.toml) is replaced by `<NAME>` as written, percent-encoded or JSON-escaped; anything
shaped like a GitHub, Hugging Face or Anthropic token is replaced by `<redacted>` even when
it is not ours (a server may echo a token we never configured, or a stale one).
"""

from __future__ import annotations

import io
import json
import logging
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any, TextIO, TypeVar, cast
from urllib.parse import quote, quote_plus

from core.settings import SECRET_NAMES, secret

MIN_SECRET = 6  # shorter values are not credentials, and would blank ordinary words
TOKEN_SHAPES = (
    r"gh[pousr]_[A-Za-z0-9]{30,255}",
    r"github_pat_[A-Za-z0-9_]{22,255}",
    r"hf_[A-Za-z0-9]{30,64}",
    r"sk-ant-[A-Za-z0-9_-]{20,255}",
)
_SHAPES = re.compile(r"(?<![A-Za-z0-9_])(?:" + "|".join(TOKEN_SHAPES) + r")(?![A-Za-z0-9_])")
# Every token shape starts with one of these. Trying the regex only where one occurs (found
# by str.find, which runs at memory speed) skips its scan of every position of a long output.
_SHAPE_STARTS = ("gh", "github_pat_", "hf_", "sk-ant-")


def _token_spans(text: str) -> list[tuple[int, int]]:
    """Where `_SHAPES.sub` would replace, left to right. The regex is tried only where a
    token could start (found by str.find, which runs at memory speed): a long text's `sub`
    would try every position, hundreds of times slower on a whole CSV."""
    found = []
    for start in _SHAPE_STARTS:
        at = text.find(start)
        while at != -1:
            token = _SHAPES.match(text, at)  # its look-behind still sees the character before
            if token:
                found.append(token.span())
            at = text.find(start, at + 1)
    spans: list[tuple[int, int]] = []
    for span in sorted(found):  # `sub` takes the leftmost match, then resumes after it
        if not spans or span[0] >= spans[-1][1]:
            spans.append(span)
    return spans


def _without_tokens(text: str) -> str:
    """`_SHAPES.sub("<redacted>", text)`, computed from `_token_spans`."""
    pieces, end = [], 0
    for start, stop in _token_spans(text):
        pieces += [text[end:start], "<redacted>"]
        end = stop
    return "".join([*pieces, text[end:]]) if pieces else text


def configured_secrets() -> tuple[tuple[str, str], ...]:
    """(name, value) of every secret this process can read, longest value first."""
    found = [(name, secret(name)) for name in SECRET_NAMES]
    pairs = [(n, v) for n, v in found if v and len(v) >= MIN_SECRET]
    return tuple(sorted(pairs, key=lambda p: -len(p[1])))


@lru_cache(maxsize=8)
def _pattern(pairs: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    names: dict[str, str] = {}
    for name, value in pairs:
        for form in (value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1]):
            names.setdefault(form, name)
    if not names:
        return None, names
    alternatives = sorted(names, key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in alternatives)), names


def redact(text: str) -> str:
    """`text` with every configured secret and every token-shaped string replaced."""
    return redactor()(text) if text else text


def redactor() -> Redactor:
    """`redact` with the configured secrets read once, for many values written together
    (reading them costs more than redacting a short text)."""
    return Redactor(*_pattern(configured_secrets()))


_Value = TypeVar("_Value")
# Joins values for `Redactor.all`: no token shape or word character matches it, so a token
# neither starts, ends nor grows across it, as at the ends of a single value.
_JOIN = "\x00"


@dataclass(frozen=True)
class Redactor:
    """`redact` for many values with the configured secrets read once (see `redactor`)."""

    pattern: re.Pattern[str] | None
    names: dict[str, str]

    def __call__(self, text: str) -> str:
        if not text:
            return text
        if self.pattern is not None and any(form in text for form in self.names):
            text = self.pattern.sub(lambda m: f"<{self.names[m.group(0)]}>", text)
        return _without_tokens(text)

    def all(self, values: Iterable[_Value]) -> list[_Value]:
        """Each value as `redact_value` would give it: strings redacted, anything else as
        it is (a malformed API answer's number stays a number).

        The strings are searched as one joined text, a few `str.find` scans instead of
        several per value; only those a token or secret is found in are redacted one by one.
        """
        given = list(values)  # an iterator would be spent before it was searched
        out = list(given)
        where = [i for i, v in enumerate(given) if isinstance(v, str) and v]
        texts = [cast(str, given[i]) for i in where]
        joined = _JOIN.join(texts)
        separated = joined.count(_JOIN) == max(len(where) - 1, 0)  # no value holds _JOIN
        secret = self.pattern is not None and any(form in joined for form in self.names)
        if separated and not secret:
            ends = list(accumulate(len(t) + 1 for t in texts))
            redo: Iterable[int] = {bisect_right(ends, at) for at, _ in _token_spans(joined)}
        else:  # a value holds the separator, or a secret was echoed: one by one
            redo = range(len(where))
        for k in redo:
            out[where[k]] = self(texts[k])  # type: ignore[assignment]
        return out


def redact_value(value: Any) -> Any:
    """`redact` for strings; other values pass through (for rows written to the cache)."""
    return redact(value) if isinstance(value, str) else value


class RedactingStream(io.TextIOBase):
    """A text stream that redacts what passes through it, a line at a time.

    Lines are held until their newline (or `flush`), so a secret written in two pieces is
    still caught whole; secrets never span lines.
    """

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner
        self.pending = ""

    def write(self, text: str) -> int:
        self.pending += text
        if "\n" in self.pending:
            done, _, self.pending = self.pending.rpartition("\n")
            self.inner.write(redact(done + "\n"))
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.inner.write(redact(self.pending))
            self.pending = ""
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", "utf-8")

    def writable(self) -> bool:
        return True


class _RedactingRecordFactory:
    """Wraps the logging record factory: message, arguments and traceback text redacted."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.inner(*args, **kwargs)
        try:
            record.msg, record.args = redact(record.getMessage()), None
        except Exception:  # a broken format string stays the logger's problem, unredacted
            return record
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return record


def install_log_redaction() -> None:
    """Redact every log record of the process, whichever logger or handler it goes to."""
    current = logging.getLogRecordFactory()
    if not isinstance(current, _RedactingRecordFactory):
        logging.setLogRecordFactory(_RedactingRecordFactory(current))
