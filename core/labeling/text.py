"""A commit's text: what is labeled (`raw_text`), its cleaning from the paper's Step 6 (NFKC,
no HTML or code, collapsed spaces) and the key labels are cached under (`text_key`)."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

FENCED = re.compile(r"```.*?(```|$)|~~~.*?(~~~|$)", re.DOTALL)
_INLINE = re.compile(r"`[^`\n]*`")
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)


def clean_text(raw: str | None, *, keep_inline_code: bool = False) -> str:
    """Return `raw` NFKC-normalised, without HTML tags and code blocks, whitespace collapsed.

    Inline code is removed like the paper did; `keep_inline_code=True` keeps its content
    (without backticks), which the rules labeler wants for titles like "Upload `config.json`".
    """
    if not raw:
        return ""
    if raw.isascii() and not has_markup(raw):
        return " ".join(raw.split())  # ASCII is its own NFKC; str.split and \s agree
    text = unicodedata.normalize("NFKC", raw)
    # each pattern runs only on texts holding what it starts with: most texts hold none
    if "```" in text or "~~~" in text:
        text = FENCED.sub(" ", text)
    if "`" in text:
        text = _INLINE.sub((lambda m: m.group(0)[1:-1]) if keep_inline_code else " ", text)
    if "<" in text:
        text = TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())  # Python's \s and str.split agree on every code point


def has_markup(text: str) -> bool:
    """Whether cleaning could change more than whitespace: code fences (``` or ~~~), inline
    code, tags and comments, HTML entities."""
    return "`" in text or "~" in text or "<" in text or "&" in text


def raw_text(platform: str, title: str | None, message: str | None) -> str:
    """The text a labeler reads: HF title and message joined by a newline (the paper's HF
    texts); on GitHub the whole message, which starts with its title (else the title)."""
    title, message = title or "", message or ""
    if platform == "HF":
        return f"{title}\n{message}".strip()
    return message if message.strip() else title


def commit_text(platform: str, title: str | None, message: str | None) -> str:
    """The cleaned text of a commit (what the store keeps and searches)."""
    return clean_text(raw_text(platform, title, message))


def text_hash(text: str) -> str:
    """Stable key for a cleaned commit text (labels are cached by it)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def text_key(raw: str) -> str:
    """The cache key of a raw text: the hash of its cleaned form."""
    return text_hash(clean_text(raw))


EMPTY_KEY = text_hash("")  # a text with nothing left after cleaning: never labeled
KEY_PATTERN = r"[0-9a-f]{32}"  # what `text_hash` returns
